package org.vi4dvar.kernels.stats;

/**
 * The draws of one scalar (a point (t, i) of the trajectory) under a posterior, equally or importance-weighted,
 * and what is reported of it. Workspaces are allocated once for up to {@code capacity} draws; {@link #load}
 * takes a new point, so one instance serves every point of a task without allocating.
 * <pre>
 *   W = Σ w_i,  V₂ = Σ w_i²,  mean = Σ w_i x_i / W,  var = Σ w_i (x_i − mean)² / (W − V₂/W)
 *     (in draw order; with equal weights the usual divisor m − 1, 0 when m = 1)
 *   quantile p: sorted x_(1) ≤ … ≤ x_(m) with weights w_(k) and C_k = Σ_{j≤k} w_(j);  h = p (W − w_(m));
 *     k = the first k with C_k &gt; h;  q = x_(k) + (h − C_{k−1}) / w_(k) · (x_(k+1) − x_(k))
 *     (with equal weights exactly Hyndman &amp; Fan type 7, NumPy's default: the equal-weight case calls
 *     {@code Scores.quantileSorted})
 *   CRPS(y) = Σ w_i |x_i − y| / W − (1/W²) Σ_k w_(k) x_(k) (C_{k−1} − (W − C_k))
 *     (= (1/m) Σ|x_i − y| − 1/(2m²) Σ_i Σ_j |x_i − x_j| with equal weights)
 *   PIT(y) = (W_{&lt;y} + ½ W_{=y} + ½ w̄) / (W + w̄),   w̄ = W/m
 *     (with equal weights (r + ½)/(m + 1) for the rank r of y among the m draws; the rank-histogram bin is
 *     ⌊B · PIT⌋, so each of the m + 1 possible ranks falls in one of B bins of nearly equal width)
 * </pre>
 * Not thread-safe.
 */
public final class PointSample {

  private final double[] x;
  private final double[] w;
  private final double[] sorted;
  private final double[] sortedW;
  private final int[] idx;
  private final int[] tmp;
  private int m;
  private boolean weighted;
  private double wSum;
  private double w2Sum;
  private boolean isSorted;

  /** Workspaces for up to {@code capacity} draws. */
  public PointSample(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.x = new double[capacity];
    this.w = new double[capacity];
    this.sorted = new double[capacity];
    this.sortedW = new double[capacity];
    this.idx = new int[capacity];
    this.tmp = new int[capacity];
  }

  /**
   * Takes the values {@code values[off + k·stride]}, k &lt; m, with weights {@code weights[k]} (null: equal).
   * Values must be finite; weights finite and ≥ 0 with a positive sum.
   */
  public void load(double[] values, int off, int stride, int count, double[] weights) {
    if (count < 1 || count > x.length) {
      throw new IllegalArgumentException("count " + count + " outside [1, " + x.length + "]");
    }
    m = count;
    weighted = weights != null;
    double s = 0.0;
    double s2 = 0.0;
    for (int k = 0; k < count; k++) {
      x[k] = values[off + k * stride];
      double wk = weighted ? weights[k] : 1.0;
      w[k] = wk;
      s += wk;
      s2 += wk * wk;
    }
    wSum = s;
    w2Sum = s2;
    isSorted = false;
  }

  /** Number of draws. */
  public int count() {
    return m;
  }

  /** The weighted mean, in draw order. */
  public double mean() {
    double s = 0.0;
    for (int k = 0; k < m; k++) {
      s += w[k] * x[k];
    }
    return weighted ? s / wSum : s / m;
  }

  /** The weighted standard deviation around {@code mean} (reliability weights; 0 when undefined). */
  public double std(double mean) {
    double s = 0.0;
    for (int k = 0; k < m; k++) {
      double d = x[k] - mean;
      s += w[k] * d * d;
    }
    double denom = weighted ? wSum - w2Sum / wSum : m - 1;
    return denom > 0 ? Math.sqrt(s / denom) : 0.0;
  }

