package org.vi4dvar.kernels.var;

/**
 * Where a minimiser works on a 4D-Var cost: on the control vector c itself, or on the whitened control
 * variable v with {@code c = c_b + S v} ({@link WhitenedObjective}). The minimum is the same; the path, the
 * number of iterations and the last bits are not (the Hessian in v is {@code I + Sᵀ H_o S}, eigenvalues ≥ 1;
 * in c it is {@code B⁻¹ + H_o}, condition ≈ 2·10⁴ on the talk's data). BENCHMARKS.md, "Issue 12 (B½)".
 */
public enum MinimizationSpace {
  /** In c (x0 for strong constraint): the behaviour before issue 12, bit for bit. */
  CONTROL,
  /** In v, {@code f(v) = ½‖v‖² + Jo(c_b + S v)}: the default (issue 12). */
  WHITENED
}
