package org.vi4dvar.driver.config;

import java.util.Locale;

/** How MAP's Laplace approximation forms the Hessian of J at the minimum. */
public enum HessianChoice {
  /** Central differences of the adjoint gradient, symmetrised: the exact Hessian to ~1e-8. */
  FINITE_DIFFERENCE,
  /** {@code B⁻¹ + Σ (H'M')ᵀ R⁻¹ (H'M')}: drops the curvature of h and M, always positive definite. */
  GAUSS_NEWTON;

  /** The configuration name ({@code finite-difference}, {@code gauss-newton}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
