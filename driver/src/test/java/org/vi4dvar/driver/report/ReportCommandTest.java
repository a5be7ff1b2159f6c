package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.io.Owner;
import org.vi4dvar.driver.testing.ChildJvm;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Files2;

/**
 * {@code report DIR} replaces the figures and the page all or nothing (issue 10 item 2), never through a
 * symbolic link (item 1), leaves no ImageIO cache file (item 9) and refuses coordinates outside the state
 * (item 13).
 */
class ReportCommandTest {

  @TempDir
  static Path shared;
  static Path original;

  @TempDir
  Path tmp;

  @BeforeAll
  static void aRunWithItsReport() throws IOException {
    original = Files.createDirectories(shared.resolve("run"));
    SyntheticRun.full(original);
    Report.build(original);
  }

  /** A copy of the run with its report. */
  private Path copy() throws IOException {
    return copy(original, tmp.resolve("run"));
  }

  /** A copy of the calibration with its report (made once). */
  private Path calibration() throws IOException {
    synchronized (ReportCommandTest.class) {
      if (calibration == null) {
        calibration = Files.createDirectories(shared.resolve("calibration"));
        SyntheticCalibration.write(calibration);
      }
    }
    return copy(calibration, tmp.resolve("cal"));
  }

  static Path calibration;

