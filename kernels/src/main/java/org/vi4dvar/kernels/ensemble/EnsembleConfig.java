package org.vi4dvar.kernels.ensemble;

import org.vi4dvar.kernels.optim.LbfgsConfig;

/**
 * Settings of the ensemble of 4D-Var: master seed, the L-BFGS settings of each member (default: L-BFGS
 * defaults, gradient tolerance 1e-6, relative cost decrease 1e-12, cost trace recorded for the driver's plots)
 * and which perturbations to apply (both, by default; switching one off is for experiments). Immutable; a
 * plain final class (Kryo).
 */
public final class EnsembleConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Master seed; member k draws from {@code RandomStream(seed, ENSEMBLE_MEMBER, k)}. */
  public final long seed;
  /** Minimiser settings. */
  public final LbfgsConfig lbfgs;
  /** Whether to perturb the background ({@code x_b + ε_b}, {@code ε_b ~ N(0, B)}). */
  public final boolean perturbBackground;
  /** Whether to perturb the observations ({@code y + ε_o}, {@code ε_o ~ N(0, R)}, observed points only). */
  public final boolean perturbObservations;

  /** Validates the fields. */
  public EnsembleConfig(long seed, LbfgsConfig lbfgs, boolean perturbBackground, boolean perturbObservations) {
    if (lbfgs == null) {
      throw new IllegalArgumentException("lbfgs must be given");
    }
    this.seed = seed;
    this.lbfgs = lbfgs;
    this.perturbBackground = perturbBackground;
    this.perturbObservations = perturbObservations;
  }

  /** Both perturbations, default L-BFGS settings. */
  public static EnsembleConfig of(long seed) {
    return new EnsembleConfig(seed, LbfgsConfig.defaults(), true, true);
  }

  /** A copy with other L-BFGS settings. */
  public EnsembleConfig withLbfgs(LbfgsConfig c) {
    return new EnsembleConfig(seed, c, perturbBackground, perturbObservations);
  }

  /** A copy with the perturbations switched on or off. */
  public EnsembleConfig withPerturbations(boolean background, boolean observations) {
    return new EnsembleConfig(seed, lbfgs, background, observations);
  }
}