  private void sort() {
    if (isSorted) {
      return;
    }
    if (!weighted) {
      System.arraycopy(x, 0, sorted, 0, m);
      java.util.Arrays.sort(sorted, 0, m);
      java.util.Arrays.fill(sortedW, 0, m, 1.0);
    } else {
      for (int k = 0; k < m; k++) {
        idx[k] = k;
      }
      mergeSort(0, m);
      for (int k = 0; k < m; k++) {
        sorted[k] = x[idx[k]];
        sortedW[k] = w[idx[k]];
      }
    }
    isSorted = true;
  }

  /** Stable merge sort of idx[lo, hi) by x (ties keep draw order). */
  private void mergeSort(int lo, int hi) {
    if (hi - lo < 2) {
      return;
    }
    if (hi - lo <= 16) {
      for (int i = lo + 1; i < hi; i++) {
        int v = idx[i];
        int j = i - 1;
        while (j >= lo && x[idx[j]] > x[v]) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = v;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(lo, mid);
    mergeSort(mid, hi);
    if (x[idx[mid - 1]] <= x[idx[mid]]) {
      return;
    }
    System.arraycopy(idx, lo, tmp, lo, hi - lo);
    int a = lo;
    int b = mid;
    for (int k = lo; k < hi; k++) {
      if (b >= hi || (a < mid && x[tmp[a]] <= x[tmp[b]])) {
        idx[k] = tmp[a++];
      } else {
        idx[k] = tmp[b++];
      }
    }
  }

  /** The quantile of probability {@code p} in [0, 1] (class comment). */
  public double quantile(double p) {
    sort();
    if (!weighted) {
      return org.vi4dvar.kernels.scores.Scores.quantileSorted(sorted, m, p);
    }
    double h = p * (wSum - sortedW[m - 1]);
    double c = 0.0;
    for (int k = 0; k < m - 1; k++) {
      double next = c + sortedW[k];
      if (next > h) {
        double frac = sortedW[k] > 0 ? (h - c) / sortedW[k] : 0.0;
        return frac == 0.0 ? sorted[k] : sorted[k] + frac * (sorted[k + 1] - sorted[k]);
      }
      c = next;
    }
    return sorted[m - 1];
  }

  /** The CRPS of the draws for the truth {@code y} (class comment). */
  public double crps(double y) {
    sort();
    double abs = 0.0;
    double spread = 0.0;
    double c = 0.0;
    for (int k = 0; k < m; k++) {
      double wk = sortedW[k];
      double before = c;
      c += wk;
      abs += wk * Math.abs(sorted[k] - y);
      spread += wk * sorted[k] * (before - (wSum - c));
    }
    return abs / wSum - spread / (wSum * wSum);
  }

  /** The probability integral transform of {@code y} (class comment), in (0, 1). */
  public double pit(double y) {
    sort();
    double below = 0.0;
    double equal = 0.0;
    for (int k = 0; k < m; k++) {
      if (sorted[k] < y) {
        below += sortedW[k];
      } else if (sorted[k] == y) {
        equal += sortedW[k];
      } else {
        break;
      }
    }
    double mean = wSum / m;
    return (below + 0.5 * equal + 0.5 * mean) / (wSum + mean);
  }

  /** Whether {@code y} lies in the central interval of probability {@code level}. */
  public boolean covered(double y, double level) {
    double a = 0.5 * (1.0 - level);
    return y >= quantile(a) && y <= quantile(1.0 - a);
  }

  /** The rank-histogram bin of {@code y} among {@code bins} bins: ⌊bins · PIT(y)⌋. */
  public int rankBin(double y, int bins) {
    return Math.min(bins - 1, (int) Math.floor(bins * pit(y)));
  }

  /**
   * The probability of each of {@code bins} rank-histogram bins for a calibrated posterior of {@code m} equally
   * weighted draws: the share of the m + 1 equally likely ranks r whose PIT (r + ½)/(m + 1) falls in the bin.
   */
  public static double[] expectedRankBins(int m, int bins) {
    double[] p = new double[bins];
    for (int r = 0; r <= m; r++) {
      int b = Math.min(bins - 1, (int) Math.floor(bins * ((r + 0.5) / (m + 1.0))));
      p[b] += 1.0 / (m + 1.0);
    }
    return p;
  }
}
