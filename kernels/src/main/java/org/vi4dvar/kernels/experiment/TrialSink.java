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
}
