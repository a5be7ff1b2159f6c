package org.vi4dvar.kernels.stats;

/**
 * Count, mean, sum of squared deviations {@code M2}, min and max of a stream of numbers: Welford's update for
 * one value and Chan et al.'s merge of two parts,
 * <pre>
 *   add x:    n ← n+1,  δ = x − m,  m ← m + δ/n,  M2 ← M2 + δ (x − m)
 *   merge:    n = na + nb,  δ = mb − ma,  m = ma + δ nb/n,  M2 = M2a + M2b + δ² na nb / n
 * </pre>
 * (Welford 1962; Chan, Golub &amp; LeVeque 1979). Floating-point results depend on the order of adds and merges:
 * callers that need bit-identical results for any partitioning merge in a fixed order (e.g. of block index).
 * Mutable, not thread-safe; a plain final class (Kryo).
 */
public final class RunningStats implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private long n;
  private double mean;
  private double m2;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** Empty statistics. */
  public RunningStats() {
  }

  /** Statistics with the given parts (e.g. one block's, read back from a result). */
  public RunningStats(long n, double mean, double m2, double min, double max) {
    if (n < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + n);
    }
    this.n = n;
    this.mean = mean;
    this.m2 = m2;
    this.min = min;
    this.max = max;
  }

  /** Adds one value. */
  public void add(double x) {
    n++;
    double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
    if (x < min) {
      min = x;
    }
    if (x > max) {
      max = x;
    }
  }

  /** Merges {@code o} into this (Chan et al.); {@code o} is not modified. */
  public void merge(RunningStats o) {
    if (o.n == 0) {
      return;
    }
    if (n == 0) {
      n = o.n;
      mean = o.mean;
      m2 = o.m2;
      min = o.min;
      max = o.max;
      return;
    }
    long nn = n + o.n;
    double d = o.mean - mean;
    mean = mean + d * ((double) o.n / nn);
    m2 = m2 + o.m2 + d * d * ((double) n * (double) o.n / nn);
    n = nn;
    min = Math.min(min, o.min);
    max = Math.max(max, o.max);
  }

  /** Number of values. */
  public long count() {
    return n;
  }

  /** Mean (0 if empty). */
  public double mean() {
    return mean;
  }

  /** Sum of squared deviations from the mean. */
  public double m2() {
    return m2;
  }

  /** Sample variance {@code M2/(n−1)} (0 if n &lt; 2). */
  public double variance() {
    return n > 1 ? m2 / (n - 1) : 0.0;
  }

  /** Smallest value (+∞ if empty). */
  public double min() {
    return min;
  }

  /** Largest value (−∞ if empty). */
  public double max() {
    return max;
  }

  @Override
  public String toString() {
    return "RunningStats[n=" + n + ", mean=" + mean + ", sd=" + Math.sqrt(variance()) + ", min=" + min
        + ", max=" + max + "]";
  }
}
