package org.vi4dvar.kernels.posterior;

/**
 * A posterior given by m draws of the control, equally or importance-weighted: ABC's kept trials, the ensemble's
 * members, MCMC draws. Draw i is row i; its exact moments are the weighted sample moments
 * <pre>
 *   W = Σ w_i,   mean = Σ w_i c_i / W,   cov = Σ w_i (c_i − mean)(c_i − mean)ᵀ / (W − Σ w_i² / W)
 * </pre>
 * (reliability weights; with equal weights the usual divisor m − 1; 0 when m = 1). Immutable and shippable;
 * the draws are held row-major ({@code m × n}), copied in.
 */
public final class EmpiricalPosterior implements Posterior {

  private static final long serialVersionUID = 1L;

  private final int n;
  private final int m;
  private final double[] draws;
  private final double[] weights;
  /** Not shipped: tasks draw, they do not report. */
  private final transient Diagnostics diagnostics;

  /**
   * @param n control dimension
   * @param draws m draws, row-major {@code draws[i*n + k]}, finite (copied)
   * @param weights m weights, finite and ≥ 0 with a positive sum, or {@code null} for equal weights (copied)
   * @param diagnostics the estimator's diagnostics
   */
  public EmpiricalPosterior(int n, double[] draws, double[] weights, Diagnostics diagnostics) {
    if (n < 1 || draws.length % n != 0 || draws.length == 0) {
      throw new IllegalArgumentException("draws must hold m >= 1 rows of n = " + n + " values, got "
          + draws.length);
    }
    this.n = n;
    this.m = draws.length / n;
    for (int k = 0; k < draws.length; k++) {
      if (!Double.isFinite(draws[k])) {
        throw new IllegalArgumentException("draw " + (k / n) + " component " + (k % n) + " is not finite");
      }
    }
    if (weights != null) {
      if (weights.length != m) {
        throw new IllegalArgumentException("need " + m + " weights, got " + weights.length);
      }
      double sum = 0.0;
      for (int i = 0; i < m; i++) {
        if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
          throw new IllegalArgumentException("weight " + i + " must be finite and >= 0, got " + weights[i]);
        }
        sum += weights[i];
      }
      if (!(sum > 0)) {
        throw new IllegalArgumentException("weights sum to " + sum);
      }
    }
    this.draws = draws.clone();
    this.weights = weights == null ? null : weights.clone();
    this.diagnostics = diagnostics == null ? Diagnostics.none() : diagnostics;
  }

  @Override
  public int dimension() {
    return n;
  }

  @Override
  public Family family() {
    return Family.EMPIRICAL;
  }

  /** Its own size m, whatever is requested. */
  @Override
  public long draws(long requested) {
    return m;
  }

  /** Number of draws m. */
  public int size() {
    return m;
  }

  @Override
  public boolean weighted() {
    return weights != null;
  }

  @Override
  public boolean hasDensity() {
    return false;
  }

  @Override
  public Diagnostics diagnostics() {
    return diagnostics == null ? Diagnostics.none() : diagnostics;
  }

  /** Draw i's weight (1 when unweighted). */
  public double weight(int i) {
    return weights == null ? 1.0 : weights[i];
  }

  /** Component k of draw i. */
  public double value(int i, int k) {
    return draws[i * n + k];
  }

  /** The same draws with other diagnostics. */
  public EmpiricalPosterior withDiagnostics(Diagnostics d) {
    return new EmpiricalPosterior(n, draws, weights, d);
  }

  @Override
  public Moments exactMoments() {
    double[] mean = new double[n];
    double w1 = 0.0;
    double w2 = 0.0;
    for (int i = 0; i < m; i++) {
      double w = weight(i);
      w1 += w;
      w2 += w * w;
      final int o = i * n;
      for (int k = 0; k < n; k++) {
        mean[k] += w * draws[o + k];
      }
    }
    for (int k = 0; k < n; k++) {
      mean[k] /= w1;
    }
    double denom0 = w1 - w2 / w1;
    if (n > Moments.DENSE_LIMIT) {
      double[] var = new double[n];
      for (int i = 0; i < m; i++) {
        double w = weight(i);
        for (int k = 0; k < n; k++) {
          double d = draws[i * n + k] - mean[k];
          var[k] += w * d * d;
        }
      }
      for (int k = 0; k < n; k++) {
        var[k] = denom0 > 0 ? var[k] / denom0 : 0.0;
      }
      return Moments.diagonal(mean, var);
    }
    double[] cov = new double[n * n];
    double[] d = new double[n];
    for (int i = 0; i < m; i++) {
      double w = weight(i);
      final int o = i * n;
      for (int k = 0; k < n; k++) {
        d[k] = draws[o + k] - mean[k];
      }
      for (int a = 0; a < n; a++) {
        final double wa = w * d[a];
        final int oa = a * n;
        for (int b = 0; b <= a; b++) {
          cov[oa + b] += wa * d[b];
        }
      }
    }
    double denom = w1 - w2 / w1;
    double inv = denom > 0 ? 1.0 / denom : 0.0;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b <= a; b++) {
        double v = cov[a * n + b] * inv;
        cov[a * n + b] = v;
        cov[b * n + a] = v;
      }
    }
    return Moments.dense(mean, cov);
  }

  @Override
  public Sampler sampler() {
    return new Sampler() {
      @Override
      public double draw(long i, double[] out) {
        if (i < 0 || i >= m) {
          throw new IllegalArgumentException("draw " + i + " outside [0, " + m + ")");
        }
        System.arraycopy(draws, (int) i * n, out, 0, n);
        return weights == null ? 1.0 : weights[(int) i];
      }
    };
  }
}
