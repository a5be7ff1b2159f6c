package org.vi4dvar.kernels.posterior;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.ControlTransform;

/**
 * A Gaussian posterior over the control, held in the whitened variable of a {@link ControlTransform}:
 * <pre>
 *   c = m + S F z,   z ~ N(0, I)            Σ_c = S F Fᵀ Sᵀ
 *   F:  IDENTITY   F = I                    (the prior: m = c_b)
 *       DIAGONAL   F = diag(σ)              (mean-field VI)
 *       LOWER      F = L, Σ_v = L Lᵀ         (full-rank VI)
 *       PRECISION  F = L⁻ᵀ, Σ_v⁻¹ = L Lᵀ      (Laplace: L is the Cholesky factor of the Hessian of J in v)
 *   log q(c) = −½ ‖z‖² − n/2 log 2π − log|det S| − log|det F|,   z = F⁻¹ S⁻¹ (c − m)
 * </pre>
 * Draw i takes n Gaussians, in component order, from the stream {@code (seed, POSTERIOR_SAMPLE, tag·2⁴⁰ + i)}.
 * Immutable and shippable; arrays copied in.
 */
public final class GaussianPosterior implements Posterior {

  private static final long serialVersionUID = 1L;
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2.0 * Math.PI);

  /** How the factor F of the whitened covariance is held. */
  public enum Factor {
    /** F = I. */
    IDENTITY,
    /** F = diag(σ), σ given (n values, &gt; 0). */
    DIAGONAL,
    /** F = L lower-triangular (n×n row-major, positive diagonal), Σ_v = L Lᵀ. */
    LOWER,
    /** F = L⁻ᵀ with L lower-triangular (n×n row-major, positive diagonal) and Σ_v⁻¹ = L Lᵀ. */
    PRECISION
  }

  private final int n;
  private final double[] mean;
  private final ControlTransform s;
  private final Factor kind;
  private final double[] f;
  private final double logDetF;
  private final long seed;
  private final long tag;
  /** Not shipped: tasks draw, they do not report. */
  private final transient Diagnostics diagnostics;

  /**
   * @param mean m (n values, copied)
   * @param s the control transform (only its linear part S is used here)
   * @param kind the factor kind
   * @param factor σ (DIAGONAL), L (LOWER, PRECISION; n×n), ignored for IDENTITY (copied)
   * @param seed master seed of the draws
   * @param tag this posterior's sample-stream tag, in [0, 2²³): streams of different tags never overlap
   * @param diagnostics the estimator's diagnostics
   */
  public GaussianPosterior(double[] mean, ControlTransform s, Factor kind, double[] factor, long seed, long tag,
      Diagnostics diagnostics) {
    this.n = mean.length;
    if (s.n() != n) {
      throw new IllegalArgumentException("transform dimension " + s.n() + " != mean dimension " + n);
    }
    if (tag < 0 || tag >= (1L << 23)) {
      throw new IllegalArgumentException("tag must be in [0, 2^23), got " + tag);
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(mean[i])) {
        throw new IllegalArgumentException("mean[" + i + "] is not finite: " + mean[i]);
      }
    }
    double ld = 0.0;
    switch (kind) {
      case IDENTITY:
        factor = new double[0];
        break;
      case DIAGONAL:
        requireLength(factor, n);
        for (int i = 0; i < n; i++) {
          requirePositive(factor[i], i);
          ld += Math.log(factor[i]);
        }
        break;
      default:
        requireLength(factor, n * n);
        for (int i = 0; i < n; i++) {
          requirePositive(factor[i * n + i], i);
          ld += Math.log(factor[i * n + i]);
          for (int j = 0; j <= i; j++) {
            if (!Double.isFinite(factor[i * n + j])) {
              throw new IllegalArgumentException("factor (" + i + ", " + j + ") is not finite");
            }
          }
        }
        if (kind == Factor.PRECISION) {
          ld = -ld;
        }
        break;
    }
    this.mean = mean.clone();
    this.s = s;
    this.kind = kind;
    this.f = factor.clone();
    if (kind == Factor.LOWER || kind == Factor.PRECISION) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          f[i * n + j] = 0.0;
        }
      }
    }
    this.logDetF = ld;
    this.seed = seed;
    this.tag = tag;
    this.diagnostics = diagnostics == null ? Diagnostics.none() : diagnostics;
  }

  /** The prior {@code N(c_b, S Sᵀ)} of a control transform. */
  public static GaussianPosterior prior(ControlTransform s, long seed, long tag) {
    return new GaussianPosterior(s.centerVector(), s, Factor.IDENTITY, null, seed, tag, Diagnostics.none());
  }

  private static void requireLength(double[] a, int len) {
    if (a == null || a.length != len) {
      throw new IllegalArgumentException("factor must have " + len + " values, got "
          + (a == null ? "null" : a.length));
    }
  }

  private static void requirePositive(double v, int i) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException("factor diagonal [" + i + "] must be finite and > 0, got " + v);
    }
  }

  @Override
  public int dimension() {
    return n;
  }

  @Override
  public Family family() {
    return Family.GAUSSIAN;
  }

  @Override
  public long draws(long requested) {
    return requested;
  }

  @Override
  public boolean weighted() {
    return false;
  }

  @Override
  public boolean hasDensity() {
    return true;
  }

  @Override
  public Diagnostics diagnostics() {
    return diagnostics == null ? Diagnostics.none() : diagnostics;
  }

  /** The factor kind. */
  public Factor factorKind() {
    return kind;
  }

  /** The factor (copy): σ, L, or empty for IDENTITY. */
  public double[] factor() {
    return f.clone();
  }

  /** The mean (copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** The control transform. */
  public ControlTransform transform() {
    return s;
  }

  /** The sample-stream tag. */
  public long tag() {
    return tag;
  }

  /** The master seed of the draws. */
  public long seed() {
    return seed;
  }

  /** The same Gaussian with other diagnostics. */
  public GaussianPosterior withDiagnostics(Diagnostics d) {
    return new GaussianPosterior(mean, s, kind, f, seed, tag, d);
  }

  /**
   * The covariance of the whitened variable, {@code Σ_v = F Fᵀ} (dense n×n, new array), or its diagonal when
   * {@code diagonalOnly} and F is diagonal.
   */
  double[] whitenedCovariance() {
    double[] c = new double[n * n];
    switch (kind) {
      case IDENTITY:
        for (int i = 0; i < n; i++) {
          c[i * n + i] = 1.0;
        }
        break;
      case DIAGONAL:
        for (int i = 0; i < n; i++) {
          c[i * n + i] = f[i] * f[i];
        }
        break;
      case LOWER:
        for (int i = 0; i < n; i++) {
          for (int j = 0; j <= i; j++) {
            double v = 0.0;
            for (int k = 0; k <= j; k++) {
              v += f[i * n + k] * f[j * n + k];
            }
            c[i * n + j] = v;
            c[j * n + i] = v;
          }
        }
        break;
      default:
        Cholesky.inverse(n, f, c);
        break;
    }
    return c;
  }

  /**
   * {@inheritDoc} {@code Σ_c = S Σ_v Sᵀ}: O(n²) when S and F are diagonal (then only the variances are stored),
   * else a dense product (O(n³) for a dense S).
   */
  @Override
  public Moments exactMoments() {
    if (s.diagonal() && (kind == Factor.IDENTITY || kind == Factor.DIAGONAL)) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        double si = s.scale(i) * (kind == Factor.DIAGONAL ? f[i] : 1.0);
        v[i] = si * si;
      }
      return Moments.diagonal(mean.clone(), v);
    }
    if (n > Moments.DENSE_LIMIT) {
      return Moments.diagonal(mean.clone(), variances());
    }
    double[] sv = whitenedCovariance();
    double[] out = new double[n * n];
    if (s.diagonal()) {
      for (int i = 0; i < n; i++) {
        double si = s.scale(i);
        for (int j = 0; j < n; j++) {
          out[i * n + j] = si * sv[i * n + j] * s.scale(j);
        }
      }
    } else {
      // out = S Σ_v Sᵀ: first T = S Σ_v column by column (Σ_v symmetric: its row j is its column j), then S Tᵀ
      double[] col = new double[n];
      double[] img = new double[n];
      double[] t = new double[n * n]; // t[j*n + i] = (S Σ_v)_{ij}
      for (int j = 0; j < n; j++) {
        System.arraycopy(sv, j * n, col, 0, n);
        s.apply(col, img);
        System.arraycopy(img, 0, t, j * n, n);
      }
      // (S Σ_v Sᵀ)_{ij} = Σ_k (S Σ_v)_{ik} S_{jk} = row i of S applied to the vector (S Σ_v)_{i·}
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
          col[k] = t[k * n + i];
        }
        s.apply(col, img);
        System.arraycopy(img, 0, out, i * n, n);
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          double v = 0.5 * (out[i * n + j] + out[j * n + i]);
          out[i * n + j] = v;
          out[j * n + i] = v;
        }
      }
    }
    return Moments.dense(mean.clone(), out);
  }

  /** The marginal variances of c without forming the covariance: {@code Σ_ii = ‖(S F)_i,:‖²}, row by row. */
  private double[] variances() {
    double[] v = new double[n];
    double[] e = new double[n];
    double[] col = new double[n];
    double[] img = new double[n];
    GaussianSampler g = new GaussianSampler();
    // column j of S F is S (F e_j); accumulate the squares of its entries into the rows' variances
    for (int j = 0; j < n; j++) {
      java.util.Arrays.fill(e, 0.0);
      e[j] = 1.0;
      g.applyFactor(e, col);
      s.apply(col, img);
      for (int i = 0; i < n; i++) {
        v[i] += img[i] * img[i];
      }
    }
    return v;
  }

  @Override
  public Sampler sampler() {
    return new GaussianSampler();
  }

  private final class GaussianSampler implements Sampler {
    private final double[] z = new double[n];
    private final double[] w = new double[n];

    @Override
    public double draw(long i, double[] out) {
      drawFrom(RandomStream.of(seed, Domain.POSTERIOR_SAMPLE, (tag << 40) + i), out);
      return 1.0;
    }

    @Override
    public void drawFrom(RandomStream rng, double[] out) {
      rng.fillGaussian(z, 0, n);
      applyFactor(z, w);
      s.apply(w, out);
      for (int k = 0; k < n; k++) {
        out[k] += mean[k];
      }
    }

    /** {@code w = F z} ({@code z} may be overwritten). */
    private void applyFactor(double[] zz, double[] ww) {
      switch (kind) {
        case IDENTITY:
          System.arraycopy(zz, 0, ww, 0, n);
          break;
        case DIAGONAL:
          for (int k = 0; k < n; k++) {
            ww[k] = f[k] * zz[k];
          }
          break;
        case LOWER:
          for (int r = 0; r < n; r++) {
            double v = 0.0;
            final int o = r * n;
            for (int k = 0; k <= r; k++) {
              v += f[o + k] * zz[k];
            }
            ww[r] = v;
          }
          break;
        default:
          System.arraycopy(zz, 0, ww, 0, n);
          Cholesky.solveLowerTranspose(n, f, ww);
          break;
      }
    }

    @Override
    public double logDensity(double[] c) {
      for (int k = 0; k < n; k++) {
        w[k] = c[k] - mean[k];
      }
      s.solve(w, z); // z = S⁻¹ (c − m)
      // z ← F⁻¹ z
      switch (kind) {
        case IDENTITY:
          break;
        case DIAGONAL:
          for (int k = 0; k < n; k++) {
            z[k] /= f[k];
          }
          break;
        case LOWER:
          Cholesky.solveLower(n, f, z);
          break;
        default:
          // F⁻¹ = Lᵀ
          for (int r = 0; r < n; r++) {
            double v = 0.0;
            for (int k = r; k < n; k++) {
              v += f[k * n + r] * z[k];
            }
            w[r] = v;
          }
          System.arraycopy(w, 0, z, 0, n);
          break;
      }
      double q = 0.0;
      for (int k = 0; k < n; k++) {
        q += z[k] * z[k];
      }
      return -0.5 * q - n * HALF_LOG_2PI - s.logDet() - logDetF;
    }
  }
}
