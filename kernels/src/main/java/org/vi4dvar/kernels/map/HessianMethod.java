package org.vi4dvar.kernels.map;

/** How {@link MapLaplace} forms the Hessian of J at the minimum. */
public enum HessianMethod implements org.vi4dvar.kernels.config.ConfigChoice {
  /**
   * Column j by central differences of the adjoint gradient,
   * {@code (∇J(x + h_j e_j) − ∇J(x − h_j e_j)) / 2h_j}, then symmetrised: the full Hessian, with the
   * curvature of h and M (2n gradient evaluations; error O(h²) + O(u/h)).
   */
  FINITE_DIFFERENCE,
  /**
   * {@code B⁻¹ + Σ_t (H'_t M'_{0→t})ᵀ R_t⁻¹ (H'_t M'_{0→t})} from n tangent-linear sweeps: drops the second
   * derivatives of h and M, always positive definite, exact for a linear model and linear h.
   */
  GAUSS_NEWTON;

  /** {@code finite-difference} or {@code gauss-newton} (the key {@code map.hessian}). */
  @Override
  public String configName() {
    return this == FINITE_DIFFERENCE ? "finite-difference" : "gauss-newton";
  }
}
