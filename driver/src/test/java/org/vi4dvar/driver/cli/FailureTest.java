package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.ChildJvm;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.TestData;

/** A failing or interrupted run: exit code 1 or 130, one clear line, no output directory left. */
class FailureTest {

  @TempDir
  Path tmp;

  @Test
  void aRunFailureExitsOneAndLeavesNothing() {
    Path out = tmp.resolve("out");
    Cli r = Cli.run(conf -> {
      throw new IllegalStateException("executor exploded");
    }, "run", "--out", out.toString());
    assertEquals(ExitCode.FAILURE, r.code(), r.err());
    String last = r.errLines()[r.errLines().length - 1];
    assertTrue(last.startsWith("vi4dvar: error: run failed: IllegalStateException: executor exploded"), last);
    assertFalse(r.err().contains("\tat "), "no stack trace without --stacktrace");
    assertFalse(TestData.outputLeft(out));
  }

  /** Issue 10 item 6: the driver itself running out of memory (an Error, which picocli does not handle). */
  @Test
  void theDriverRunningOutOfMemoryIsOneLineNamingTheKnob() {
    Path out = tmp.resolve("out");
    Cli r = Cli.run(conf -> {
      throw new OutOfMemoryError("Java heap space");
    }, "run", "--out", out.toString());
    assertEquals(ExitCode.FAILURE, r.code(), r.err());
    String last = r.errLines()[r.errLines().length - 1];
    assertTrue(last.startsWith("vi4dvar: error: out of memory in this JVM") && last.contains("-Xmx")
        && last.contains("--driver-memory"), last);
    assertEquals(1, java.util.Arrays.stream(r.errLines()).filter(l -> l.contains("error:")).count(), r.err());
    assertFalse(r.err().contains("interrupted"), r.err());
    assertFalse(TestData.outputLeft(out));
  }

  /** Issue 10 item 14, same class: a file-system failure keeps its reason (the message is only the path). */
  @Test
  void aFileSystemFailureKeepsItsReason() {
    Cli r = Cli.run(conf -> {
      throw new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/data/locked"));
    }, "run", "--out", tmp.resolve("o").toString());
    assertEquals(ExitCode.FAILURE, r.code(), r.err());
    assertTrue(r.err().contains("AccessDeniedException: /data/locked (permission denied)"), r.err());
  }

  /**
   * The re-audit of issue 10 item 8: a task of threshold mode's Parquet write that fails on a full disk reaches the
   * driver as Spark's TASK_WRITE_FAILED, which named only the hidden sibling; the line gives the root cause.
   */
  @Test
  void aFailedWriteTaskIsToldByItsRootCause() {
    Cli r = Cli.run(conf -> {
      // as Spark (Scala) throws it: unchecked
      throw FailureTest.<RuntimeException>sneaky(new org.apache.spark.SparkException("[TASK_WRITE_FAILED] Task "
          + "failed while writing rows to file:/data/.out.tmp-x1/out/abc/accepted. SQLSTATE: 58030",
          new RuntimeException("Unable to close", new java.io.IOException("No space left on device"))));
    }, "run", "--out", tmp.resolve("o").toString());
    assertEquals(ExitCode.FAILURE, r.code(), r.err());
    String last = r.errLines()[r.errLines().length - 1];
    assertTrue(last.startsWith("vi4dvar: error: run failed: a Spark task failed while writing the run's files: "
        + "IOException: No space left on device"), last);
    assertFalse(last.contains(".out.tmp-"), "not the hidden sibling's path: " + last);
  }

