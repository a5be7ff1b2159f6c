package org.vi4dvar.driver.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.vi4dvar.driver.spark.RunInputs;

/**
 * What every job of a run shares: the Spark context, the broadcast inputs (problem, truth, settings), the
 * partition count ({@code spark.partitions}, else Spark's default parallelism) and the progress sink.
 */
public final class Jobs {

  private final JavaSparkContext sc;
  private final Broadcast<RunInputs> inputs;
  private final int parallelism;
  private final Consumer<String> progress;

  /**
   * @param sc the context
   * @param inputs the broadcast inputs
   * @param parallelism the partitions of a job with enough work (at least 1)
   * @param progress receives progress lines
   */
  public Jobs(JavaSparkContext sc, Broadcast<RunInputs> inputs, int parallelism, Consumer<String> progress) {
    this.sc = sc;
    this.inputs = inputs;
    this.parallelism = Math.max(1, parallelism);
    this.progress = progress;
  }

  JavaSparkContext sc() {
    return sc;
  }

  Broadcast<RunInputs> inputs() {
    return inputs;
  }

  /** The inputs on the driver. */
  public RunInputs in() {
    return inputs.value();
  }

  void progress(String line) {
    progress.accept(line);
  }

  /** Partitions for {@code units} independent units of work: {@code min(units, parallelism)}, at least 1. */
  int partitions(long units) {
    return (int) Math.max(1, Math.min(units, parallelism));
  }

  /**
   * What a job's task count should be a multiple of, so that no last task runs alone on a core: the least common
   * multiple of Spark's default parallelism and the configured partitions ({@code spark.partitions}, else the
   * default parallelism itself).
   */
  int taskMultiple() {
    long dp = Math.max(1, sc.defaultParallelism());
    long p = parallelism;
    long a = dp;
    long b = p;
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return (int) Math.min(Integer.MAX_VALUE / 2, dp / a * p);
  }

  /** The indices 0..n−1 as a list, to parallelise. */
  static List<Integer> indices(int n) {
    List<Integer> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    return l;
  }

  /** Start of partition p's contiguous share {@code [n·p/P, n·(p+1)/P)} of n units (n·P &lt; 2⁶³). */
  static long shareStart(long n, int p, int parts) {
    return n * p / parts;
  }
}
