package org.vi4dvar.kernels.posterior;

import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

/**
 * A weighted mixture {@code q(c) = Σ_k w_k q_k(c)} of posteriors that draw from a stream and have a density
 * (Gaussians, flows):
 * <pre>
 *   draw i:  u = first uniform of stream (seed, POSTERIOR_SAMPLE, tag·2⁴⁰ + i),  k = min{k : u &lt; Σ_{j≤k} w_j},
 *            then component k draws from the same stream
 *   log q(c) = log Σ_k w_k exp(log q_k(c))          (computed with the largest term factored out)
 *   mean = Σ w_k m_k,   Σ = Σ_k w_k (Σ_k + (m_k − mean)(m_k − mean)ᵀ)   (when every component knows its moments)
 * </pre>
 * Weights are normalised here (finite, ≥ 0, positive sum); components of weight 0 are dropped. Immutable.
 */
public final class MixturePosterior implements Posterior {

  private static final long serialVersionUID = 1L;

  private final int n;
  private final Posterior[] components;
  private final double[] weights;
  private final double[] cumulative;
  private final long seed;
  private final long tag;
  /** Not shipped: tasks draw, they do not report. */
  private final transient Diagnostics diagnostics;

  /**
   * @param components the components (each with a density and stream draws), same dimension
   * @param weights their weights (not necessarily normalised)
   * @param seed master seed of the draws
   * @param tag sample-stream tag in [0, 2²³)
   * @param diagnostics the estimator's diagnostics
   */
  public MixturePosterior(Posterior[] components, double[] weights, long seed, long tag, Diagnostics diagnostics) {
    if (components.length < 1 || components.length != weights.length) {
      throw new IllegalArgumentException("need as many components as weights (>= 1)");
    }
    if (tag < 0 || tag >= (1L << 23)) {
      throw new IllegalArgumentException("tag must be in [0, 2^23), got " + tag);
    }
    double total = 0.0;
    int kept = 0;
    for (int k = 0; k < weights.length; k++) {
      if (!(weights[k] >= 0) || !Double.isFinite(weights[k])) {
        throw new IllegalArgumentException("weight " + k + " must be finite and >= 0, got " + weights[k]);
      }
      if (!components[k].hasDensity()) {
        throw new IllegalArgumentException("component " + k + " (" + components[k].family().configName()
            + ") has no density");
      }
      total += weights[k];
      kept += weights[k] > 0 ? 1 : 0;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("mixture weights sum to " + total);
    }
    this.n = components[0].dimension();
    this.components = new Posterior[kept];
    this.weights = new double[kept];
    this.cumulative = new double[kept];
    double acc = 0.0;
    int j = 0;
    for (int k = 0; k < weights.length; k++) {
      if (components[k].dimension() != n) {
        throw new IllegalArgumentException("component " + k + " has dimension " + components[k].dimension()
            + ", expected " + n);
      }
      if (weights[k] > 0) {
        this.components[j] = components[k];
        this.weights[j] = weights[k] / total;
        acc += this.weights[j];
        cumulative[j] = acc;
        j++;
      }
    }
    cumulative[kept - 1] = 1.0;
    this.seed = seed;
    this.tag = tag;
    this.diagnostics = diagnostics == null ? Diagnostics.none() : diagnostics;
  }

  @Override
  public int dimension() {
    return n;
  }

  @Override
  public Family family() {
    return Family.MIXTURE;
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

  /** The same mixture with other diagnostics. */
  public MixturePosterior withDiagnostics(Diagnostics d) {
    return new MixturePosterior(components, weights, seed, tag, d);
  }

  /** Number of components (of positive weight). */
  public int components() {
    return components.length;
  }

  /** Component k. */
  public Posterior component(int k) {
    return components[k];
  }

  /** Normalised weight of component k. */
  public double weight(int k) {
    return weights[k];
  }

  @Override
  public Moments exactMoments() {
    Moments[] ms = new Moments[components.length];
    boolean diag = true;
    for (int k = 0; k < ms.length; k++) {
      ms[k] = components[k].exactMoments();
      if (ms[k] == null) {
        return null;
      }
      diag &= ms[k].isDiagonal();
    }
    double[] mean = new double[n];
    for (int k = 0; k < ms.length; k++) {
      for (int i = 0; i < n; i++) {
        mean[i] += weights[k] * ms[k].mean[i];
      }
    }
    if (diag && ms.length == 1) {
      return Moments.diagonal(mean, ms[0].variance.clone());
    }
    double[] cov = new double[n * n];
    for (int k = 0; k < ms.length; k++) {
      final double w = weights[k];
      final Moments mk = ms[k];
      for (int i = 0; i < n; i++) {
        double di = mk.mean[i] - mean[i];
        for (int j = 0; j < n; j++) {
          cov[i * n + j] += w * (mk.cov(i, j) + di * (mk.mean[j] - mean[j]));
        }
      }
    }
    return Moments.dense(mean, cov);
  }

  @Override
  public Sampler sampler() {
    final Sampler[] ss = new Sampler[components.length];
    for (int k = 0; k < ss.length; k++) {
      ss[k] = components[k].sampler();
    }
    final double[] logs = new double[components.length];
    return new Sampler() {
      @Override
      public double draw(long i, double[] out) {
        drawFrom(RandomStream.of(seed, Domain.POSTERIOR_SAMPLE, (tag << 40) + i), out);
        return 1.0;
      }

      @Override
      public void drawFrom(RandomStream rng, double[] out) {
        int k = 0;
        if (ss.length > 1) {
          double u = rng.nextDouble();
          while (k < ss.length - 1 && u >= cumulative[k]) {
            k++;
          }
        }
        ss[k].drawFrom(rng, out);
      }

      @Override
      public double logDensity(double[] c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < ss.length; k++) {
          logs[k] = Math.log(weights[k]) + ss[k].logDensity(c);
          max = Math.max(max, logs[k]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
          return max;
        }
        double s = 0.0;
        for (int k = 0; k < ss.length; k++) {
          s += Math.exp(logs[k] - max);
        }
        return max + Math.log(s);
      }
    };
  }
}
