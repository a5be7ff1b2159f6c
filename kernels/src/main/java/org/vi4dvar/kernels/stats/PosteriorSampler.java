package org.vi4dvar.kernels.stats;

import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

/**
 * Draws x0 samples from a Gaussian or a weighted mixture of Gaussians, reproducibly by sample index: sample
 * {@code s} uses only the stream {@code (seed, POSTERIOR_SAMPLE, tag·2⁴⁰ + s)}, so any subset of samples can
 * be drawn by any task, in any order, with identical results.
 * <pre>
 *   component c ~ Categorical(w)          (first uniform of the stream; skipped for one component)
 *   z ~ N(0, I)                          (the next nx Gaussians)
 *   DIAGONAL:          x = m_c + σ_c ⊙ z
 *   COVARIANCE_FACTOR: x = m_c + L_c z              (Σ_c = L_c L_cᵀ, L lower-triangular)
 *   PRECISION_FACTOR:  x = m_c + L_c⁻ᵀ z            (Σ_c⁻¹ = L_c L_cᵀ: the Laplace approximation)
 * </pre>
 * Used for the prior {@code N(x_b, B)}, the Laplace posterior of MAP, a VI restart's q and the ELBO-weighted
 * mixture of restarts. Immutable, a plain final class (Kryo); {@link #sample} allocates one stream per sample.
 */
public final class PosteriorSampler implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** How a component's factor maps z to x. */
  public enum Form {
    /** {@code factor} holds σ (length nx). */
    DIAGONAL,
    /** {@code factor} holds L, {@code Σ = L Lᵀ} (nx×nx lower, row-major). */
    COVARIANCE_FACTOR,
    /** {@code factor} holds L, {@code Σ⁻¹ = L Lᵀ} (nx×nx lower, row-major). */
    PRECISION_FACTOR
  }

  private final int nx;
  private final long seed;
  private final long tag;
  private final Form form;
  private final double[][] means;
  private final double[][] factors;
  private final double[] cumulative;

  private PosteriorSampler(int nx, long seed, long tag, Form form, double[][] means, double[][] factors,
      double[] weights) {
    if (means.length < 1 || means.length != factors.length || weights.length != means.length) {
      throw new IllegalArgumentException("need as many means, factors and weights (>= 1)");
    }
    if (tag < 0 || tag >= (1L << 23)) {
      throw new IllegalArgumentException("tag must be in [0, 2^23), got " + tag);
    }
    int want = form == Form.DIAGONAL ? nx : nx * nx;
    double total = 0.0;
    for (int c = 0; c < means.length; c++) {
      if (means[c].length != nx || factors[c].length != want) {
        throw new IllegalArgumentException("component " + c + ": mean must have " + nx + " and factor " + want
            + " values");
      }
      if (!(weights[c] >= 0) || !Double.isFinite(weights[c])) {
        throw new IllegalArgumentException("weight " + c + " must be finite and >= 0, got " + weights[c]);
      }
      total += weights[c];
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("mixture weights sum to " + total);
    }
    this.nx = nx;
    this.seed = seed;
    this.tag = tag;
    this.form = form;
    this.means = new double[means.length][];
    this.factors = new double[means.length][];
    this.cumulative = new double[means.length];
    double acc = 0.0;
    for (int c = 0; c < means.length; c++) {
      this.means[c] = means[c].clone();
      this.factors[c] = factors[c].clone();
      acc += weights[c] / total;
      cumulative[c] = acc;
    }
    cumulative[means.length - 1] = 1.0;
  }

  /** One Gaussian component. */
  public static PosteriorSampler gaussian(double[] mean, double[] factor, Form form, long seed, long tag) {
    return new PosteriorSampler(mean.length, seed, tag, form, new double[][] {mean}, new double[][] {factor},
        new double[] {1.0});
  }

  /** A mixture; weights need not be normalised (non-negative, positive sum). */
  public static PosteriorSampler mixture(double[][] means, double[][] factors, Form form, double[] weights,
      long seed, long tag) {
    return new PosteriorSampler(means[0].length, seed, tag, form, means, factors, weights);
  }

  /**
   * Softmax weights {@code w_r ∝ exp(e_r − max e)} of log-weights (e.g. final ELBOs); non-finite entries (a
   * diverged restart, ELBO −∞) get weight 0. Returns all zeros if none is finite.
   */
  public static double[] softmax(double[] e) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : e) {
      if (Double.isFinite(v) && v > max) {
        max = v;
      }
    }
    double[] w = new double[e.length];
    if (max == Double.NEGATIVE_INFINITY) {
      return w;
    }
    double sum = 0.0;
    for (int r = 0; r < e.length; r++) {
      w[r] = Double.isFinite(e[r]) ? Math.exp(e[r] - max) : 0.0;
      sum += w[r];
    }
    for (int r = 0; r < e.length; r++) {
      w[r] /= sum;
    }
    return w;
  }

  /** State size. */
  public int nx() {
    return nx;
  }

  /** Number of components. */
  public int components() {
    return means.length;
  }

  /** Normalised weight of component c. */
  public double weight(int c) {
    return c == 0 ? cumulative[0] : cumulative[c] - cumulative[c - 1];
  }

  /** Writes sample {@code s} into {@code out[off..off+nx)}. */
  public void sample(long s, double[] out, int off) {
    RandomStream r = RandomStream.of(seed, Domain.POSTERIOR_SAMPLE, (tag << 40) + s);
    int c = 0;
    if (means.length > 1) {
      double u = r.nextDouble();
      while (c < means.length - 1 && u >= cumulative[c]) {
        c++;
      }
    }
    final double[] m = means[c];
    final double[] f = factors[c];
    final int n = nx;
    double[] z = new double[n];
    r.fillGaussian(z, 0, n);
    switch (form) {
      case DIAGONAL:
        for (int i = 0; i < n; i++) {
          out[off + i] = m[i] + f[i] * z[i];
        }
        break;
      case COVARIANCE_FACTOR:
        for (int i = 0; i < n; i++) {
          double v = m[i];
          for (int k = 0; k <= i; k++) {
            v += f[i * n + k] * z[k];
          }
          out[off + i] = v;
        }
        break;
      default:
        // solve Lᵀ v = z by back substitution, x = m + v
        for (int i = n - 1; i >= 0; i--) {
          double v = z[i];
          for (int k = i + 1; k < n; k++) {
            v -= f[k * n + i] * z[k];
          }
          z[i] = v / f[i * n + i];
        }
        for (int i = 0; i < n; i++) {
          out[off + i] = m[i] + z[i];
        }
        break;
    }
  }

  /** Samples {@code first .. first+count−1} into {@code out[(s−first)·nx + i]}. */
  public void sample(long first, int count, double[] out) {
    for (int s = 0; s < count; s++) {
      sample(first + s, out, s * nx);
    }
  }
}
