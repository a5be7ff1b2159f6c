package org.vi4dvar.kernels.scores;

import java.util.Arrays;

/**
 * Scalar scores of an ensemble {@code x_1..x_m} (a posterior sample at one point) for a truth {@code y}.
 * <pre>
 *   CRPS(x, y) = (1/m) Σ_i |x_i − y| − 1/(2m²) Σ_i Σ_j |x_i − x_j|
 *              = (1/m) Σ_i |x_i − y| − (1/m²) Σ_i (2i − m + 1) x_(i)      (x_(i) sorted ascending, i = 0..m−1)
 *   quantile q (linear interpolation between order statistics, "type 7"): h = (m−1) q, x_(⌊h⌋) + (h−⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋))
 *   rank of y: #{i : x_i &lt; y} + ½ #{i : x_i = y}, rounded down — in 0..m
 * </pre>
 * Methods taking {@code sorted} require an ascending, NaN-free array. Stateless.
 */
public final class Scores {

  private Scores() {
  }

  /** CRPS of an ensemble for the truth {@code y}, by the O(m) sorted form. */
  public static double crpsSorted(double[] sorted, int m, double y) {
    double abs = 0.0;
    double spread = 0.0;
    for (int i = 0; i < m; i++) {
      abs += Math.abs(sorted[i] - y);
      spread += (2.0 * i - m + 1) * sorted[i];
    }
    return abs / m - spread / ((double) m * m);
  }

  /** CRPS of an unsorted ensemble (copies and sorts). */
  public static double crps(double[] x, double y) {
    double[] s = x.clone();
    Arrays.sort(s);
    return crpsSorted(s, s.length, y);
  }

  /** Quantile {@code q ∈ [0, 1]} of a sorted sample by linear interpolation between order statistics. */
  public static double quantileSorted(double[] sorted, int m, double q) {
    if (m == 1) {
      return sorted[0];
    }
    double h = (m - 1) * q;
    int lo = (int) Math.floor(h);
    if (lo >= m - 1) {
      return sorted[m - 1];
    }
    return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
  }

  /** Rank of {@code y} among the sorted sample: the number of members below it, ties counted half; in 0..m. */
  public static int rankSorted(double[] sorted, int m, double y) {
    int below = 0;
    int equal = 0;
    for (int i = 0; i < m; i++) {
      if (sorted[i] < y) {
        below++;
      } else if (sorted[i] == y) {
        equal++;
      } else {
        break;
      }
    }
    return below + equal / 2;
  }

  /** Whether {@code y} lies in the central interval of probability {@code level} of the sorted sample. */
  public static boolean coveredSorted(double[] sorted, int m, double y, double level) {
    double a = 0.5 * (1.0 - level);
    return y >= quantileSorted(sorted, m, a) && y <= quantileSorted(sorted, m, 1.0 - a);
  }
}