  /**
   * The loggers that printed before or after the one line in the re-audit (a Hadoop --out that cannot be reached:
   * FileSystem's WARN; a write job on a full disk or stopped by SIGTERM: Utils' "Aborting task", FileFormatWriter's
   * "Aborting job", the committer's "Could not delete") are quiet in vi4dvar's log configuration; the child-JVM
   * tests above see only what their failure logs.
   */
  @Test
  void theLogConfigurationQuietsWhatRepeatsTheOneLine() throws java.io.IOException {
    java.util.Properties p = new java.util.Properties();
    try (var in = Files.newBufferedReader(Path.of("../conf/log4j2.properties"))) {
      p.load(in);
    }
    java.util.Map<String, String> levels = new java.util.HashMap<>();
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith("logger.") && k.endsWith(".name")) {
        levels.put(p.getProperty(k).strip(), p.getProperty(k.replace(".name", ".level"), "").strip());
      }
    }
    for (String logger : new String[] {"org.apache.hadoop.fs.FileSystem", "org.apache.spark.util.Utils",
        "org.apache.spark.sql.execution.datasources.FileFormatWriter",
        "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter", "org.apache.hadoop.fs.FileUtil",
        "org.apache.hadoop.util.Shell"}) {
      assertTrue(List.of("error", "off").contains(levels.get(logger)), logger + ": " + levels.get(logger));
    }
    assertEquals("off", levels.get("org.apache.spark.sql.execution.datasources.FileFormatWriter"),
        "its ERROR is the stack trace of every failed or cancelled write job");
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }

  @Test
  void stacktraceOnRequest() {
    Cli r = Cli.run(conf -> {
      throw new IllegalStateException("boom");
    }, "run", "--out", tmp.resolve("o").toString(), "--stacktrace");
    assertEquals(ExitCode.FAILURE, r.code());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void anInterruptExits130AndLeavesNothing() {
    Path out = tmp.resolve("out");
    Cli r = Cli.run(conf -> {
      Thread.currentThread().interrupt();
      throw new RuntimeException(new InterruptedException("sleep interrupted"));
    }, "run", "--out", out.toString());
    boolean wasInterrupted = Thread.interrupted(); // clear the flag for the next tests
    assertTrue(wasInterrupted);
    assertEquals(ExitCode.INTERRUPTED, r.code(), r.err());
    assertFalse(TestData.outputLeft(out));
  }

  /** The arguments of a long ABC sweep (minutes on two cores). */
  static String[] sweep(Path out) {
    return new String[] {"run", "--out", out.toString(), "--master", "local[2]", "--methods", "abc", "--set",
        "abc.trials=2000000000", "--set", "abc.keep=1e-7", "--set", "output.report=false"};
  }

  /**
   * Issue 10 item 9: a SIGKILL leaves the hidden sibling of {@code --out}, which holds everything Spark and the
   * JVM wrote to temporary files (block manager, {@code spark-*}, lz4-java's native library) and nothing in the
   * JVM's own temporary directory; the next command on that {@code --out} removes it and says so.
   */
  @Test
  void afterASigkillTheNextRunRemovesTheLeftoversAndNothingIsLeftInTheTemporaryDirectory() throws Exception {
    Path out = tmp.resolve("sweep");
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    Path logFile = tmp.resolve("kill.log");
    Process p = ChildJvm.start(logFile, List.of("-Djava.io.tmpdir=" + jvmTmp), "org.vi4dvar.driver.App", sweep(out));
    Path sibling;
    try {
      ChildJvm.await(p, logFile, "Spark 4");
      assertTrue(p.isAlive(), "the sweep is running: " + Files.readString(logFile));
      Thread.sleep(2000);                       // inside the ABC job
      List<String> siblings = ChildJvm.names(tmp, ".sweep.tmp-*");
      assertEquals(1, siblings.size(), siblings.toString());
      sibling = tmp.resolve(siblings.get(0));
      assertTrue(Files.isRegularFile(sibling.resolve(".vi4dvar-owner")));
      assertFalse(ChildJvm.names(sibling.resolve("scratch/tmp"), "blockmgr-*").isEmpty(),
          "Spark's local dir is inside");
      assertFalse(ChildJvm.names(sibling.resolve("scratch/tmp"), "liblz4*").isEmpty(),
          "lz4's native library is inside");
      assertEquals(List.of(), ChildJvm.names(jvmTmp, "*"), "nothing in the JVM's temporary directory");
      p.destroyForcibly();                      // SIGKILL: no hook runs
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(137, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
    assertTrue(Files.isDirectory(sibling), "a SIGKILL leaves the sibling");
    Cli next = Cli.run("twin", "--out", out.toString());
    assertEquals(ExitCode.OK, next.code(), next.err());
    assertTrue(next.err().contains("removed " + sibling + ", left by an earlier run that did not finish (pid "
        + p.pid()), next.err());
    assertEquals(List.of(), ChildJvm.names(tmp, ".sweep.*"), "no sibling and no lock left");
    assertEquals(List.of(), ChildJvm.names(jvmTmp, "*"), "and nothing in the JVM's temporary directory");
  }

  /**
   * A real SIGTERM in the middle of a long ABC sweep, in a separate JVM: the shutdown hook stops Spark and
   * removes the partial output; the process exits with 128 + 15.
   */
  @Test
  void sigtermMidRunStopsCleanlyAndLeavesNothing() throws Exception {
    Path out = tmp.resolve("sweep");
    Path logFile = tmp.resolve("sweep.log");
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    Process p = ChildJvm.start(logFile, List.of("-Djava.io.tmpdir=" + jvmTmp), "org.vi4dvar.driver.App", sweep(out));
    try {
      ChildJvm.await(p, logFile, "Spark 4");
      assertTrue(p.isAlive(), "the sweep is running: " + Files.readString(logFile));
      Thread.sleep(2000);                       // inside the ABC job
      assertTrue(TestData.outputLeft(out), "the partial output exists while running");
      p.destroy();                              // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped within a minute");
      String log = Files.readString(logFile);
      assertEquals(143, p.exitValue(), log);
      assertTrue(log.contains("interrupted: removed the partial output"), log);
      assertFalse(log.contains("error:"), "a signal is not reported as a failure: " + log);
      assertOnlyOwnLines(log);
      assertFalse(TestData.outputLeft(out), "nothing left: " + log);
      assertEquals(List.of(), ChildJvm.names(jvmTmp, "*"), "nothing left in the JVM's temporary directory");
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * The same for {@code calibrate}, whose tasks run for seconds: stopping Spark under them made its futures print
   * RejectedExecutionException stack traces (~50 lines) after vi4dvar's "interrupted" line.
   */
  @Test
  void sigtermMidCalibrationStopsCleanlyInOneLine() throws Exception {
    Path out = tmp.resolve("cal");
    Path logFile = tmp.resolve("cal.log");
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    Process p = ChildJvm.start(logFile, List.of("-Djava.io.tmpdir=" + jvmTmp), "org.vi4dvar.driver.App",
        "calibrate", "--out", out.toString(), "--twins", "2000", "--master", "local[2]", "--methods", "abc,map,vi",
        "--set", "abc.trials=20000", "--set", "output.report=false");
    try {
      ChildJvm.await(p, logFile, "tasks done");
      Thread.sleep(1000);                       // inside the twins' job
      assertTrue(p.isAlive(), "the calibration is running: " + Files.readString(logFile));
      p.destroy();                              // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped within a minute");
      String log = Files.readString(logFile);
      assertEquals(143, p.exitValue(), log);
      assertTrue(log.contains("interrupted: removed the partial output"), log);
      assertOnlyOwnLines(log);
      assertFalse(TestData.outputLeft(out), "nothing left: " + log);
    } finally {
      p.destroyForcibly();
    }
  }

  /** Every line of {@code log} is one of vi4dvar's ("vi4dvar: ..."): no log record, no stack trace. */
  private static void assertOnlyOwnLines(String log) {
    for (String l : log.split("\\R")) {
      assertTrue(l.isEmpty() || l.startsWith("vi4dvar: "), "only vi4dvar's own lines: '" + l + "' in\n" + log);
    }
  }

  /**
   * Issue 10 items 6 and 8: a task that runs out of memory or fails with an I/O error (also in a write job), in a
   * JVM of its own with vi4dvar's log configuration: exit 1 and one line naming the cause (and, for memory, the
   * knob) — never Spark's exit code 52, never "interrupted", no log flood or stack trace; nothing left behind.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"oom", "io", "write"})
  void aTaskFailureIsOneLineAndExitOne(String mode) throws Exception {
    Path out = tmp.resolve("out");
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    Path log = tmp.resolve(mode + ".log");
    Process p = ChildJvm.start(log, List.of("-Djava.io.tmpdir=" + jvmTmp, "-Dvi4dvar.program=submit/local.sh"),
        FailingTaskMain.class.getName(), mode, "run", "--out", out.toString(), "--master", "local[2]");
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
    String err = Files.readString(log);
    assertEquals(ExitCode.FAILURE, p.exitValue(), err);
    List<String> lines = List.of(err.split("\\R"));
    List<String> errors = lines.stream().filter(l -> l.startsWith("vi4dvar: error: ")).toList();
    assertEquals(1, errors.size(), err);
    for (String l : lines) {
      assertTrue(l.startsWith("vi4dvar: "), "only vi4dvar's own lines, no log or stack trace: " + l + "\n" + err);
    }
    assertFalse(err.contains("interrupted"), err);
    if (mode.endsWith("oom")) {
      assertTrue(errors.get(0).contains("out of memory") && errors.get(0).contains("VI4DVAR_JAVA_OPTS=-Xmx")
          && errors.get(0).contains("(submit/local.sh)"), errors.get(0));
    } else if (mode.equals("io")) {
      assertTrue(errors.get(0).contains("a Spark task failed: IOException: No space left on device"),
          errors.get(0));
    } else {
      // the re-audit: a write job's failure was ~300 lines of Spark's Utils, FileFormatWriter and Hadoop's committer
      assertTrue(errors.get(0).contains("a Spark task failed") && errors.get(0).contains("IOException: No space "
          + "left on device"), errors.get(0));
    }
    assertFalse(TestData.outputLeft(out), err);
    assertEquals(List.of(), ChildJvm.names(jvmTmp, "*"), "nothing left in the JVM's temporary directory");
  }
}
