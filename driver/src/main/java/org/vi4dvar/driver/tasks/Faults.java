package org.vi4dvar.driver.tasks;

import org.apache.spark.TaskContext;
import org.vi4dvar.driver.spark.RunInputs;

/**
 * Fault injection ({@code debug.fail-first-attempt}): every task throws on its first attempt, so that tests can
 * show that retried tasks give the same results. Off by default.
 */
final class Faults {

  private Faults() {
  }

  /** Throws if fault injection is on and this is the task's first attempt. */
  static void check(RunInputs in, String job) {
    TaskContext tc = TaskContext.get();
    if (in.settings().debug().failFirstAttempt() && tc != null && tc.attemptNumber() == 0) {
      throw new IllegalStateException("injected fault (debug.fail-first-attempt) in " + job + ", partition "
          + tc.partitionId() + ", attempt 0");
    }
  }
}
