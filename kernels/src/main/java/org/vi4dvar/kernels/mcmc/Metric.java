package org.vi4dvar.kernels.mcmc;

/**
 * The chain's metric factor {@code C = A diag(d)} (A general dense n×n, or absent for the identity): positions
 * move as {@code v += ε C p}, momenta (in {@code u = C⁻¹ v}) as {@code p −= ε/2 Cᵀ ∇f}. Mutable by warm-up only;
 * package-private.
 */
final class Metric {

  final int n;
  /** A (n×n row-major), or {@code null} for I. */
  double[] a;
  /** d (n). */
  final double[] d;

  Metric(int n, double[] a, double[] d) {
    this.n = n;
    this.a = a;
    this.d = d;
  }

  /** The metric of a preconditioner before adaptation. */
  static Metric of(Preconditioner p) {
    final int n = p.n;
    double[] d = new double[n];
    java.util.Arrays.fill(d, 1.0);
    switch (p.kind) {
      case IDENTITY:
        return new Metric(n, null, d);
      case DIAGONAL:
        return new Metric(n, null, p.factor.clone());
      default:
        return new Metric(n, p.dense(), d);
    }
  }

  /** {@code out = C x = A (d ⊙ x)}; {@code tmp} n values of scratch. */
  void apply(double[] x, double[] out, double[] tmp) {
    if (a == null) {
      for (int i = 0; i < n; i++) {
        out[i] = d[i] * x[i];
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      tmp[i] = d[i] * x[i];
    }
    for (int i = 0; i < n; i++) {
      final int o = i * n;
      double s = 0.0;
      for (int k = 0; k < n; k++) {
        s += a[o + k] * tmp[k];
      }
      out[i] = s;
    }
  }

  /** {@code out = Cᵀ g = d ⊙ (Aᵀ g)}. */
  void applyTranspose(double[] g, double[] out) {
    if (a == null) {
      for (int i = 0; i < n; i++) {
        out[i] = d[i] * g[i];
      }
      return;
    }
    java.util.Arrays.fill(out, 0, n, 0.0);
    for (int k = 0; k < n; k++) {
      final double gk = g[k];
      final int o = k * n;
      for (int i = 0; i < n; i++) {
        out[i] += a[o + i] * gk;
      }
    }
    for (int i = 0; i < n; i++) {
      out[i] *= d[i];
    }
  }
}
