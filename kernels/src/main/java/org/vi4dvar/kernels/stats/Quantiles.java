package org.vi4dvar.kernels.stats;

import java.util.Arrays;

/**
 * Exact sample quantiles of kept samples, per column, by sorting: the linear interpolation of the order
 * statistics at position {@code h = (n − 1) p} (Hyndman &amp; Fan 1996, type 7; NumPy's and R's default):
 * {@code q(p) = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋))}. NaN values sort last (so they only affect the top
 * quantiles); callers exclude diverged samples first. Static; allocates one column buffer per call.
 */
public final class Quantiles {

  private Quantiles() {
  }

  /**
   * Quantiles of every column of {@code count} rows of {@code dim} values ({@code x[s*dim + k]}, not
   * modified), into {@code out[q*dim + k]} for each probability {@code probs[q]} in [0, 1].
   */
  public static void of(double[] x, int count, int dim, double[] probs, double[] out) {
    if (count < 1) {
      throw new IllegalArgumentException("quantiles of an empty sample");
    }
    for (double p : probs) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("probability outside [0, 1]: " + p);
      }
    }
    double[] col = new double[count];
    for (int k = 0; k < dim; k++) {
      for (int s = 0; s < count; s++) {
        col[s] = x[s * dim + k];
      }
      Arrays.sort(col);
      for (int q = 0; q < probs.length; q++) {
        out[q * dim + k] = sorted(col, probs[q]);
      }
    }
  }

  /** Type-7 quantile of an ascending array. */
  public static double sorted(double[] asc, double p) {
    final int n = asc.length;
    double h = (n - 1) * p;
    int lo = (int) Math.floor(h);
    if (lo >= n - 1) {
      return asc[n - 1];
    }
    double frac = h - lo;
    return frac == 0.0 ? asc[lo] : asc[lo] + frac * (asc[lo + 1] - asc[lo]);
  }
}
