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
  FULL;

  /** The configuration name. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
