package org.vi4dvar.kernels.map;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.rng.RandomStream;

/**
 * A MAP estimate and its Laplace approximation {@code x0 ~ N(x*, H⁻¹)}, H the Hessian of J at x*.
 * <pre>
 *   H = L Lᵀ (Cholesky),   covariance H⁻¹ = L⁻ᵀ L⁻¹,   sample  x = x* + L⁻ᵀ z,  z ~ N(0, I)
 * </pre>
 * (then {@code Cov(x) = L⁻ᵀ L⁻¹ = H⁻¹}). If H is not positive definite (x* is not a strict minimum, or the
 * finite differences are swamped), {@link #positiveDefinite} is false, the factor and covariance are
 * {@code null}, and sampling throws. A plain final class with public final fields (Kryo, see {@code optim});
 * arrays are owned by the result and must not be modified.
 */
public final class LaplaceResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Dimension n of the control (the state size nx for strong constraint; the name is historical). */
  public final int nx;
  /** The start of the minimisation (for multi-start bookkeeping). */
  public final double[] start;
  /** The minimiser c* (x0 for strong constraint; or the point the Hessian was taken at, see {@link #optim}). */
  public final double[] x0;
  /** {@code J(x*)}. */
  public final double cost;
  /** Prior part of {@code J(x*)}: Jb, plus Jq and Jp when the control has model errors or parameters. */
  public final double backgroundCost;
  /** Observation part of {@code J(x*)}. */
  public final double observationCost;
  /** The minimisation; {@code null} when the Hessian was taken at a given point without minimising. */
  public final OptimResult optim;
  /** How the Hessian was formed. */
  public final HessianMethod hessianMethod;
  /** The symmetrised Hessian (n×n). */
  public final double[] hessian;
  /**
   * {@code max |H_ij − H_ji| / max |H_ij|} before symmetrising (0 for Gauss–Newton): a check of the
   * finite-difference Hessian (≈ 1e-8 when sound).
   */
  public final double hessianAsymmetry;
  /** Whether H is positive definite (its Cholesky factorisation succeeded). */
  public final boolean positiveDefinite;
  /** L with {@code H = L Lᵀ} (n×n lower), or {@code null} if not positive definite. */
  public final double[] hessianCholesky;
  /** {@code H⁻¹} (n×n), or {@code null} if not positive definite. */
  public final double[] covariance;

  /** Builds a result; the arrays are kept, not copied. */
  public LaplaceResult(int nx, double[] start, double[] x0, double cost, double backgroundCost,
      double observationCost, OptimResult optim, HessianMethod hessianMethod, double[] hessian,
      double hessianAsymmetry, boolean positiveDefinite, double[] hessianCholesky, double[] covariance) {
    this.nx = nx;
    this.start = start;
    this.x0 = x0;
    this.cost = cost;
    this.backgroundCost = backgroundCost;
    this.observationCost = observationCost;
    this.optim = optim;
    this.hessianMethod = hessianMethod;
    this.hessian = hessian;
    this.hessianAsymmetry = hessianAsymmetry;
    this.positiveDefinite = positiveDefinite;
    this.hessianCholesky = hessianCholesky;
    this.covariance = covariance;
  }

  /** Whether the minimisation converged (true when no minimisation was run). */
  public boolean converged() {
    return optim == null || optim.converged();
  }

  /**
   * The Hessian in the whitened variable, {@code H_v = Sᵀ H S} (n×n, new array) for the transform S of the
   * problem's control ({@code problem.control()}): the precision of the Laplace posterior of v, whose Cholesky
   * factor is what a Gaussian posterior held in v takes (its eigenvalues are ≥ 1 near a minimum of J).
   */
  public double[] whitenedHessian(org.vi4dvar.kernels.var.ControlTransform s) {
    if (s.n() != nx) {
      throw new IllegalArgumentException("transform dimension " + s.n() + " != " + nx);
    }
    final int n = nx;
    double[] e = new double[n];
    double[] sj = new double[n];
    double[] hs = new double[n];
    double[] col = new double[n];
    double[] out = new double[n * n];
    for (int j = 0; j < n; j++) {
      e[j] = 1.0;
      s.apply(e, sj);
      e[j] = 0.0;
      for (int i = 0; i < n; i++) {
        double t = 0.0;
        for (int k = 0; k < n; k++) {
          t += hessian[i * n + k] * sj[k];
        }
        hs[i] = t;
      }
      s.applyTranspose(hs, col);
      for (int i = 0; i < n; i++) {
        out[i * n + j] = col[i];
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double m = 0.5 * (out[i * n + j] + out[j * n + i]);
        out[i * n + j] = m;
        out[j * n + i] = m;
      }
    }
    return out;
  }

  /** Posterior standard deviations {@code √(H⁻¹)_ii} (new array). */
  public double[] std() {
    requirePd();
    double[] s = new double[nx];
    for (int i = 0; i < nx; i++) {
      s[i] = Math.sqrt(covariance[i * nx + i]);
    }
    return s;
  }

  /**
   * One draw {@code x* + L⁻ᵀ z} into {@code out[off..off+n)}; z takes n Gaussians from {@code rng} in component
   * order.
   *
   * @throws IllegalStateException if H is not positive definite
   */
  public void sample(RandomStream rng, double[] out, int off) {
    requirePd();
    double[] z = new double[nx];
    sampleInto(rng, z);
    System.arraycopy(z, 0, out, off, nx);
  }

  /** {@code count} draws, row-major {@code out[s*n + i]} (new array). */
  public double[] samples(RandomStream rng, int count) {
    requirePd();
    double[] out = new double[count * nx];
    double[] z = new double[nx];
    for (int s = 0; s < count; s++) {
      sampleInto(rng, z);
      System.arraycopy(z, 0, out, s * nx, nx);
    }
    return out;
  }

  private void sampleInto(RandomStream rng, double[] z) {
    rng.fillGaussian(z, 0, nx);
    Cholesky.solveLowerTranspose(nx, hessianCholesky, z);
    for (int i = 0; i < nx; i++) {
      z[i] += x0[i];
    }
  }

  private void requirePd() {
    if (!positiveDefinite) {
      throw new IllegalStateException("the Hessian at x* is not positive definite: no Laplace covariance");
    }
  }

  @Override
  public String toString() {
    return "LaplaceResult[J=" + cost + " (Jb=" + backgroundCost + ", Jo=" + observationCost + "), "
        + (optim == null ? "no minimisation" : optim.toString()) + ", " + hessianMethod + ", pd="
        + positiveDefinite + ", asym=" + hessianAsymmetry + "]";
  }
}
