package org.vi4dvar.kernels.testing;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

/**
 * A linear-Gaussian target in the whitened control with a correlated prior, and its exact posterior:
 * <pre>
 *   c = c_b + S v,   B = S Sᵀ correlated (DenseTransform.periodicGaussian),   y = H c + ε,   ε ~ N(0, R), R diagonal
 *   f(v) = ½‖v‖² + ½ (G v − d)ᵀ R⁻¹ (G v − d),   G = H S,   d = y − H c_b          (= J(c_b + S v))
 *   A_v = I + Gᵀ R⁻¹ G,   m_v = A_v⁻¹ Gᵀ R⁻¹ d,   P_v = A_v⁻¹
 *   posterior of c:  mean c_b + S m_v,   covariance S P_v Sᵀ                              (math.md)
 *   log Z_c = ∫ e^{−J(c)} dc = −f(m_v) + ½ n log 2π − ½ log det A_v + log|det S|             (math-2.md)
 * </pre>
 * Everything is drawn from {@code RandomStream(seed, OTHER, 0)}. H is a dense random ny×n matrix with
 * ny &lt; n, so some directions are seen only through the prior and the posterior is strongly correlated.
 */
public final class QuadraticTarget implements DifferentiableFunction {

  /** Dimension. */
  public final int n;
  /** Observations. */
  public final int ny;
  /** The transform. */
  public final DenseTransform transform;
  /** G = H S (ny×n). */
  public final double[] g;
  /** d = y − H c_b. */
  public final double[] d;
  /** 1/R_jj. */
  public final double[] rInv;
  /** A_v (n×n). */
  public final double[] precisionV;
  /** P_v (n×n). */
  public final double[] covarianceV;
  /** m_v. */
  public final double[] meanV;
  /** Posterior mean of c. */
  public final double[] meanC;
  /** Posterior covariance of c (n×n). */
  public final double[] covarianceC;
  /** log Z over c. */
  public final double logZ;
  private final double[] r;

  /** nx 6, 4 observations, correlation length 1.5 grid points. */
  public static QuadraticTarget standard() {
    return new QuadraticTarget(77, 6, 4, 1.5);
  }

  /** A random problem. */
  public QuadraticTarget(long seed, int n, int ny, double length) {
    RandomStream rs = RandomStream.of(seed, Domain.OTHER, 0);
    this.n = n;
    this.ny = ny;
    double[] cb = new double[n];
    double[] std = new double[n];
    for (int i = 0; i < n; i++) {
      cb[i] = rs.nextGaussian();
      std[i] = rs.nextUniform(0.5, 1.5);
    }
    transform = DenseTransform.periodicGaussian(cb, std, length);
    double[] h = new double[ny * n];
    for (int k = 0; k < h.length; k++) {
      h[k] = rs.nextGaussian();
    }
    double[] truth = new double[n];
    double[] z = new double[n];
    rs.fillGaussian(z, 0, n);
    transform.toControl(z, truth);
    rInv = new double[ny];
    d = new double[ny];
    double[] s = transform.lower();
    g = new double[ny * n];
    for (int j = 0; j < ny; j++) {
      double sd = rs.nextUniform(0.3, 0.6);
      rInv[j] = 1 / (sd * sd);
      double y = sd * rs.nextGaussian();
      double hcb = 0;
      for (int i = 0; i < n; i++) {
        y += h[j * n + i] * truth[i];
        hcb += h[j * n + i] * cb[i];
      }
      d[j] = y - hcb;
      for (int k = 0; k < n; k++) {
        double v = 0;
        for (int i = k; i < n; i++) {
          v += h[j * n + i] * s[i * n + k];
        }
        g[j * n + k] = v;
      }
    }
    precisionV = new double[n * n];
    double[] rhs = new double[n];
    for (int a = 0; a < n; a++) {
      precisionV[a * n + a] = 1;
      for (int j = 0; j < ny; j++) {
        rhs[a] += g[j * n + a] * rInv[j] * d[j];
        for (int b = 0; b < n; b++) {
          precisionV[a * n + b] += g[j * n + a] * rInv[j] * g[j * n + b];
        }
      }
    }
    double[] l = new double[n * n];
    Cholesky.decompose(n, precisionV, l);
    covarianceV = new double[n * n];
    Cholesky.inverse(n, l, covarianceV);
    meanV = rhs.clone();
    Cholesky.solve(n, l, meanV);
    meanC = new double[n];
    transform.toControl(meanV, meanC);
    covarianceC = new double[n * n];
    // S P_v Sᵀ
    double[] sp = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = 0;
        for (int k = 0; k <= i; k++) {
          v += s[i * n + k] * covarianceV[k * n + j];
        }
        sp[i * n + j] = v;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = 0;
        for (int k = 0; k <= j; k++) {
          v += sp[i * n + k] * s[j * n + k];
        }
        covarianceC[i * n + j] = v;
      }
    }
    this.r = new double[ny];
    double fStar = value(meanV);
    logZ = -fStar + 0.5 * n * Math.log(2 * Math.PI) - 0.5 * Cholesky.logDet(n, l) + transform.logDet();
  }

  @Override
  public int dimension() {
    return n;
  }

  /** f(v). */
  public double value(double[] v) {
    double f = 0;
    for (int i = 0; i < n; i++) {
      f += 0.5 * v[i] * v[i];
    }
    for (int j = 0; j < ny; j++) {
      double e = -d[j];
      for (int i = 0; i < n; i++) {
        e += g[j * n + i] * v[i];
      }
      f += 0.5 * e * e * rInv[j];
    }
    return f;
  }

  @Override
  public double valueAndGradient(double[] v, double[] grad) {
    double f = 0;
    for (int i = 0; i < n; i++) {
      f += 0.5 * v[i] * v[i];
      grad[i] = v[i];
    }
    for (int j = 0; j < ny; j++) {
      double e = -d[j];
      for (int i = 0; i < n; i++) {
        e += g[j * n + i] * v[i];
      }
      r[j] = e * rInv[j];
      f += 0.5 * e * r[j];
    }
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < n; i++) {
        grad[i] += g[j * n + i] * r[j];
      }
    }
    return f;
  }

  /** Posterior standard deviation of c_i. */
  public double sdC(int i) {
    return Math.sqrt(covarianceC[i * n + i]);
  }
}