  private static Path copy(Path original, Path d) throws IOException {
    try (Stream<Path> s = Files.walk(original)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = d.resolve(original.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return d;
  }

  /** Every file of the report (figures and page) with its bytes. */
  private static Map<String, byte[]> reportFiles(Path dir) throws IOException {
    return reportFiles(dir, "report.html");
  }

  /** Every file of a report whose page is {@code page} (figures and page) with its bytes. */
  private static Map<String, byte[]> reportFiles(Path dir, String page) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    m.put(page, Files.readAllBytes(dir.resolve(page)));
    try (Stream<Path> s = Files.list(dir.resolve("figures"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        m.put("figures/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    return m;
  }

  private static void assertSame(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet());
    for (String k : before.keySet()) {
      assertArrayEquals(before.get(k), after.get(k), k + " changed");
    }
  }

  private static void assertNoStaging(Path dir) throws IOException {
    assertEquals(List.of(), ChildJvm.names(dir, ".report.tmp-*"), "no staging directory left");
  }

  @Test
  void aFailureWhileDrawingLeavesTheOldFiguresAndPage() throws IOException {
    Path dir = copy();
    Map<String, byte[]> before = reportFiles(dir);
    Report.beforeCommit = () -> {
      throw new UncheckedIOException(new IOException("No space left on device (injected)"));
    };
    try {
      Cli r = Cli.run("report", dir.toString(), "--coordinates", "1,2");
      assertEquals(ExitCode.FAILURE, r.code(), r.err());
      assertTrue(r.err().contains("No space left on device (injected)"), r.err());
    } finally {
      Report.beforeCommit = () -> { };
    }
    assertSame(before, reportFiles(dir));
    assertNoStaging(dir);
  }

  @Test
  void aPageThatCannotBeReplacedIsRefusedBeforeAnythingChanges() throws IOException {
    Path dir = copy();
    Map<String, byte[]> figuresBefore = reportFiles(dir);
    figuresBefore.remove("report.html");
    Files.delete(dir.resolve("report.html"));
    Files.createDirectories(dir.resolve("report.html/keep"));
    Cli r = Cli.run("report", dir.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("report.html exists and is not a regular file"), r.err());
    try (Stream<Path> s = Files.list(dir.resolve("figures"))) {
      assertEquals(figuresBefore.size(), s.count(), "the old figures are all there");
    }
    assertNoStaging(dir);
  }

  @Test
  void aSuccessfulRedrawReplacesEverythingAndLeavesNoCacheFile() throws IOException {
    Path dir = copy();
    Cli r = Cli.run("report", dir.toString(), "--coordinates", "3,7");
    assertEquals(ExitCode.OK, r.code(), r.err());
    Map<String, byte[]> after = reportFiles(dir);
    assertTrue(after.containsKey("figures/trajectory_x3.png"));
    assertFalse(after.containsKey("figures/trajectory_x0.png"), "old figures are not kept");
    assertNoStaging(dir);
    assertFalse(ImageIO.getUseCache(), "PNGs are encoded in memory, never through imageio*.tmp");
  }

  @Test
  void coordinatesOutsideTheStateAreBadInputAndChangeNothing() throws IOException {
    Path dir = copy();
    Map<String, byte[]> before = reportFiles(dir);
    Cli r = Cli.run("report", dir.toString(), "--coordinates", "3,99");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains("grid point 99 is outside the state of this run (0..15, nx = 16)"), r.err());
    assertSame(before, reportFiles(dir));
    assertNoStaging(dir);
  }

  @Test
  void aSymlinkedFiguresDirectoryIsReplacedWithoutTouchingWhatItPointsTo() throws IOException {
    Path dir = copy();
    Path mine = Files.createDirectories(tmp.resolve("my-pictures"));
    Files.writeString(mine.resolve("holiday.png"), "my own picture");
    Files2.deleteRecursively(dir.resolve("figures"));
    Files.createSymbolicLink(dir.resolve("figures"), mine);
    Path dirLink = Files.createSymbolicLink(tmp.resolve("run-link"), dir);
    Cli r = Cli.run("report", dirLink.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertEquals("my own picture", Files.readString(mine.resolve("holiday.png")), "never deleted");
    assertEquals(List.of("holiday.png"), ChildJvm.names(mine, "*"));
    assertFalse(Files.isSymbolicLink(dir.resolve("figures")));
    assertTrue(Files.isRegularFile(dir.resolve("figures/data.png")));
    assertTrue(Files.isSymbolicLink(dirLink), "written into the real directory, the link stays");
  }

  @Test
  void somethingThatIsNotAFigureInFiguresIsRefused() throws IOException {
    Path dir = copy();
    Files.writeString(dir.resolve("figures/notes.txt"), "my notes");
    Cli r = Cli.run("report", dir.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("notes.txt"), r.err());
    assertEquals("my notes", Files.readString(dir.resolve("figures/notes.txt")));
  }

  @Test
  void theStagingOfAKilledReportIsRemovedAndWhatItMovedPutBack() throws Exception {
    Path dir = copy();
    Map<String, byte[]> before = reportFiles(dir);
    // killed in the middle of the swap: the old figures moved aside, the new ones not yet in
    Path staging = Files.createDirectories(dir.resolve(".report.tmp-killed"));
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Files.writeString(staging.resolve(Owner.MARKER), new Owner(p.pid(), p.info().startInstant()
        .map(java.time.Instant::toEpochMilli).orElse(1L), Owner.current().host()).line());
    Files.move(dir.resolve("figures"), staging.resolve("old-figures"));
    Report.beforeCommit = () -> {
      throw new IllegalStateException("stop before the swap");
    };
    try {
      Cli r = Cli.run("report", dir.toString());
      assertEquals(ExitCode.FAILURE, r.code(), r.err());
      assertTrue(r.err().contains("restored " + dir.resolve("figures")), r.err());
      assertTrue(r.err().contains("removed " + staging), r.err());
    } finally {
      Report.beforeCommit = () -> { };
    }
    assertSame(before, reportFiles(dir));
    assertNoStaging(dir);
  }

  /** A real SIGTERM between drawing and the swap, in a separate JVM: the old figures and page stay. */
  @Test
  void aSigtermWhileDrawingLeavesTheOldFiguresAndPage() throws Exception {
    Path dir = copy();
    Map<String, byte[]> before = reportFiles(dir);
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    Path log = tmp.resolve("report.log");
    Process p = ChildJvm.start(log, List.of("-Djava.io.tmpdir=" + jvmTmp), SlowReportMain.class.getName(),
        "report", dir.toString(), "--coordinates", "1,2,3");
    try {
      ChildJvm.await(p, log, "figures drawn, waiting");
      assertTrue(p.isAlive(), Files.readString(log));
      assertEquals(1, ChildJvm.names(dir, ".report.tmp-*").size(), "the new figures are being written aside");
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String out = Files.readString(log);
      assertEquals(143, p.exitValue(), out);
      assertTrue(out.contains("vi4dvar: interrupted: the figures and report.html of " + dir.toRealPath()
          + " are unchanged"), out);
      assertFalse(out.contains("error:"), out);
    } finally {
      p.destroyForcibly();
    }
    assertSame(before, reportFiles(dir));
    assertNoStaging(dir);
    assertEquals(List.of(), ChildJvm.names(jvmTmp, "*"), "no imageio*.tmp or other temporary file left");
  }

  // ---- the re-audit of issue 10 (items 2, 9, 10, 11): calibrate's report, redrawn by report DIR ----------------

  /** A failure while redrawing a calibration's report leaves its old figures and page (they were replaced one by
   * one). */
  @Test
  void aFailureWhileRedrawingACalibrationLeavesTheOldFiguresAndPage() throws IOException {
    Path dir = calibration();
    Map<String, byte[]> before = reportFiles(dir, "calibration.html");
    assertEquals(4, before.size(), "three figures and the page: " + before.keySet());
    Report.beforeCommit = () -> {
      throw new UncheckedIOException(new IOException("No space left on device (injected)"));
    };
    try {
      Cli r = Cli.run("report", dir.toString());
      assertEquals(ExitCode.FAILURE, r.code(), r.err());
      assertTrue(r.err().contains("No space left on device (injected)"), r.err());
    } finally {
      Report.beforeCommit = () -> { };
    }
    assertSame(before, reportFiles(dir, "calibration.html"));
    assertNoStaging(dir);
    try (Stream<Path> s = Files.list(dir.resolve("figures"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no half-written figure");
    }
  }

  /** Redrawn without ImageIO's file cache (imageio*.tmp in java.io.tmpdir, which a SIGTERM leaves behind). */
  @Test
  void aCalibrationReportIsRedrawnInMemoryAndSwappedIn() throws IOException {
    Path dir = calibration();
    Files.delete(dir.resolve("figures/calibration_scores.png"));
    ImageIO.setUseCache(true);
    Cli r = Cli.run("report", dir.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertFalse(ImageIO.getUseCache(), "PNGs encoded in memory, never through imageio*.tmp");
    assertTrue(Files.isRegularFile(dir.resolve("figures/calibration_scores.png")));
    assertNoStaging(dir);
  }

  /** A twins.csv that is a named pipe neither blocks the report nor passes for absent. */
  @Test
  void aCalibrationWhoseTwinsCsvIsANamedPipeIsReportedNotAbsent() throws Exception {
    Path dir = calibration();
    Files.delete(dir.resolve("twins.csv"));
    Process p = new ProcessBuilder("mkfifo", dir.resolve("twins.csv").toString()).start();
    assertEquals(0, p.waitFor());
    Cli r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> Cli.run("report", dir.toString()), "blocked on the named pipe");
    assertEquals(ExitCode.OK, r.code(), r.err());
    String html = Files.readString(dir.resolve("calibration.html"));
    assertTrue(html.contains("twins.csv is not a regular file"), "the page says what is wrong with it");
    assertFalse(Files.exists(dir.resolve("figures/calibration_scores.png")), "no stale figure of the old twins");
  }

  /** A calibration.json that cannot be parsed: bad input naming the file (it said only "JSON: unexpected end"). */
  @Test
  void aCorruptCalibrationJsonIsBadInputNamingTheFile() throws IOException {
    Path dir = calibration();
    Map<String, byte[]> before = reportFiles(dir, "calibration.html");
    Files.writeString(dir.resolve("calibration.json"), "{\"methods\": ");
    Cli r = Cli.run("report", dir.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains(dir.toRealPath().resolve("calibration.json") + " cannot be read"), r.err());
    assertSame(before, reportFiles(dir, "calibration.html"));
  }

  /** A calibration's report has no trajectories: {@code --coordinates} is refused there, not ignored. */
  @Test
  void coordinatesForACalibrationAreRefusedNotIgnored() throws IOException {
    Path dir = calibration();
    Map<String, byte[]> before = reportFiles(dir, "calibration.html");
    Cli r = Cli.run("report", dir.toString(), "--coordinates", "3");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains("--coordinates") && r.err().contains("output of calibrate"), r.err());
    assertSame(before, reportFiles(dir, "calibration.html"));
  }
}
