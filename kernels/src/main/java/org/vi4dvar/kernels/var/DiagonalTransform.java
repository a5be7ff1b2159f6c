package org.vi4dvar.kernels.var;

/**
 * {@code c = c_b + σ ⊙ v}: a diagonal prior covariance (today's diagonal B). Immutable; a plain final class
 * (Kryo).
 */
public final class DiagonalTransform implements ControlTransform {

  private static final long serialVersionUID = 1L;

  private final double[] center;
  private final double[] std;
  private final double logDet;

  /**
   * @param center c_b (copied), finite
   * @param std σ (copied), finite and &gt; 0
   */
  public DiagonalTransform(double[] center, double[] std) {
    if (center.length != std.length || center.length == 0) {
      throw new IllegalArgumentException("center and std must have the same length >= 1, got " + center.length
          + " and " + std.length);
    }
    double ld = 0.0;
    for (int i = 0; i < std.length; i++) {
      if (!Double.isFinite(center[i])) {
        throw new IllegalArgumentException("center[" + i + "] is not finite: " + center[i]);
      }
      if (!(std[i] > 0) || !Double.isFinite(std[i])) {
        throw new IllegalArgumentException("std[" + i + "] must be finite and > 0, got " + std[i]);
      }
      ld += Math.log(std[i]);
    }
    this.center = center.clone();
    this.std = std.clone();
    this.logDet = ld;
  }

  @Override
  public int n() {
    return std.length;
  }

  @Override
  public double center(int i) {
    return center[i];
  }

  @Override
  public void apply(double[] w, double[] out) {
    for (int i = 0; i < std.length; i++) {
      out[i] = std[i] * w[i];
    }
  }

  /** One pass per row: {@code c[i][t] = σ_i w[i][t] + c_b,i}, the operations of {@link #toControl}. */
  @Override
  public void toControlRows(double[][] w, int nb, double[][] c) {
    for (int i = 0; i < std.length; i++) {
      final double[] wi = w[i];
      final double[] ci = c[i];
      final double s = std[i];
      final double m = center[i];
      for (int t = 0; t < nb; t++) {
        ci[t] = s * wi[t] + m;
      }
    }
  }

  @Override
  public void applyTranspose(double[] g, double[] out) {
    apply(g, out);
  }

  @Override
  public void solve(double[] d, double[] out) {
    for (int i = 0; i < std.length; i++) {
      out[i] = d[i] / std[i];
    }
  }

  @Override
  public void solveTranspose(double[] g, double[] out) {
    solve(g, out);
  }

  @Override
  public DiagonalTransform withCenter(double[] newCenter) {
    return new DiagonalTransform(newCenter, std);
  }

  /** {@code diag(σ_i²)} (new array). */
  @Override
  public double[] covarianceMatrix() {
    final int n = std.length;
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      c[i * n + i] = std[i] * std[i];
    }
    return c;
  }

  /** {@code diag(1.0 / (σ_i σ_i))} (new array). */
  @Override
  public double[] precisionMatrix() {
    final int n = std.length;
    double[] p = new double[n * n];
    for (int i = 0; i < n; i++) {
      p[i * n + i] = 1.0 / (std[i] * std[i]);
    }
    return p;
  }

  /** The standard deviations σ (copy). */
  public double[] std() {
    return std.clone();
  }

  @Override
  public double logDet() {
    return logDet;
  }

  @Override
  public double scale(int i) {
    return std[i];
  }

  @Override
  public boolean diagonal() {
    return true;
  }
}
