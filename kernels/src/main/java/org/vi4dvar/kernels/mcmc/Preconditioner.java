package org.vi4dvar.kernels.mcmc;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.GaussianPosterior.Factor;

/**
 * A covariance factor C of the whitened control v, {@code Σ = C Cᵀ}, that preconditions the sampler: the chain
 * moves in {@code u = C⁻¹ v}, where the target is closer to N(0, I). Held as {@link GaussianPosterior}'s factors
 * are:
 * <pre>
 *   IDENTITY   C = I            (the prior: v ~ N(0, I), the natural default)
 *   DIAGONAL   C = diag(σ)
 *   LOWER      C = L,   Σ = L Lᵀ
 *   PRECISION  C = L⁻ᵀ, Σ⁻¹ = L Lᵀ  (Laplace in v: L the Cholesky factor of the Hessian of f at the minimum)
 * </pre>
 * so a Laplace posterior in v preconditions a chain directly ({@link #of(GaussianPosterior)}). Immutable, a plain
 * final class (Kryo); arrays copied in.
 */
public final class Preconditioner implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Dimension n. */
  public final int n;
  /** How C is held. */
  public final Factor kind;
  /** σ (DIAGONAL), L (LOWER, PRECISION; n×n row-major, upper triangle ignored), empty for IDENTITY. */
  public final double[] factor;

  private Preconditioner(int n, Factor kind, double[] factor) {
    if (n < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + n);
    }
    int len = kind == Factor.IDENTITY ? 0 : kind == Factor.DIAGONAL ? n : n * n;
    if (factor.length != len) {
      throw new IllegalArgumentException(kind + " factor must have " + len + " values, got " + factor.length);
    }
    double[] f = factor.clone();
    for (int i = 0; i < n && kind != Factor.IDENTITY; i++) {
      double d = kind == Factor.DIAGONAL ? f[i] : f[i * n + i];
      if (!(d > 0) || !Double.isFinite(d)) {
        throw new IllegalArgumentException("preconditioner diagonal [" + i + "] must be finite and > 0, got " + d);
      }
      if (kind == Factor.LOWER || kind == Factor.PRECISION) {
        for (int j = 0; j < n; j++) {
          if (j > i) {
            f[i * n + j] = 0.0;
          } else if (!Double.isFinite(f[i * n + j])) {
            throw new IllegalArgumentException("preconditioner (" + i + ", " + j + ") is not finite");
          }
        }
      }
    }
    this.n = n;
    this.kind = kind;
    this.factor = f;
  }

  /** C = I. */
  public static Preconditioner identity(int n) {
    return new Preconditioner(n, Factor.IDENTITY, new double[0]);
  }

  /** C = diag(σ). */
  public static Preconditioner diagonal(double[] sigma) {
    return new Preconditioner(sigma.length, Factor.DIAGONAL, sigma);
  }

  /** C = L (lower), the covariance's Cholesky factor. */
  public static Preconditioner lower(int n, double[] l) {
    return new Preconditioner(n, Factor.LOWER, l);
  }

  /** C = L⁻ᵀ with L the lower Cholesky factor of the precision (a Hessian in v). */
  public static Preconditioner precision(int n, double[] l) {
    return new Preconditioner(n, Factor.PRECISION, l);
  }

  /** The factor F of a Gaussian held in v ({@code v = m_v + F z}): its covariance in v, F Fᵀ. */
  public static Preconditioner of(GaussianPosterior g) {
    return new Preconditioner(g.dimension(), g.factorKind(), g.factor());
  }

  /** {@code w = C⁻¹ v}; {@code v} not modified; {@code w} must not be {@code v}. */
  public void solve(double[] v, double[] w) {
    switch (kind) {
      case IDENTITY:
        System.arraycopy(v, 0, w, 0, n);
        break;
      case DIAGONAL:
        for (int i = 0; i < n; i++) {
          w[i] = v[i] / factor[i];
        }
        break;
      case LOWER:
        System.arraycopy(v, 0, w, 0, n);
        Cholesky.solveLower(n, factor, w);
        break;
      default:
        // C⁻¹ = Lᵀ
        for (int r = 0; r < n; r++) {
          double s = 0.0;
          for (int k = r; k < n; k++) {
            s += factor[k * n + r] * v[k];
          }
          w[r] = s;
        }
        break;
    }
  }

  /** C as a dense n×n row-major matrix (new array). */
  public double[] dense() {
    double[] c = new double[n * n];
    switch (kind) {
      case IDENTITY:
        for (int i = 0; i < n; i++) {
          c[i * n + i] = 1.0;
        }
        break;
      case DIAGONAL:
        for (int i = 0; i < n; i++) {
          c[i * n + i] = factor[i];
        }
        break;
      case LOWER:
        System.arraycopy(factor, 0, c, 0, n * n);
        break;
      default:
        // column j of L⁻ᵀ solves Lᵀ x = e_j
        double[] e = new double[n];
        for (int j = 0; j < n; j++) {
          java.util.Arrays.fill(e, 0.0);
          e[j] = 1.0;
          Cholesky.solveLowerTranspose(n, factor, e);
          for (int i = 0; i < n; i++) {
            c[i * n + j] = e[i];
          }
        }
        break;
    }
    return c;
  }
}
