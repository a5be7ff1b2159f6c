package org.vi4dvar.kernels.config;

import java.util.Locale;

/** Where a minimisation or a VI restart starts. */
public enum StartPoint implements ConfigChoice {
  /** The background {@code x_b} (the talk). */
  BACKGROUND,
  /**
   * The lowest-J ABC trials, a cheap global exploration: on the talk's data J has over a hundred local minima
   * and a start from the background stops far from the posterior's basin.
   */
  BEST;

  /** The configuration name. */
  @Override
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
