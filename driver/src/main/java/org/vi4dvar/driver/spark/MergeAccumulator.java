package org.vi4dvar.driver.spark;

import java.io.Serializable;
import org.apache.spark.util.AccumulatorV2;
import org.vi4dvar.kernels.experiment.Parallel;

/**
 * The tasks' results of a job whose tasks' output is something else (a table they write), merged on the driver
 * as the tasks end with the caller's exact, associative and commutative merge. Spark applies the value of each
 * partition's successful task exactly once (a failed or speculative duplicate attempt's value is dropped), so
 * the merged value is the same whatever the retries and the order. Unnamed: nothing of it goes into the UI or
 * the event log.
 */
final class MergeAccumulator<R extends Serializable> extends AccumulatorV2<Parallel.Part<R>, Parallel.Part<R>> {

  private static final long serialVersionUID = 1L;

  private final Parallel.Merge<R> merge;
  private Parallel.Part<R> acc;

  MergeAccumulator(Parallel.Merge<R> merge) {
    this.merge = merge;
  }

  @Override
  public boolean isZero() {
    return acc == null;
  }

  @Override
  public AccumulatorV2<Parallel.Part<R>, Parallel.Part<R>> copy() {
    MergeAccumulator<R> c = new MergeAccumulator<>(merge);
    c.acc = acc;
    return c;
  }

  @Override
  public void reset() {
    acc = null;
  }

  @Override
  public void add(Parallel.Part<R> p) {
    if (p == null) {
      return;
    }
    acc = acc == null ? p : new Parallel.Part<>(Math.min(acc.lo, p.lo), Math.max(acc.hi, p.hi),
        merge.apply(acc.value, p.value));
  }

  @Override
  public void merge(AccumulatorV2<Parallel.Part<R>, Parallel.Part<R>> other) {
    add(other.value());
  }

  @Override
  public Parallel.Part<R> value() {
    return acc;
  }
}
