package org.vi4dvar.kernels.ensemble;

import org.vi4dvar.kernels.optim.LbfgsConfig;
import org.vi4dvar.kernels.var.MinimizationSpace;

/**
 * Settings of the ensemble of 4D-Var: master seed, the L-BFGS settings of each member (default: L-BFGS
 * defaults, gradient tolerance 1e-6, relative cost decrease 1e-12, cost trace recorded for the driver's plots),
 * the space each member minimises in (the whitened variable v by default) and which perturbations to apply
 * (both, by default; switching one off is for experiments). Immutable; a plain final class (Kryo).
 */
public final class EnsembleConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Master seed; member k draws from {@code RandomStream(seed, ENSEMBLE_MEMBER, k)}. */
  public final long seed;
  /** Minimiser settings. */
  public final LbfgsConfig lbfgs;
  /**
   * Whether to perturb the prior mean of the control: the background ({@code x_b + ε_b}, {@code ε_b = B½ z ~
   * N(0, B)}) and, when the control has them, the model-error means ({@code η^b + Q½ z}) and the parameter prior
   * means ({@code p_b + σ_p z}).
   */
  public final boolean perturbBackground;
  /** Whether to perturb the observations ({@code y + ε_o}, {@code ε_o ~ N(0, R)}, observed points only). */
  public final boolean perturbObservations;

  /** Where each member minimises: in c ({@code CONTROL}, as before issue 12) or in v ({@code WHITENED}). */
  public final MinimizationSpace space;

  /** Validates the fields; members minimise in the whitened variable. */
  public EnsembleConfig(long seed, LbfgsConfig lbfgs, boolean perturbBackground, boolean perturbObservations) {
    this(seed, lbfgs, perturbBackground, perturbObservations, MinimizationSpace.WHITENED);
  }

  /** Validates the fields. */
  public EnsembleConfig(long seed, LbfgsConfig lbfgs, boolean perturbBackground, boolean perturbObservations,
      MinimizationSpace space) {
    if (lbfgs == null || space == null) {
      throw new IllegalArgumentException("lbfgs and space must be given");
    }
    this.seed = seed;
    this.lbfgs = lbfgs;
    this.perturbBackground = perturbBackground;
    this.perturbObservations = perturbObservations;
    this.space = space;
  }

  /** Both perturbations, default L-BFGS settings. */
  public static EnsembleConfig of(long seed) {
    return new EnsembleConfig(seed, LbfgsConfig.defaults(), true, true);
  }

  /** A copy with other L-BFGS settings. */
  public EnsembleConfig withLbfgs(LbfgsConfig c) {
    return new EnsembleConfig(seed, c, perturbBackground, perturbObservations, space);
  }

  /** A copy with the perturbations switched on or off. */
  public EnsembleConfig withPerturbations(boolean background, boolean observations) {
    return new EnsembleConfig(seed, lbfgs, background, observations, space);
  }

  /** A copy whose members minimise in another space. */
  public EnsembleConfig withSpace(MinimizationSpace s) {
    return new EnsembleConfig(seed, lbfgs, perturbBackground, perturbObservations, s);
  }
}
