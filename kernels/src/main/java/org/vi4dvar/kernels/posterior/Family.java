package org.vi4dvar.kernels.posterior;

import java.util.Locale;

/** The family of a {@link Posterior}, as named in {@code posterior.json}. */
public enum Family {
  /** {@code N(m, Σ)}: the prior, Laplace, Gaussian VI. */
  GAUSSIAN,
  /** Equally or importance-weighted draws: ABC, the ensemble, MCMC, importance-corrected posteriors. */
  EMPIRICAL,
  /** A weighted mixture of posteriors with densities. */
  MIXTURE,
  /** A normalizing flow (VI). */
  FLOW;

  /** The name in outputs: lower case. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
