package org.vi4dvar.kernels.map;

import org.vi4dvar.kernels.optim.LbfgsConfig;
import org.vi4dvar.kernels.var.MinimizationSpace;

/**
 * Settings of {@link MapLaplace}: the L-BFGS settings of the minimisation, the space it minimises in, the
 * Hessian method and the relative finite-difference step. Defaults ({@link #defaults()}): L-BFGS defaults with a
 * tight gradient tolerance (1e-8, so that the Hessian is taken at the minimum), in the whitened variable v
 * ({@link MinimizationSpace#WHITENED}), {@link HessianMethod#FINITE_DIFFERENCE}, steps of {@code 1e-4} along
 * the columns of S ({@code h_j = 1e-4 σb_j e_j} for diagonal B; central differences: truncation ~ (h/scale)² ≈
 * 1e-8, round-off ~ u |∇J| / h, both far below the curvature). Immutable; a plain final class (Kryo, see
 * {@code optim}).
 */
public final class LaplaceConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Default relative finite-difference step. */
  public static final double DEFAULT_FD_STEP = 1e-4;

  /** Minimiser settings. */
  public final LbfgsConfig lbfgs;
  /** Hessian method. */
  public final HessianMethod hessian;
  /**
   * Finite-difference step in the whitened variable: the central differences step along column j of S by
   * {@code fdStep} ({@code h_j = fdStep · σb_j} along e_j for diagonal B).
   */
  public final double fdStep;
  /** Where L-BFGS minimises: in c ({@code CONTROL}, as before issue 12) or in v ({@code WHITENED}). */
  public final MinimizationSpace space;

  /** Validates the fields; minimises in the whitened variable. */
  public LaplaceConfig(LbfgsConfig lbfgs, HessianMethod hessian, double fdStep) {
    this(lbfgs, hessian, fdStep, MinimizationSpace.WHITENED);
  }

  /** Validates the fields. */
  public LaplaceConfig(LbfgsConfig lbfgs, HessianMethod hessian, double fdStep, MinimizationSpace space) {
    if (lbfgs == null || hessian == null || space == null) {
      throw new IllegalArgumentException("lbfgs, hessian and space must be given");
    }
    if (!(fdStep > 0) || !Double.isFinite(fdStep)) {
      throw new IllegalArgumentException("fdStep must be finite and > 0, got " + fdStep);
    }
    this.lbfgs = lbfgs;
    this.hessian = hessian;
    this.fdStep = fdStep;
    this.space = space;
  }

  /** The defaults of the class comment. */
  public static LaplaceConfig defaults() {
    return new LaplaceConfig(LbfgsConfig.defaults().withTolerances(1e-8, 1e-14),
        HessianMethod.FINITE_DIFFERENCE, DEFAULT_FD_STEP);
  }

  /** A copy with other L-BFGS settings. */
  public LaplaceConfig withLbfgs(LbfgsConfig c) {
    return new LaplaceConfig(c, hessian, fdStep, space);
  }

  /** A copy with another Hessian method. */
  public LaplaceConfig withHessian(HessianMethod m) {
    return new LaplaceConfig(lbfgs, m, fdStep, space);
  }

  /** A copy with another relative finite-difference step. */
  public LaplaceConfig withFdStep(double h) {
    return new LaplaceConfig(lbfgs, hessian, h, space);
  }

  /** A copy that minimises in another space. */
  public LaplaceConfig withSpace(MinimizationSpace s) {
    return new LaplaceConfig(lbfgs, hessian, fdStep, s);
  }
}
