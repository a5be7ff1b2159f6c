package org.vi4dvar.kernels.config;

import java.io.Serializable;

/**
 * A range {@code [min, max]} of noise standard deviations, as fractions of half the peak-to-peak range of the
 * signal they perturb (the talk's recipe; see {@link org.vi4dvar.kernels.twin.TwinExperiment}).
 *
 * @param key the configuration key it was read from (for messages)
 * @param min lower bound, finite and {@code > 0}
 * @param max upper bound, finite and {@code >= min}
 */
public record NoiseRange(String key, double min, double max) implements Serializable {

  /** Validates {@code 0 < min <= max < ∞}. */
  public NoiseRange {
    if (!(min > 0) || !Double.isFinite(min) || !Double.isFinite(max) || !(max >= min)) {
      throw new ConfigError(key, "must be [min, max] with 0 < min <= max (finite), got [" + min
          + ", " + max + "]");
    }
  }
}
