package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
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

  /** A separate JVM running {@code App} with the test classpath and Spark's JVM flags, its output in {@code log}. */
  static Process childJvm(Path log, List<String> jvmOptions, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Dio.netty")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("../conf/log4j2.properties").toAbsolutePath());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_LOCAL_DIRS");
    return pb.start();
  }

  /** Waits until {@code log} contains {@code text} (or the process ends, or two minutes pass). */
  static void awaitLog(Process p, Path log, String text) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.readString(log).contains(text) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /** The arguments of a long ABC sweep (minutes on two cores). */
  static String[] sweep(Path out) {
    return new String[] {"run", "--out", out.toString(), "--master", "local[2]", "--methods", "abc", "--set",
        "abc.trials=2000000000", "--set", "abc.keep=1e-7", "--set", "output.report=false"};
  }

  private static List<String> named(Path dir, String glob) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var s = Files.newDirectoryStream(dir, glob)) {
      for (Path p : s) {
        out.add(p.getFileName().toString());
      }
    }
    return out;
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
    Process p = childJvm(logFile, List.of("-Djava.io.tmpdir=" + jvmTmp), "org.vi4dvar.driver.App", sweep(out));
    Path sibling;
    try {
      awaitLog(p, logFile, "Spark 4");
      assertTrue(p.isAlive(), "the sweep is running: " + Files.readString(logFile));
      Thread.sleep(2000);                       // inside the ABC job
      List<String> siblings = named(tmp, ".sweep.tmp-*");
      assertEquals(1, siblings.size(), siblings.toString());
      sibling = tmp.resolve(siblings.get(0));
      assertTrue(Files.isRegularFile(sibling.resolve(".vi4dvar-owner")));
      assertFalse(named(sibling.resolve("scratch/spark"), "blockmgr-*").isEmpty(), "Spark's local dir is inside");
      assertFalse(named(sibling.resolve("scratch/tmp"), "liblz4*").isEmpty(), "lz4's native library is inside");
      assertEquals(List.of(), named(jvmTmp, "*"), "nothing in the JVM's temporary directory");
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
    assertEquals(List.of(), named(tmp, ".sweep.*"), "no sibling and no lock left");
    assertEquals(List.of(), named(jvmTmp, "*"), "and nothing in the JVM's temporary directory");
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
    Process p = childJvm(logFile, List.of("-Djava.io.tmpdir=" + jvmTmp), "org.vi4dvar.driver.App", sweep(out));
    try {
      awaitLog(p, logFile, "Spark 4");
      assertTrue(p.isAlive(), "the sweep is running: " + Files.readString(logFile));
      Thread.sleep(2000);                       // inside the ABC job
      assertTrue(TestData.outputLeft(out), "the partial output exists while running");
      p.destroy();                              // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped within a minute");
      String log = Files.readString(logFile);
      assertEquals(143, p.exitValue(), log);
      assertTrue(log.contains("interrupted: removed the partial output"), log);
      assertFalse(log.contains("error:"), "a signal is not reported as a failure: " + log);
      assertFalse(TestData.outputLeft(out), "nothing left: " + log);
      assertEquals(List.of(), named(jvmTmp, "*"), "nothing left in the JVM's temporary directory");
    } finally {
      p.destroyForcibly();
    }
  }
}
