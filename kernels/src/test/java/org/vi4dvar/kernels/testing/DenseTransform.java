package org.vi4dvar.kernels.testing;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.var.ControlTransform;

/**
 * A test-side {@link ControlTransform} with a dense lower-triangular S (the Cholesky factor of a correlated B):
 * {@code c = c_b + S v}. The production one (dense B½) is another helper's; this one only has to be right.
 */
public final class DenseTransform implements ControlTransform {

  private static final long serialVersionUID = 1L;

  private final int n;
  private final double[] center;
  private final double[] s;
  private final double logDet;

  /** {@code c = center + S v}, S lower-triangular (n×n row-major, copied). */
  public DenseTransform(double[] center, double[] lower) {
    this.n = center.length;
    this.center = center.clone();
    this.s = lower.clone();
    double ld = 0;
    for (int i = 0; i < n; i++) {
      ld += Math.log(s[i * n + i]);
      for (int j = i + 1; j < n; j++) {
        s[i * n + j] = 0.0;
      }
    }
    this.logDet = ld;
  }

  /**
   * The Cholesky factor of {@code B = D C D}: D = diag(std), C the Gaussian correlation of the chordal distance on
   * the periodic grid of n points (math-2.md), {@code C_ij = exp(−c_ij²/2L²)}, {@code c_ij = (n/π) sin(π|i−j|/n)}.
   */
  public static DenseTransform periodicGaussian(double[] center, double[] std, double length) {
    final int n = center.length;
    double[] b = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double ch = n / Math.PI * Math.sin(Math.PI * Math.abs(i - j) / n);
        b[i * n + j] = std[i] * std[j] * Math.exp(-ch * ch / (2 * length * length));
      }
    }
    double[] l = new double[n * n];
    if (!Cholesky.decompose(n, b, l)) {
      throw new IllegalStateException("B not positive definite");
    }
    return new DenseTransform(center, l);
  }

  @Override
  public int n() {
    return n;
  }

  @Override
  public double center(int i) {
    return center[i];
  }

  @Override
  public void apply(double[] w, double[] out) {
    for (int i = 0; i < n; i++) {
      double v = 0;
      for (int j = 0; j <= i; j++) {
        v += s[i * n + j] * w[j];
      }
      out[i] = v;
    }
  }

  @Override
  public void applyTranspose(double[] g, double[] out) {
    for (int j = 0; j < n; j++) {
      double v = 0;
      for (int i = j; i < n; i++) {
        v += s[i * n + j] * g[i];
      }
      out[j] = v;
    }
  }

  @Override
  public void solve(double[] d, double[] out) {
    System.arraycopy(d, 0, out, 0, n);
    Cholesky.solveLower(n, s, out);
  }

  @Override
  public double logDet() {
    return logDet;
  }

  @Override
  public double scale(int i) {
    double v = 0;
    for (int j = 0; j <= i; j++) {
      v += s[i * n + j] * s[i * n + j];
    }
    return Math.sqrt(v);
  }

  @Override
  public boolean diagonal() {
    return false;
  }

  /** S (copy). */
  public double[] lower() {
    return s.clone();
  }
}
