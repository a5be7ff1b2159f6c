package org.vi4dvar.kernels.testing;

/**
 * Named test tolerances, each with its justification. "rel" = relative, "abs" = absolute.
 */
public final class Tol {

  private Tol() {
  }

  /**
   * rel: dot-product (adjoint) test of one tendency, one RK4 step or H. The two sides are sums of the same
   * O(nx) products in a different order; with nx ≤ 10³ and unit-size data the round-off is a few ulp, far below
   * 1e-12 (the bound).
   */
  public static final double ADJOINT_ONE_STEP = 1e-12;

  /**
   * rel: dot-product test over a whole window of up to ~64 RK4 steps of chaotic Lorenz96. Each step
   * multiplies the tangent by a matrix of norm ~(1 + λ dt), the two sides accumulate round-off of ~nSteps ×
   * 16 ulp times the growth of the tangent, so we allow 1e-10; measured errors are ~1e-14.
   */
  public static final double ADJOINT_WINDOW = 1e-10;

  /**
   * abs on the fitted log-log slope of a Taylor remainder: the remainder must fall as ε² (slope 2). A least-
   * squares fit over ≥ 4 points of the asymptotic range lands within ±0.1 of 2 for smooth maps.
   */
  public static final double TAYLOR_SLOPE = 0.1;

  /**
   * rel: batched cost vs scalar cost. The bound; the implementation evaluates the same expressions in
   * the same order and is in fact bit-identical.
   */
  public static final double BATCH_VS_SCALAR = 1e-12;

  /**
   * rel (to the largest entry involved): Cholesky factor, solves and inverse of well-conditioned (κ ≲ 10²)
   * matrices of order ≤ 20. Backward error of Cholesky is ~ n u ‖A‖ (Higham, ch. 10) with u = 1.1e-16, so
   * 1e-12 leaves two orders of margin.
   */
  public static final double LINALG = 1e-12;

  /**
   * Monte Carlo bound, in standard deviations of the estimator (see {@code SampleMoments}): every sample mean
   * and covariance entry of n exact posterior draws must lie within 5 sd of the exact value. With ~50
   * entries per check, a correct sampler fails with probability ≈ 50 × 6e-7 ≈ 3e-5 (two-sided normal tail at
   * 5 sd); the draws are seeded, so a pass is reproducible. A biased sampler (e.g. L z instead of L⁻ᵀ z)
   * misses by tens of sd at these sizes.
   */
  public static final double MC_SIGMAS = 5.0;

  /**
   * rel (to the largest entry of the reference): Laplace on the linear-Gaussian problem. The minimiser stops at
   * ‖∇J‖ ≤ 1e-8, so ‖x* − m‖ ≤ ‖P‖ 1e-8 ≈ 1e-8; the gradient is linear, so central differences are exact
   * up to round-off ~ u ‖∇J terms‖ / h ≈ 1e-16 × 10 / 1e-4 = 1e-11 (measured: mean 5e-9, covariance 1e-12).
   * 1e-7 bounds both with margin.
   */
  public static final double LAPLACE_LINEAR = 1e-7;

  /**
   * rel: asymmetry of the central-difference Hessian on the talk problem, and its agreement with a
   * directional difference. Truncation error O((h/σ)² ‖J‴‖) with h = 1e-4 σb, round-off ~ 1e-16 |∇J| / h; on
   * the talk data the asymmetry at the truth measures 1.2e-7 of max |H|; 1e-6 leaves a factor 8.
   */
  public static final double FD_HESSIAN_ASYMMETRY = 1e-6;

  /**
   * rel: mean and M2 of running (Welford/Chan) statistics against a two-pass computation over ≤ 10⁵ values.
   * Both accumulate O(n u) relative error in the worst case (Chan, Golub &amp; LeVeque 1983), typically √n u;
   * 1e-10 covers n = 10⁵.
   */
  public static final double RUNNING_STATS = 1e-10;

  /**
   * VI on the linear-Gaussian problem, with the converging settings of the VI tests (64 samples per step, lr
   * 0.05 → 1e-5 over 4000 Adam steps): abs on the mean in units of the posterior sd, rel on the mean-field
   * variances, abs on covariance entries in units of max |P|. The optimum is exact (math.md); what remains is
   * the stochastic-gradient noise of the last iterates, ~lr × (gradient noise / √S). Measured: mean 6e-3 sd,
   * full covariance 4e-3, mean-field variances 5e-3; 2e-2 leaves a factor ≥ 3 (the talk's settings, lr 0.01 and
   * one sample per step, give 15–40 % and would not pass).
   */
  public static final double VI_LINEAR = 2e-2;

  /**
   * abs, in posterior standard deviations: VI means against the exact posterior mean (issue 12 §3; the issue's
   * bound). With the default settings on {@code QuadraticTarget.standard()} from a tenth of the prior's scale,
   * measured over 20 seeds: full rank ≤ 1e-4 sd (the path estimator's variance vanishes at the optimum; what is
   * left is Adam's ±lr oscillation, averaged out), mean field ≤ 1e-4 sd (antithetic pairs cancel the mean's
   * gradient noise on a Gaussian target).
   */
  public static final double VI_MEAN_SD = 0.02;

  /**
   * rel: VI standard deviations against the exact (full rank) or exact mean-field optimum ones (issue 12 §3; the
   * issue's bound). Measured as above: full rank ≤ 2e-4; mean field 0.010 on average and 0.017 at worst over the
   * 6 components × 20 seeds — the ρ gradient's noise (products ε_i ε_j of the correlated directions mean field
   * ignores) is even in ε, so the antithetic pairs do not cancel it, and the averaged iterates keep
   * ≈ noise / √(8 × 2000).
   */
  public static final double VI_STD_REL = 0.02;

  /** abs: VI correlations against the exact posterior correlations (issue 12 §3). Measured: ≤ 4e-4. */
  public static final double VI_CORRELATION = 0.02;

  /**
   * abs, nats, added to 3 standard errors: the final ELBO against the exact log evidence (issue 12 §3): the
   * distance of the optimiser's end point from the optimum, which lowers the ELBO by ½ δᵀ A δ.
   */
  public static final double VI_ELBO_ABS = 0.02;

  /**
   * rel (to 1 + |value|): a flow's inverse applied to its forward map, and the two log-determinants. Each coupling
   * computes {@code (b e^s + t − t) e^{−s}} with the same s and t, a few ulp per layer; with ≤ 4 layers and
   * scales e^{±1} 1e-12 leaves two orders of margin.
   */
  public static final double FLOW_INVERSE = 1e-12;
}
