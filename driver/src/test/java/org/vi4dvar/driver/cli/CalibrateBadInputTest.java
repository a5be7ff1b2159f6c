package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.testing.ChildJvm;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.TestData;

/**
 * {@code calibrate}'s bad input: exit 2, one line naming the culprit, nothing written, Spark never started —
 * {@code --twins} out of range or beyond the driver's memory, a bad {@code calibrate} key (unknown, with the
 * nearest known one; not per twin; out of range), repeated methods; and the other commands check the
 * {@code calibrate} keys too.
 */
class CalibrateBadInputTest {

  @TempDir
  Path tmp;

  private record Case(String name, String[] args, String... culprits) {
  }

  private static String[] cal(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("calibrate", "--out", out.toString()));
    a.addAll(Arrays.asList(more));
    return a.toArray(new String[0]);
  }

  @TestFactory
  Stream<DynamicTest> everyCaseExitsWithTwoAndOneLine() {
    Path out = tmp.resolve("out");
    List<Case> cases = List.of(
        new Case("no twins", cal(out, "--twins", "0"), "--twins", "got 0"),
        new Case("negative twins", cal(out, "--twins", "-3"), "--twins"),
        new Case("too many twins", cal(out, "--twins", "1000000000"), "--twins", "100000000"),
        new Case("twins beyond the driver's memory", cal(out, "--twins", "90000000", "--set",
            "calibrate.set.posterior.rank-bins=1000"), "--twins 90000000", "driver"),
        new Case("twins not a number", cal(out, "--twins", "many"), "--twins"),
        new Case("unknown per-twin key", cal(out, "--twins", "5", "--set", "calibrate.set.abc.trails=5"),
            "calibrate.set.abc.trails", "did you mean 'calibrate.set.abc.trials'"),
        new Case("unknown calibrate key", cal(out, "--twins", "5", "--set", "calibrate.twins-per-tsk=2"),
            "calibrate.twins-per-tsk", "calibrate.twins-per-task"),
        new Case("seed per twin", cal(out, "--twins", "5", "--set", "calibrate.set.seed=3"), "calibrate.set.seed",
            "master seed"),
        new Case("spark per twin", cal(out, "--twins", "5", "--set", "calibrate.set.spark.partitions=2"),
            "calibrate.set.spark.partitions", "whole calibration"),
        new Case("per-twin value out of range", cal(out, "--twins", "5", "--set", "calibrate.set.abc.trials=0"),
            "calibrate.set", "abc.trials", ">= 1"),
        new Case("per-twin settings inconsistent", cal(out, "--twins", "5", "--set", "calibrate.set.obs.pooling=3"),
            "calibrate.set", "obs.pooling"),
        new Case("set not a section", cal(out, "--twins", "5", "--set", "calibrate.set=3"), "calibrate.set",
            "section"),
        new Case("confidence out of range", cal(out, "--twins", "5", "--set", "calibrate.confidence=1.5"),
            "calibrate.confidence", "(0, 1)"),
        new Case("max-hours not positive", cal(out, "--twins", "5", "--set", "calibrate.max-hours=0"),
            "calibrate.max-hours"),
        new Case("negative twins per task", cal(out, "--twins", "5", "--set", "calibrate.twins-per-task=-1"),
            "calibrate.twins-per-task"),
        new Case("a method twice", cal(out, "--twins", "5", "--methods", "map,map"), "--methods", "twice"),
        new Case("an unknown method", cal(out, "--twins", "5", "--methods", "mcmcc"), "mcmcc"),
        new Case("run checks calibrate keys too", new String[] {"run", "--out", out.toString(), "--set",
            "calibrate.set.vi.itrations=3"}, "calibrate.set.vi.itrations", "calibrate.set.vi.iterations"),
        new Case("twins without --out", new String[] {"calibrate", "--twins", "3"}, "--out"));
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Cli r = Cli.run(c.args());
      assertEquals(ExitCode.BAD_INPUT, r.code(), c.name() + ": " + r.err());
      assertEquals(1, r.errLines().length, c.name() + ": " + r.err());
      assertTrue(r.err().startsWith("vi4dvar: error:"), r.err());
      for (String s : c.culprits()) {
        assertTrue(r.err().toLowerCase(Locale.ROOT).contains(s.toLowerCase(Locale.ROOT)), c.name() + ": '" + s
            + "' not in " + r.err());
      }
      assertFalse(TestData.outputLeft(out), c.name() + ": nothing written");
    }));
  }

  /**
   * Re-audit of issue 10 items 3 and 9 on calibrate: a second command on an --out being written is refused at
   * once, before Spark starts (it used to take the lock only after Spark and a first twin).
   */
  @Test
  void aSecondCommandOnTheSameOutIsRefusedBeforeSparkStarts() throws Exception {
    Path out = tmp.resolve("busy");
    try (OutputDirectory first = OutputDirectory.check(out, false)) {
      first.open();
      Cli r = Cli.run("calibrate", "--out", out.toString(), "--twins", "2");
      assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
      assertEquals(1, r.errLines().length, r.err());
      assertTrue(r.err().contains("is being written by another vi4dvar command"), r.err());
    }
  }

  /**
   * Re-audit of issue 10 item 9 on calibrate: Spark starts with the output open, so that its local directories and
   * the JVM's temporary files go into the hidden sibling's scratch directory (which the next command on --out
   * removes after a SIGKILL), not into java.io.tmpdir, where a killed calibration left blockmgr-*, spark-* and
   * liblz4-java*.so.
   */
  @Test
  void sparkStartsWithTheScratchDirectoryInsideTheSibling() throws Exception {
    Path out = tmp.resolve("cal");
    List<String> scratch = new ArrayList<>();
    Cli r = Cli.run(conf -> {
      try {
        for (String s : ChildJvm.names(tmp, ".cal.tmp-*")) {
          if (Files.isDirectory(tmp.resolve(s).resolve("scratch"))) {
            scratch.add(s);
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      throw new IllegalStateException("stopped where Spark would start");
    }, "calibrate", "--out", out.toString(), "--twins", "2");
    assertEquals(ExitCode.FAILURE, r.code(), r.err());
    assertEquals(1, scratch.size(), "the sibling and its scratch directory exist when Spark starts: " + scratch);
    assertFalse(TestData.outputLeft(out), "and are removed after the failure");
  }
}
