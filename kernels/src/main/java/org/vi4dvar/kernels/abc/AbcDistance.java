package org.vi4dvar.kernels.abc;

/**
 * The distance by which ABC ranks a trial x0 drawn from the prior {@code N(x_b, B)}.
 */
public enum AbcDistance implements org.vi4dvar.kernels.config.ConfigChoice {
  /**
   * {@code Jo(x0) = ½ Σ (h(x_t) − y_t)² / σo²}, the observation misfit (default). The trials are already
   * drawn from the prior, so adding the background term {@code Jb} would count the prior twice (the talk's code
   * ranked by the full J, and without the ½).
   */
  OBSERVATION,
  /** The full {@code J = Jb + Jo} (counts the prior twice; for comparison with the talk's code). */
  FULL,
  /**
   * {@code Jo(x0) − E} with {@code E ~ Exp(1)} drawn per trial: {@code distance ≤ 0} exactly when
   * {@code u ≤ exp(−Jo)}, i.e. the trial passes a rejection step whose acceptance probability is the
   * likelihood {@code p(y | x0) ∝ exp(−Jo)} (bounded by 1). Trials with distance ≤ 0 are therefore exact
   * draws from the posterior; so are the k kept ones when the k-th smallest distance is ≤ 0 (given the
   * (k+1)-th order statistic c ≤ 0, they are iid from the prior restricted to {@code Jo − E < c}, whose density
   * is ∝ prior × exp(c − Jo) ∝ posterior). Practical only when the evidence is not tiny (the acceptance rate
   * is {@code E_prior[exp(−Jo)]}); the reference for testing ABC against an exact posterior.
   */
  LIKELIHOOD_REJECTION;

  /** {@code observation}, {@code full} or {@code likelihood} (the key {@code abc.distance}). */
  @Override
  public String configName() {
    switch (this) {
      case FULL:
        return "full";
      case LIKELIHOOD_REJECTION:
        return "likelihood";
      default:
        return "observation";
    }
  }
}
