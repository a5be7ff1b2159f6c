package org.vi4dvar.kernels.posterior;

/**
 * The mean and covariance of the control under a posterior, exactly as the family knows them. A diagonal family
 * (mean-field VI, a diagonal prior) stores only the variances ({@link #covariance} is {@code null}: the covariance
 * is {@code diag(variance)}), so an n = 4096 mean-field posterior costs two vectors. A plain final class; arrays
 * owned by it.
 */
public final class Moments implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Largest dimension whose dense covariance is formed (4096² doubles = 134 MB); above it families report their
   * variances only, and x0_cov.csv is not written.
   */
  public static final int DENSE_LIMIT = 4096;

  /** Mean, n values. */
  public final double[] mean;
  /** Variances (the covariance's diagonal), n values. */
  public final double[] variance;
  /** Covariance, n×n row-major, symmetric; {@code null} when diagonal. */
  public final double[] covariance;

  private Moments(double[] mean, double[] variance, double[] covariance) {
    this.mean = mean;
    this.variance = variance;
    this.covariance = covariance;
  }

  /** Dense moments (the arrays are kept). */
  public static Moments dense(double[] mean, double[] covariance) {
    final int n = mean.length;
    if (covariance.length != n * n) {
      throw new IllegalArgumentException("covariance must be n×n for n = " + n + ", got " + covariance.length);
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = covariance[i * n + i];
    }
    return new Moments(mean, v, covariance);
  }

  /** Diagonal moments (the arrays are kept). */
  public static Moments diagonal(double[] mean, double[] variance) {
    if (variance.length != mean.length) {
      throw new IllegalArgumentException("variance must have n = " + mean.length + " values");
    }
    return new Moments(mean, variance, null);
  }

  /** n. */
  public int n() {
    return mean.length;
  }

  /** Whether only the diagonal is stored (the covariance is diagonal). */
  public boolean isDiagonal() {
    return covariance == null;
  }

  /** Covariance entry (i, j). */
  public double cov(int i, int j) {
    if (covariance != null) {
      return covariance[i * mean.length + j];
    }
    return i == j ? variance[i] : 0.0;
  }

  /** The dense n×n covariance (new array when diagonal; else the stored one). */
  public double[] denseCovariance() {
    if (covariance != null) {
      return covariance;
    }
    final int n = mean.length;
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      c[i * n + i] = variance[i];
    }
    return c;
  }

  /** Marginal standard deviations (new array). */
  public double[] std() {
    double[] s = new double[variance.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.sqrt(Math.max(0.0, variance[i]));
    }
    return s;
  }

  /** The block of components {@code [from, from + k)} (e.g. x0 of an extended control). */
  public Moments block(int from, int k) {
    final int n = mean.length;
    if (from < 0 || k < 1 || from + k > n) {
      throw new IllegalArgumentException("block [" + from + ", " + (from + k) + ") outside [0, " + n + ")");
    }
    if (from == 0 && k == n) {
      return this;
    }
    double[] m = java.util.Arrays.copyOfRange(mean, from, from + k);
    double[] v = java.util.Arrays.copyOfRange(variance, from, from + k);
    if (covariance == null) {
      return new Moments(m, v, null);
    }
    double[] c = new double[k * k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(covariance, (from + i) * n + from, c, i * k, k);
    }
    return new Moments(m, v, c);
  }
}
