package org.vi4dvar.kernels.abc;

/**
 * Receives every trial whose distance is at most the configured threshold (e.g. the Spark driver writes them
 * to files). Called in increasing trial order within a block.
 */
public interface AbcTrialConsumer {

  /**
   * One accepted trial.
   *
   * @param trial the global trial index
   * @param distance its distance
   * @param cost its full 4D-Var cost J
   * @param x0 its initial state (nx values); a view valid only during the call, not to be modified
   */
  void accept(long trial, double distance, double cost, double[] x0);
}
