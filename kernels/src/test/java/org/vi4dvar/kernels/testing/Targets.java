package org.vi4dvar.kernels.testing;

import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.var.ControlTransform;

/**
 * Non-Gaussian targets with known log Z, plugged in as the cost f(v) of VI (with the identity transform c = v).
 * Each f is the exact −log of a normalised density, so log Z = 0 unless said otherwise.
 */
public final class Targets {

  private Targets() {
  }

  /** {@code c = v} in n dimensions (log|det S| = 0). */
  public static ControlTransform identity(int n) {
    double[] one = new double[n];
    java.util.Arrays.fill(one, 1.0);
    return ControlTransform.diagonal(new double[n], one);
  }

  /**
   * The banana (a twisted Gaussian, Haario, Saksman &amp; Tamminen 1999): {@code v0 ~ N(0, 1)},
   * {@code v1 | v0 ~ N(b (v0² − 1), 1)}: {@code f = ½ v0² + ½ (v1 − b(v0² − 1))² + log 2π}, log Z = 0 (the map
   * {@code (v0, v1) ↦ (v0, v1 − b(v0²−1))} has unit Jacobian). The best Gaussian (full rank) has, by symmetry,
   * mean (0, b(t − 1)), no correlation, Var v1 = 1 and Var v0 = t with {@code 4b²t² + t − 1 = 0}; its gap is
   * {@link #bananaGaussianGap}.
   */
  public static DifferentiableFunction banana(double b) {
    final double log2pi = Math.log(2 * Math.PI);
    return new DifferentiableFunction() {
      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public double valueAndGradient(double[] v, double[] g) {
        double r = v[1] - b * (v[0] * v[0] - 1);
        g[0] = v[0] - 2 * b * v[0] * r;
        g[1] = r;
        return 0.5 * v[0] * v[0] + 0.5 * r * r + log2pi;
      }
    };
  }

  /** {@code log Z − max ELBO} over full-rank Gaussians for {@link #banana} (class comment of it). */
  public static double bananaGaussianGap(double b) {
    double t = (-1 + Math.sqrt(1 + 16 * b * b)) / (8 * b * b);
    return -0.5 + 0.5 * t + b * b * t * t - 0.5 * Math.log(t);
  }

  /**
   * Neal's funnel (Neal 2003, "Slice sampling") in d dimensions: {@code v0 ~ N(0, σ²)},
   * {@code v_i | v0 ~ N(0, e^{v0})} (i = 1..d−1), normalised: log Z = 0.
   */
  public static DifferentiableFunction funnel(int d, double sigma) {
    final double c = 0.5 * Math.log(2 * Math.PI * sigma * sigma) + 0.5 * (d - 1) * Math.log(2 * Math.PI);
    return new DifferentiableFunction() {
      @Override
      public int dimension() {
        return d;
      }

      @Override
      public double valueAndGradient(double[] v, double[] g) {
        double e = Math.exp(-v[0]);
        double f = 0.5 * v[0] * v[0] / (sigma * sigma) + c;
        g[0] = v[0] / (sigma * sigma);
        for (int i = 1; i < d; i++) {
          f += 0.5 * v[i] * v[i] * e + 0.5 * v[0];
          g[0] += -0.5 * v[i] * v[i] * e + 0.5;
          g[i] = v[i] * e;
        }
        return f;
      }
    };
  }

  /**
   * {@code p = Σ_k w_k N(v; m_k, Σ_k)} in 2-D with {@code Σ_k = L_k L_kᵀ} (lower factors row-major, 4 values):
   * {@code f = −log p}, log Z = 0.
   */
  public static DifferentiableFunction gaussianMixture2d(double[] w, double[][] m, double[][] l) {
    final int k = w.length;
    return new DifferentiableFunction() {
      private final double[] lp = new double[k];
      private final double[][] grads = new double[k][2];

      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public double valueAndGradient(double[] v, double[] g) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          double[] lj = l[j];
          // z = L⁻¹ (v − m)
          double z0 = (v[0] - m[j][0]) / lj[0];
          double z1 = (v[1] - m[j][1] - lj[2] * z0) / lj[3];
          lp[j] = Math.log(w[j]) - 0.5 * (z0 * z0 + z1 * z1) - Math.log(2 * Math.PI) - Math.log(lj[0] * lj[3]);
          // ∇ log N = −L⁻ᵀ z
          double a1 = z1 / lj[3];
          double a0 = (z0 - lj[2] * a1) / lj[0];
          grads[j][0] = -a0;
          grads[j][1] = -a1;
          max = Math.max(max, lp[j]);
        }
        double s = 0;
        for (int j = 0; j < k; j++) {
          s += Math.exp(lp[j] - max);
        }
        double logp = max + Math.log(s);
        g[0] = 0;
        g[1] = 0;
        for (int j = 0; j < k; j++) {
          double r = Math.exp(lp[j] - logp);
          g[0] -= r * grads[j][0];
          g[1] -= r * grads[j][1];
        }
        return -logp;
      }
    };
  }
}
