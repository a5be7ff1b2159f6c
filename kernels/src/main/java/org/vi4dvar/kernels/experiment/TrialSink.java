package org.vi4dvar.kernels.experiment;

import org.vi4dvar.kernels.abc.AbcTrialConsumer;

/**
 * Where ABC tasks put every accepted trial in threshold mode (the driver writes them to files from the tasks, so
 * any number fits). Serializable: it travels with the tasks. A task opens one writer for its block range, hands it
 * every accepted trial in trial order, then commits it; a failed or retried attempt's writer is aborted, and a
 * rerun rewrites the same content.
 */
public interface TrialSink extends java.io.Serializable {

  /** The writer of the accepted trials of blocks {@code [firstBlock, endBlock)}, of control dimension n. */
  Writer open(long firstBlock, long endBlock, int n);

  /** A task's writer. */
  interface Writer extends AbcTrialConsumer {
    /** Makes the trials written so far visible (atomically, e.g. by a rename). */
    void commit();

    /** Discards them (the attempt failed). */
    void abort();
  }

  /** After the job: removes what dead attempts left behind (every committed file is complete). */
  void cleanUp();

  /**
   * Runs the job whose tasks write to this sink ({@link Parallel#runAndMerge}, then {@link #cleanUp}). A sink
   * whose files are written by the parallel's own machinery (the driver's Parquet table, written by the same
   * Spark tasks through Spark SQL's writer) runs the job itself; the result is the same.
   */
  default <T, R extends java.io.Serializable> R runAndMerge(Parallel parallel, Job job, Shared<T> shared,
      long units, RangeTask<T, R> task, Parallel.Merge<R> merge) {
    R r = parallel.runAndMerge(job, shared, units, task, merge);
    cleanUp();
    return r;
  }
}
