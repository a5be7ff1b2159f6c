package org.vi4dvar.driver.config;

import java.util.Locale;

/** The ABC distance of a trial {@code x0 ~ N(x_b, B)}. */
public enum AbcDistance {
  /**
   * The observation part {@code Jo(x0)} only: the trials already come from the prior, so adding the background
   * term would count the prior twice (the talk's code did).
   */
  OBSERVATION,
  /** The full cost {@code J(x0) = Jb + Jo}. */
  FULL,
  /**
   * Likelihood rejection: {@code Jo(x0) + log(1 − u)}, u uniform. A trial with distance ≤ 0 is accepted with
   * probability {@code exp(−Jo)}, so with {@code abc.threshold = 0} the accepted trials are exact posterior
   * draws (few of them when the data are informative).
   */
  LIKELIHOOD;

  /** The configuration name. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kernel's distance of the same meaning. */
  public org.vi4dvar.kernels.abc.AbcDistance kernel() {
    switch (this) {
      case FULL:
        return org.vi4dvar.kernels.abc.AbcDistance.FULL;
      case LIKELIHOOD:
        return org.vi4dvar.kernels.abc.AbcDistance.LIKELIHOOD_REJECTION;
      default:
        return org.vi4dvar.kernels.abc.AbcDistance.OBSERVATION;
    }
  }
}
