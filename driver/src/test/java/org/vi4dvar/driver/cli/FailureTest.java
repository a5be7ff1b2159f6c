package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * A real SIGTERM in the middle of a long ABC sweep, in a separate JVM: the shutdown hook stops Spark and
   * removes the partial output; the process exits with 128 + 15.
   */
  @Test
  void sigtermMidRunStopsCleanlyAndLeavesNothing() throws Exception {
    Path out = tmp.resolve("sweep");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Dio.netty")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-Dlog4j2.configurationFile=" + Path.of("../conf/log4j2.properties").toAbsolutePath(),
        "-cp", System.getProperty("java.class.path"), "org.vi4dvar.driver.App", "run", "--out", out.toString(),
        "--master", "local[2]", "--methods", "abc", "--set", "abc.trials=2000000000", "--set", "abc.keep=1e-7",
        "--set", "output.report=false"));
    Path logFile = tmp.resolve("sweep.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (!Files.readString(logFile).contains("Spark 4") && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
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
    } finally {
      p.destroyForcibly();
    }
  }
}
