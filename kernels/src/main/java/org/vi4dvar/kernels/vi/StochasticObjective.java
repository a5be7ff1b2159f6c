package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.flow.CouplingFlow;
import org.vi4dvar.kernels.rng.RandomStream;

/** A Monte Carlo ELBO (in v) and its gradient estimate, as driven by {@link VariationalInference}'s loop. */
interface StochasticObjective {

  /** Number of parameters θ. */
  int parameterCount();

  /**
   * The relative step size of each parameter ({@link CouplingFlow#stepScales}: 1 but for a full factor's strict
   * lower triangle) into {@code out[0, parameterCount)}.
   */
  void stepScales(double[] out);

  /**
   * One estimate at θ with fresh noise from {@code rng}.
   *
   * @param theta parameters, not modified
   * @param grad overwritten with the estimate of {@code ∇_θ(−ELBO_v)}
   * @return the ELBO_v estimate of this step (non-finite when a cost was)
   */
  double estimate(double[] theta, RandomStream rng, double[] grad);

  /**
   * The final estimate from {@code m} samples: {@code out[0]} = ELBO_v, {@code out[1]} = its standard error.
   *
   * @return the number of samples whose value was not finite (then {@code out} is undefined)
   */
  int finalEstimate(double[] theta, RandomStream rng, int m, double[] out);

  /**
   * Re-expresses q relative to itself: the preconditioner becomes the current Gaussian (or Gaussian components)
   * and θ their identity parameters, the same q (a change of coordinates only). Objectives with coupling layers
   * keep theirs.
   *
   * @param theta modified when recentred
   * @return whether it did; false also when the current q is not a valid Gaussian (then nothing changes)
   */
  boolean recenter(double[] theta);

  /** Whether {@link #recenter} can change the coordinates (Gaussian families and mixtures; not flows). */
  boolean canRecenter();
}
