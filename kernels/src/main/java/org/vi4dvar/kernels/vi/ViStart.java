package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.flow.AffineMap;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.GaussianPosterior.Factor;

/**
 * Where one VI run starts, in the whitened control v: the initial q is {@code N(μ0, Σ0)} with
 * <pre>
 *   IDENTITY    Σ0 = I                    (the prior's scale: {@link #prior})
 *   DIAGONAL    Σ0 = diag(σ0²)            ({@link #diagonal}; {@link #isotropic}: a fraction of the prior)
 *   LOWER       Σ0 = L0 L0ᵀ               ({@link #lower}: e.g. the Laplace/Gauss–Newton covariance factor)
 *   PRECISION   Σ0⁻¹ = L0 L0ᵀ             ({@link #precision}: the Cholesky factor of the Hessian of f at μ0)
 * </pre>
 * The start also fixes the <b>preconditioner</b> of the run: the variational parameters are held relative to
 * it, {@code v = μ0 + P w}, so that Adam's per-coordinate steps are in units of the start's scale (the family is
 * invariant under this change of variable, so the optimum is not). P is Σ0's lower Cholesky factor for the
 * full-rank family, and for mean-field the diagonal {@code p_i = 1/√((Σ0⁻¹)_ii)} — the mean-field optimum's σ on a
 * Gaussian with precision Σ0⁻¹ (for a DIAGONAL or IDENTITY start simply σ0). Immutable; arrays copied in.
 */
public final class ViStart implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private final double[] mean;
  private final Factor kind;
  private final double[] factor;

  private ViStart(double[] mean, Factor kind, double[] factor) {
    final int n = mean.length;
    if (n < 1) {
      throw new IllegalArgumentException("the start needs n >= 1 values");
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(mean[i])) {
        throw new IllegalArgumentException("start mean[" + i + "] is not finite: " + mean[i]);
      }
    }
    int len = kind == Factor.IDENTITY ? 0 : kind == Factor.DIAGONAL ? n : n * n;
    if (factor.length != len) {
      throw new IllegalArgumentException("a " + kind + " start factor needs " + len + " values, got "
          + factor.length);
    }
    for (int i = 0; i < n && len > 0; i++) {
      double d = kind == Factor.DIAGONAL ? factor[i] : factor[i * n + i];
      if (!(d > 0) || !Double.isFinite(d)) {
        throw new IllegalArgumentException("start factor diagonal [" + i + "] must be finite and > 0, got " + d);
      }
      if (kind != Factor.DIAGONAL) {
        for (int j = 0; j < i; j++) {
          if (!Double.isFinite(factor[i * n + j])) {
            throw new IllegalArgumentException("start factor (" + i + ", " + j + ") is not finite");
          }
        }
      }
    }
    this.mean = mean.clone();
    this.kind = kind;
    this.factor = factor.clone();
    if (kind == Factor.LOWER || kind == Factor.PRECISION) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          this.factor[i * n + j] = 0.0;
        }
      }
    }
  }

  /** {@code N(μ0, I)}: the prior's scale. */
  public static ViStart prior(double[] mu0) {
    return new ViStart(mu0, Factor.IDENTITY, new double[0]);
  }

  /** {@code N(μ0, scale² I)}: a fraction of the prior (e.g. 0.1). */
  public static ViStart isotropic(double[] mu0, double scale) {
    double[] s = new double[mu0.length];
    java.util.Arrays.fill(s, scale);
    return new ViStart(mu0, Factor.DIAGONAL, s);
  }

  /** {@code N(μ0, diag(σ0²))}. */
  public static ViStart diagonal(double[] mu0, double[] sigma0) {
    return new ViStart(mu0, Factor.DIAGONAL, sigma0);
  }

  /** {@code N(μ0, L0 L0ᵀ)}, L0 lower-triangular n×n row-major with positive diagonal. */
  public static ViStart lower(double[] mu0, double[] l0) {
    return new ViStart(mu0, Factor.LOWER, l0);
  }

  /** {@code N(μ0, (L0 L0ᵀ)⁻¹)}, L0 the lower Cholesky factor of the precision (the Hessian of f in v). */
  public static ViStart precision(double[] mu0, double[] l0) {
    return new ViStart(mu0, Factor.PRECISION, l0);
  }

  /**
   * The start equal to a Gaussian posterior over c held in the same transform: {@code μ0 = S⁻¹(m − c_b)}, its
   * factor as is (e.g. a Laplace posterior, or a Gaussian VI result to start a flow from).
   */
  public static ViStart of(GaussianPosterior g) {
    final int n = g.dimension();
    double[] m = g.mean();
    double[] scratch = new double[n];
    double[] v = new double[n];
    g.transform().toWhitened(m, scratch, v);
    return new ViStart(v, g.factorKind(), g.factor());
  }

  /** The dimension n. */
  public int dimension() {
    return mean.length;
  }

  /** μ0 (copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** The factor kind. */
  public Factor kind() {
    return kind;
  }

  /** The factor (copy). */
  public double[] factor() {
    return factor.clone();
  }

  /** This start with another mean (same factor). */
  public ViStart withMean(double[] mu0) {
    return new ViStart(mu0, kind, factor);
  }

  /**
   * The preconditioner {@code v = μ0 + P w} of a run of the diagonal (mean-field) or lower (full-rank, flow)
   * family (class comment).
   */
  public AffineMap preconditioner(boolean diagonalFamily) {
    final int n = mean.length;
    if (diagonalFamily) {
      double[] p = new double[n];
      switch (kind) {
        case IDENTITY:
          java.util.Arrays.fill(p, 1.0);
          break;
        case DIAGONAL:
          System.arraycopy(factor, 0, p, 0, n);
          break;
        case LOWER: {
          // (Σ0⁻¹)_ii = Σ_k (L0⁻¹)_ki²: column i of L0⁻¹ by a forward solve of L0 x = e_i
          double[] x = new double[n];
          for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, 0.0);
            x[i] = 1.0;
            Cholesky.solveLower(n, factor, x);
            double s = 0.0;
            for (int k = i; k < n; k++) {
              s += x[k] * x[k];
            }
            p[i] = 1.0 / Math.sqrt(s);
          }
          break;
        }
        default: {
          // (Σ0⁻¹)_ii = Σ_k L0_ik²
          for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int k = 0; k <= i; k++) {
              s += factor[i * n + k] * factor[i * n + k];
            }
            p[i] = 1.0 / Math.sqrt(s);
          }
          break;
        }
      }
      return AffineMap.diagonal(mean, p);
    }
    switch (kind) {
      case IDENTITY: {
        double[] p = new double[n];
        java.util.Arrays.fill(p, 1.0);
        return AffineMap.diagonal(mean, p);
      }
      case DIAGONAL:
        return AffineMap.diagonal(mean, factor);
      case LOWER:
        return AffineMap.lower(mean, factor);
      default: {
        double[] cov = new double[n * n];
        Cholesky.inverse(n, factor, cov);
        double[] l = new double[n * n];
        if (!Cholesky.decompose(n, cov, l)) {
          throw new IllegalArgumentException("the start's precision factor is too ill-conditioned to invert");
        }
        return AffineMap.lower(mean, l);
      }
    }
  }
}
