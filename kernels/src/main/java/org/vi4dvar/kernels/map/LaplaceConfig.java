package org.vi4dvar.kernels.map;

import org.vi4dvar.kernels.optim.LbfgsConfig;

/**
 * Settings of {@link MapLaplace}: the L-BFGS settings of the minimisation, the Hessian method and the relative
 * finite-difference step. Defaults ({@link #defaults()}): L-BFGS defaults with a tight gradient tolerance
 * (1e-8, so that the Hessian is taken at the minimum), {@link HessianMethod#FINITE_DIFFERENCE},
 * {@code h_j = 1e-4 σb_j} (central differences: truncation ~ (h/scale)² ≈ 1e-8, round-off ~ u |∇J| / h, both
 * far below the curvature). Immutable; a plain final class (Kryo, see {@code optim}).
 */
public final class LaplaceConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Default relative finite-difference step. */
  public static final double DEFAULT_FD_STEP = 1e-4;

  /** Minimiser settings. */
  public final LbfgsConfig lbfgs;
  /** Hessian method. */
  public final HessianMethod hessian;
  /** Finite-difference step relative to the background std: {@code h_j = fdStep · σb_j}. */
  public final double fdStep;

  /** Validates the fields. */
  public LaplaceConfig(LbfgsConfig lbfgs, HessianMethod hessian, double fdStep) {
    if (lbfgs == null || hessian == null) {
      throw new IllegalArgumentException("lbfgs and hessian must be given");
    }
    if (!(fdStep > 0) || !Double.isFinite(fdStep)) {
      throw new IllegalArgumentException("fdStep must be finite and > 0, got " + fdStep);
    }
    this.lbfgs = lbfgs;
    this.hessian = hessian;
    this.fdStep = fdStep;
  }

  /** The defaults of the class comment. */
  public static LaplaceConfig defaults() {
    return new LaplaceConfig(LbfgsConfig.defaults().withTolerances(1e-8, 1e-14),
        HessianMethod.FINITE_DIFFERENCE, DEFAULT_FD_STEP);
  }

  /** A copy with other L-BFGS settings. */
  public LaplaceConfig withLbfgs(LbfgsConfig c) {
    return new LaplaceConfig(c, hessian, fdStep);
  }

  /** A copy with another Hessian method. */
  public LaplaceConfig withHessian(HessianMethod m) {
    return new LaplaceConfig(lbfgs, m, fdStep);
  }

  /** A copy with another relative finite-difference step. */
  public LaplaceConfig withFdStep(double h) {
    return new LaplaceConfig(lbfgs, hessian, h);
  }
}
