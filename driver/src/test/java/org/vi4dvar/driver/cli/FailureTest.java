package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
}
