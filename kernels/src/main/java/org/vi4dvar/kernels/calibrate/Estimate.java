package org.vi4dvar.kernels.calibrate;

/**
 * A pooled value with its confidence interval (NaN bounds when there are too few twins for one).
 *
 * @param value the estimate
 * @param lo the interval's lower bound
 * @param hi the interval's upper bound
 */
public record Estimate(double value, double lo, double hi) {

  /** Nothing to estimate from. */
  static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, Double.NaN);

  /** Whether {@code x} lies in [lo, hi]. */
  public boolean contains(double x) {
    return x >= lo && x <= hi;
  }
}
