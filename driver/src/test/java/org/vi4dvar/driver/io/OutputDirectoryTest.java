package org.vi4dvar.driver.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.testing.TestData;

/**
 * The all-or-nothing output directory, on a local path (java.nio) and on the same place as a {@code file://} URI
 * (Hadoop's FileSystem API): commit, abort, overwrite, the lock, leftovers of killed runs, real paths.
 */
class OutputDirectoryTest {

  @TempDir
  Path tmp;

  /** {@code p} as {@code --out} gives it: a local path, or the {@code file://} URI of the same place. */
  private static String spell(Path p, boolean uri) {
    return uri ? p.toAbsolutePath().toUri().toString() : p.toString();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @ParameterizedTest(name = "uri={0}")
  @ValueSource(booleans = {false, true})
  void nothingIsVisibleUntilCommitThenEverything(boolean uri) throws IOException {
    Path out = tmp.resolve("a/b/out");
    try (OutputDirectory o = OutputDirectory.check(spell(out, uri), false)) {
      assertEquals(uri, o.hadoop());
      o.open();
      o.writeString("summary.json", "{}\n");
      o.writeString("abc/mean.csv", "1.0\n");
      assertFalse(Files.exists(out));
      assertTrue(Files.isDirectory(o.temp()));
      assertTrue(o.tempUri().startsWith("file:"), o.tempUri());
      // everything in progress is in one hidden sibling of the target, with the lock beside it
      List<String> siblings = names(out.getParent());
      assertEquals(2, siblings.size(), siblings.toString());
      assertTrue(siblings.contains(".out.lock"), siblings.toString());
      assertTrue(siblings.stream().anyMatch(n -> n.startsWith(".out.tmp-")), siblings.toString());
      o.commit();
    }
    assertEquals("1.0\n", Files.readString(out.resolve("abc/mean.csv")));
    assertEquals(List.of("abc", "summary.json"), names(out), "only what was written, no .crc side files");
    assertTrue(Files.getPosixFilePermissions(out).contains(PosixFilePermission.OTHERS_READ),
        "the user's umask, not rwx------");
    assertEquals(List.of("out"), names(out.getParent()), "no lock, no temporary sibling left");
  }

  @ParameterizedTest(name = "uri={0}")
  @ValueSource(booleans = {false, true})
  void abortRemovesTheTemporaryDirectoryTheLockAndTheParentsItCreated(boolean uri) throws IOException {
    Path out = tmp.resolve("x/y/out");
    OutputDirectory o = OutputDirectory.check(spell(out, uri), false);
    o.open();
    o.writeString("f.txt", "partial");
    Files.writeString(o.scratch().resolve("spark-scratch"), "x");
    o.close();
    assertFalse(Files.exists(tmp.resolve("x")));
    assertThrows(IOException.class, () -> o.writeString("g.txt", "late"));
    assertThrows(IOException.class, o::commit);
  }

  @ParameterizedTest(name = "uri={0}")
  @ValueSource(booleans = {false, true})
  void existingNonEmptyIsRefusedUnlessOverwriteThenReplacedAtCommitOnly(boolean uri) throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "old");
    BadInputException notOurs = assertThrows(BadInputException.class,
        () -> OutputDirectory.check(spell(out, uri), true));
    assertTrue(notOurs.getMessage().contains("is not an output of vi4dvar"), notOurs.getMessage());
    Files.writeString(out.resolve("summary.json"), "{}");
    BadInputException e = assertThrows(BadInputException.class,
        () -> OutputDirectory.check(spell(out, uri), false));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    try (OutputDirectory o = OutputDirectory.check(spell(out, uri), true)) {
      o.open();
      o.writeString("new.txt", "new");
      assertTrue(Files.exists(out.resolve("old.txt")), "the old output stays until the commit");
      o.commit();
    }
    assertFalse(Files.exists(out.resolve("old.txt")));
    assertEquals("new", Files.readString(out.resolve("new.txt")));
    assertEquals(List.of("out"), names(tmp), "no temporary or old sibling left");
    assertEquals(List.of("new.txt"), names(out));
  }

  @ParameterizedTest(name = "uri={0}")
  @ValueSource(booleans = {false, true})
  void overwriteThatFailsKeepsTheOldOutput(boolean uri) throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "old");
    Files.writeString(out.resolve("vi4dvar.conf"), "seed = 1\n");
    try (OutputDirectory o = OutputDirectory.check(spell(out, uri), true)) {
      o.open();
      o.writeString("new.txt", "new");
      // the run fails before commit
    }
    assertEquals("old", Files.readString(out.resolve("old.txt")));
    assertEquals(List.of("out"), names(tmp));
  }

  @Test
  void emptyExistingDirectoryIsUsed() throws IOException {
    Path out = tmp.resolve("empty");
    Files.createDirectories(out);
    try (OutputDirectory o = OutputDirectory.check(out, false)) {
      o.open();
      o.writeString("f", "x");
      o.commit();
    }
    assertEquals("x", Files.readString(out.resolve("f")));
  }

  @Test
  void refusesPathsOutsideTheDirectory() throws IOException {
    try (OutputDirectory o = OutputDirectory.check(tmp.resolve("o"), false)) {
      o.open();
      assertThrows(IllegalArgumentException.class, () -> o.writeString("../escape.txt", "x"));
    }
  }

  // ---- issue 10 item 1: real paths -------------------------------------------------------------------------

  @ParameterizedTest(name = "uri={0}")
  @ValueSource(booleans = {false, true})
  void anInputReachedThroughASymlinkIntoTheTargetIsRefused(boolean uri) throws IOException {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path data = TestData.copyTalk(out.resolve("data"));
    Path link = Files.createSymbolicLink(tmp.resolve("link-to-data"), data);
    BadInputException e = assertThrows(BadInputException.class,
        () -> OutputDirectory.check(spell(out, uri), true, link));
    assertTrue(e.getMessage().contains("contains the input"), e.getMessage());
    // a symlink to the target itself, and a config file inside it, too
    Path conf = Files.writeString(out.resolve("x.conf"), "seed = 2\n");
    Path confLink = Files.createSymbolicLink(tmp.resolve("x.conf"), conf);
    assertThrows(BadInputException.class, () -> OutputDirectory.check(spell(out, uri), true, confLink));
    Path outLink = Files.createSymbolicLink(tmp.resolve("out-link"), out);
    assertThrows(BadInputException.class, () -> OutputDirectory.check(spell(tmp.resolve("out-link"), uri), true,
        data));
    assertTrue(Files.isRegularFile(data.resolve("obs.csv")), "nothing deleted");
    assertTrue(Files.isSymbolicLink(outLink));
  }

  @Test
  void aTargetBelowASymlinkedParentIsComparedByItsRealPath() throws IOException {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path parentLink = Files.createSymbolicLink(tmp.resolve("plink"), real);
    Path data = TestData.copyTalk(real.resolve("out/data"));
    // --out plink/out (through the link) contains real/out/data (given by its real path)
    BadInputException e = assertThrows(BadInputException.class,
        () -> OutputDirectory.check(parentLink.resolve("out"), true, data));
    assertTrue(e.getMessage().contains("contains the input"), e.getMessage());
    // a target whose lexical '..' would leave the symlink's directory is resolved physically
    Path viaDotDot = parentLink.resolve("../real/out");
    assertThrows(BadInputException.class, () -> OutputDirectory.check(viaDotDot, true, data));
  }

  @Test
  void aTargetThatContainsTheWorkingDirectoryIsRefusedWhateverItsSpelling() throws IOException {
    Path cwdParent = Path.of("").toAbsolutePath().getParent();
    Path link = Files.createSymbolicLink(tmp.resolve("to-cwd-parent"), cwdParent);
    BadInputException e = assertThrows(BadInputException.class, () -> OutputDirectory.check(link, true));
    assertTrue(e.getMessage().contains("working directory"), e.getMessage());
  }

  @Test
  void aSymlinkTargetIsWrittenThroughAndADanglingOneRefused() throws IOException {
    Path real = Files.createDirectories(tmp.resolve("real-out"));
    Path link = Files.createSymbolicLink(tmp.resolve("out"), real);
    try (OutputDirectory o = OutputDirectory.check(link, false)) {
      assertEquals(real.toRealPath(), o.target());
      o.open();
      o.writeString("f", "x");
      o.commit();
    }
    assertTrue(Files.isSymbolicLink(link), "the link stays a link");
    assertEquals("x", Files.readString(real.resolve("f")));
    Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere"));
    BadInputException e = assertThrows(BadInputException.class, () -> OutputDirectory.check(dangling, false));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }

  // ---- issue 10 item 3: two commands on one target ---------------------------------------------------------

  @ParameterizedTest(name = "uri={0}")
  @ValueSource(booleans = {false, true})
  void aSecondCommandOnTheSameTargetIsRefusedWhileTheFirstRuns(boolean uri) throws IOException {
    Path out = tmp.resolve("out");
    try (OutputDirectory first = OutputDirectory.check(spell(out, uri), false)) {
      first.open();
      OutputDirectory second = OutputDirectory.check(spell(out, uri), false);
      BadInputException e = assertThrows(BadInputException.class, second::open);
      assertTrue(e.getMessage().contains("being written by another vi4dvar command"), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
      second.close();
      first.writeString("f", "first");
      first.commit();
    }
    assertEquals("first", Files.readString(out.resolve("f")));
    assertEquals(List.of("out"), names(tmp));
  }

  @Test
  void aTargetCreatedBySomethingElseDuringTheRunIsNotClaimed() throws IOException {
    Path out = tmp.resolve("out");
    OutputDirectory o = OutputDirectory.check(out, false);
    o.open();
    o.writeString("f", "mine");
    Files.createDirectories(out);
    Files.writeString(out.resolve("theirs"), "theirs");
    OutputConflictException e = assertThrows(OutputConflictException.class, o::commit);
    assertTrue(e.getMessage().contains("this run's output was removed"), e.getMessage());
    o.close();
    assertEquals(List.of("out"), names(tmp), "the message says removed: nothing of this run is left");
    assertEquals(List.of("theirs"), names(out));
  }

  // ---- issue 10 item 9: leftovers of killed runs -----------------------------------------------------------

  /** An owner that is gone: the PID of a process that has exited. */
  private static Owner deadOwner() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("true").start();
    long pid = p.pid();
    long start = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(1L);
    assertEquals(0, p.waitFor());
    Owner o = new Owner(pid, start, Owner.current().host());
    assertTrue(o.gone());
    return o;
  }

  private static Path leftover(Path parent, String name, Owner owner) throws IOException {
    Path w = Files.createDirectories(parent.resolve(name));
    if (owner != null) {
      Files.writeString(w.resolve(Owner.MARKER), owner.line());
    }
    Files.createDirectories(w.resolve("out/abc"));
    Files.writeString(w.resolve("out/abc/kept.csv"), "1,2\n");
    Files.createDirectories(w.resolve("scratch/spark/blockmgr-1"));
    return w;
  }

  @ParameterizedTest(name = "uri={0}")
  @ValueSource(booleans = {false, true})
  void theNextRunRemovesWhatAKilledRunLeftAndSaysSo(boolean uri) throws Exception {
    Path out = tmp.resolve("out");
    Path stale = leftover(tmp, ".out.tmp-killed", deadOwner());
    Path foreign = leftover(tmp, ".out.tmp-nomarker", null);
    Path alive = leftover(tmp, ".out.tmp-alive", new Owner(ProcessHandle.current().pid(),
        Owner.current().start(), "another-host"));
    Files.writeString(tmp.resolve(".out.lock"), deadOwner().line()); // the lock file of a killed run
    List<String> notes = new ArrayList<>();
    try (OutputDirectory o = OutputDirectory.check(spell(out, uri), false)) {
      o.open(notes::add);
      o.writeString("f", "x");
      o.commit();
    }
    assertFalse(Files.exists(stale), "a marked sibling whose owner is gone is removed");
    assertTrue(Files.exists(foreign), "a sibling without our marker is never touched");
    assertTrue(Files.exists(alive), "an owner on another host cannot be checked: kept");
    String all = String.join("\n", notes);
    assertTrue(all.contains("removed " + spell(stale, uri).replaceAll("/$", "")) || all.contains(stale.toString()),
        all);
    assertTrue(all.contains("did not finish"), all);
    assertTrue(all.contains("left ") && all.contains("another-host"), all);
    assertFalse(Files.exists(tmp.resolve(".out.lock")), "the lock is gone after the commit");
  }

  @Test
  void aRunKilledWhileReplacingTheTargetGetsTheOldOutputBack() throws Exception {
    Path out = tmp.resolve("out");
    Path w = leftover(tmp, ".out.tmp-killed", deadOwner());
    Files.createDirectories(w.resolve("old"));
    Files.writeString(w.resolve("old/summary.json"), "{\"old\": true}\n");
    List<String> notes = new ArrayList<>();
    // the target is missing (renamed into the sibling, the new one not yet in): a --overwrite run finds it back
    try (OutputDirectory o = OutputDirectory.check(out, true)) {
      o.open(notes::add);
      assertEquals("{\"old\": true}\n", Files.readString(out.resolve("summary.json")), "restored at open");
    }
    assertTrue(String.join("\n", notes).contains("restored the previous"), notes.toString());
    assertEquals("{\"old\": true}\n", Files.readString(out.resolve("summary.json")), "an aborted run keeps it");
  }

  // ---- issue 10 item 14 and issue 17: reasons, URIs ------------------------------------------------------

  @Test
  void anUnwritableLocationNamesTheOperatingSystemsReason() {
    Path sys = Path.of("/sys");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sys) && !Files.isWritable(sys.resolve("x")));
    for (String out : new String[] {"/sys/vi4dvar-test/out", "file:///sys/vi4dvar-test/out"}) {
      OutputDirectory o = OutputDirectory.check(out, false);
      BadInputException e = assertThrows(BadInputException.class, o::open);
      assertFalse(e.getMessage().contains("FileSystemException"), e.getMessage());
      assertTrue(e.getMessage().matches(".*\\((Operation not permitted|permission denied|Read-only file system"
          + "|.*Permission denied.*|.*not permitted.*)\\).*"), e.getMessage());
    }
  }

  @Test
  void uriMistakesAreBadInput() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> OutputDirectory.check("nosuchfs://host/dir/out", false));
    assertTrue(e.getMessage().contains("no Hadoop file system for the scheme 'nosuchfs'"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> OutputDirectory.check("file://somehost/tmp/out", false));
    assertTrue(e.getMessage().contains("file:///"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> OutputDirectory.check("file:///tmp/a b^/out", false));
    assertNotNull(e.getMessage());
  }

  @Test
  void controlCharactersInTheTargetAreRefused() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> OutputDirectory.check(tmp.resolve("a\nb").toString(), false));
    assertTrue(e.getMessage().contains("control character"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
