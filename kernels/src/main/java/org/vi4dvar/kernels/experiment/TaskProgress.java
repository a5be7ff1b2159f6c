package org.vi4dvar.kernels.experiment;

/**
 * Where a running task reports finished units (trials, members, restarts, chains, twins), so that a long job
 * shows its rate and time left before its first task ends. Progress only: nothing may depend on it.
 */
@FunctionalInterface
public interface TaskProgress {

  /** {@code units} more units are done. */
  void add(long units);

  /** Discards progress. */
  TaskProgress NONE = units -> { };
}
