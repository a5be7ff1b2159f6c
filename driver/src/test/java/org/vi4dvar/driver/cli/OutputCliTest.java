package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;
import org.vi4dvar.driver.testing.ReadOnlyMount;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/**
 * The output directory at the command line: two commands on one {@code --out} (issue 10 item 3), a Hadoop
 * {@code file://} URI as {@code --out} (issue 17 §1), symbolic links that must never lose an input (item 1).
 */
class OutputCliTest extends SharedSpark {

  @TempDir
  Path tmp;

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void aSecondCommandOnAnOutputBeingWrittenIsRefusedAndSaysWhy() throws IOException {
    Path out = tmp.resolve("out");
    try (OutputDirectory first = OutputDirectory.check(out, false)) {
      first.open(); // a command in progress (this JVM holds the lock)
      Cli r = Cli.run("twin", "--out", out.toString());
      assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
      assertEquals(1, r.errLines().length, r.err());
      assertTrue(r.err().contains("is being written by another vi4dvar command (pid "
          + ProcessHandle.current().pid()), r.err());
      Cli o = Cli.run("twin", "--out", out.toString(), "--overwrite");
      assertEquals(ExitCode.BAD_INPUT, o.code(), "--overwrite does not take over a running command: " + o.err());
      first.writeString("mark", "first");
      first.writeString("summary.json", "{}\n");
      first.commit();
    }
    assertEquals("first", Files.readString(out.resolve("mark")), "the first command's output is intact");
    Cli after = Cli.run("twin", "--out", out.toString(), "--overwrite");
    assertEquals(ExitCode.OK, after.code(), after.err());
    assertEquals(List.of("out"), names(tmp));
  }

  @Test
  void twinAndRunWriteAFileUri() throws IOException {
    Path data = tmp.resolve("data");
    String dataUri = data.toUri().toString();
    Cli t = Cli.run("twin", "--out", dataUri, "--set", "seed=5");
    assertEquals(ExitCode.OK, t.code(), t.err());
    assertTrue(t.err().contains("to " + "file:" + data), t.err());
    assertTrue(Files.isRegularFile(data.resolve("obs.csv")));
    Path out = tmp.resolve("run");
    Cli r = Cli.run(sharedProvider(), "run", "--out", out.toUri().toString(), "--data", data.toString(),
        "--methods", "abc", "--set", "seed=5", "--set", "abc.trials=4000", "--set", "abc.threshold=1e9",
        "--set", "posterior.samples=50", "--master", "local[2]");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(Outputs.summary(out).get("methods").has("abc"), "the method ran");
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
    assertTrue(Files.isRegularFile(out.resolve("figures/data.png")));
    try (Stream<Path> s = Files.list(out.resolve("abc/accepted"))) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("part-\\d{5}\\.parquet")),
          "the tasks wrote the accepted trials through Hadoop into the sibling");
    }
    try (Stream<Path> s = Files.walk(out)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".crc")), "no Hadoop checksum files");
    }
    assertEquals(List.of("data", "run"), names(tmp), "no lock, sibling or staging left");
    assertFalse(TestData.outputLeft(tmp.resolve("run2")));
  }

  /**
   * Issue 10 item 14 at the command line: every command that writes, given a place on a read-only file system,
   * exits 2 with one line that keeps the operating system's reason (it said "cannot create a directory
   * (FileSystemException)"; {@code report} on a read-only run said "report failed: FileSystemException", exit 1).
   */
  @Test
  void everyCommandOnAReadOnlyFileSystemSaysSoInOneLine() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(run.resolve("summary.json"), "{}\n");
    try (ReadOnlyMount ro = ReadOnlyMount.at(tmp.resolve("ro"));
        ReadOnlyMount shown = ReadOnlyMount.of(run, tmp.resolve("run-ro"))) {
      String out = ro.dir.resolve("out").toString();
      String[][] commands = {{"twin", "--out", out}, {"run", "--out", out}, {"calibrate", "--twins", "2", "--out", out},
          {"run", "--out", out, "--overwrite"}, {"report", shown.dir.toString()}};
      for (String[] c : commands) {
        Cli r = Cli.run(c);
        String what = String.join(" ", c) + ": " + r.err();
        assertEquals(ExitCode.BAD_INPUT, r.code(), what);
        assertEquals(1, r.errLines().length, what);
        assertTrue(r.err().contains("(Read-only file system)"), what);
      }
      assertEquals(List.of(), names(ro.dir));
      assertEquals(List.of("summary.json"), names(shown.dir));
    }
  }
}
