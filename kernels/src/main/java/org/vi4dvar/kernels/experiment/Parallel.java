package org.vi4dvar.kernels.experiment;

import java.io.Serializable;
import java.util.List;

/**
 * Runs independent units of work — ABC blocks, ensemble members, VI restarts, MAP starts, MCMC chains, statistics
 * units, twin experiments — as tasks, and returns their results in unit order. The kernel's estimators and the
 * experiment runner are written against this interface only: {@link LocalParallel} runs them in this JVM (tests,
 * one twin per Spark task), the driver's implementation runs each {@link #run} as one Spark job.
 *
 * <p>Contract, which makes every result bit-identical whatever the implementation, the number of tasks and
 * retries: a task is a pure function of (the shared input, its unit range); the caller's results may depend only
 * on the per-unit values its task function computes, never on how units were grouped into tasks (it either returns
 * one value per unit, or merges exactly, e.g. ABC's top-k).
 */
public interface Parallel {

  /** The number of tasks that run at once (cores), at least 1. */
  int parallelism();

  /**
   * Makes {@code value} readable by every task (a Spark broadcast); {@link Shared#close} releases it.
   *
   * @param value an immutable value (shipped by Kryo on a cluster: a plain final class, registered)
   */
  <T extends Serializable> Shared<T> share(T value);

  /**
   * Runs units {@code [0, units)}: they are cut into contiguous ranges, each range runs as one task with
   * {@link RangeTask#run}, and the tasks' results come back in range order.
   *
   * @param job what the job is (name, description, unit name, task sizing)
   * @param shared the shared input of every task
   * @param units number of units, at least 1
   * @param task the task function (serializable: it travels to the executors)
   * @return one result per task, in range order, with its range
   */
  <T, R extends Serializable> List<Part<R>> run(Job job, Shared<T> shared, long units, RangeTask<T, R> task);

  /**
   * Runs units {@code [0, units)} as {@link #run} does, and merges the tasks' results with {@code merge} as they
   * arrive — so the caller never holds more than two at once. {@code merge} must be exact, associative and
   * commutative (e.g. ABC's top-k, a merge of sorted lists cut at k): the result is then the same whatever the
   * order and the grouping.
   */
  default <T, R extends Serializable> R runAndMerge(Job job, Shared<T> shared, long units, RangeTask<T, R> task,
      Merge<R> merge) {
    R acc = null;
    for (Part<R> p : run(job, shared, units, task)) {
      acc = acc == null ? p.value : merge.apply(acc, p.value);
    }
    return acc;
  }

  /** An exact, associative and commutative merge of two task results (neither is modified). */
  @FunctionalInterface
  interface Merge<R> extends Serializable {
    /** The merge of {@code a} and {@code b}. */
    R apply(R a, R b);
  }

  /** A task's result and the unit range it covered. */
  final class Part<R> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** First unit. */
    public final long lo;
    /** One past the last unit. */
    public final long hi;
    /** The task's result. */
    public final R value;

    /** A part. */
    public Part(long lo, long hi, R value) {
      this.lo = lo;
      this.hi = hi;
      this.value = value;
    }
  }

  /**
   * The number of tasks for {@code units} units on {@code parallelism} cores: a multiple of the parallelism
   * (so that no last task runs alone on a core), with at most {@code maxUnitsPerTask} units per task, and never
   * more tasks than units; {@code minTasks} tasks at least when there are enough units.
   */
  static int tasks(long units, int parallelism, long maxUnitsPerTask, int minTasks) {
    if (units < 1) {
      throw new IllegalArgumentException("units must be >= 1, got " + units);
    }
    long p = Math.max(1, parallelism);
    long perRound = Math.max(1, maxUnitsPerTask) * p;
    long rounds = Math.max(1, (units + perRound - 1) / perRound);
    long t = Math.max(p * rounds, minTasks);
    // round up to a multiple of the parallelism, then cap at the number of units
    t = ((t + p - 1) / p) * p;
    return (int) Math.min(Math.min(units, t), Integer.MAX_VALUE - 8);
  }

  /**
   * Start of task k's share {@code [⌊units·k/tasks⌋, ⌊units·(k+1)/tasks⌋)}, computed without overflow as
   * {@code q·k + ⌊r·k/tasks⌋} with {@code units = q·tasks + r}.
   */
  static long shareStart(long units, int k, int tasks) {
    long q = units / tasks;
    long r = units % tasks;
    return q * k + r * k / tasks;
  }
}
