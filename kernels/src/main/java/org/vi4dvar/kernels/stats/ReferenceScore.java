package org.vi4dvar.kernels.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far a method's posterior of the trajectory is from a reference posterior (e.g. {@code mcmc}'s, or an
 * earlier run's), per part of the window (assimilated states {@code t < nAssim}, forecast states
 * {@code t ≥ nAssim}); with {@code m, s} the method's mean and std at point (t, i), {@code m_r, s_r} the
 * reference's, and P the part's points:
 * <pre>
 *   mean_error  = √( (1/|P|) Σ_P ((m − m_r) / s_r)² )       RMS over points of the mean error in reference sds
 *   std_ratio   = ((1/|P|) Σ_P s) / ((1/|P|) Σ_P s_r)         mean std over mean reference std (1: as wide)
 *   energy      = 2 E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖           (Székely &amp; Rizzo 2013, "Energy statistics")
 * </pre>
 * where the energy distance is between the method's sampled trajectories X and the reference's Y, restricted to
 * the part's points and standardised by the reference std ({@code (x − m_r)/s_r}, so that every point counts
 * alike and the distance is scale-free), the within-sample terms as U-statistics (mean over i ≠ j: unbiased, so
 * an exact match gives ≈ 0, either sign). It is 0 exactly when the two distributions are equal and is computed
 * only when both sides have at least two unweighted samples. Static.
 */
public final class ReferenceScore {

  private ReferenceScore() {
  }

  /** A posterior of the trajectory as the scores need it: mean, std, and optional sampled trajectories. */
  public static final class Trajectories {
    /** Grid points per state. */
    public final int nx;
    /** States. */
    public final int nStates;
    /** Mean, {@code [t*nx + i]}. */
    public final double[] mean;
    /** Std, {@code [t*nx + i]}. */
    public final double[] std;
    /** Sampled unweighted trajectories {@code [s*nStates*nx + t*nx + i]}, or null/empty. */
    public final double[] samples;

    /** Arrays kept, not copied. */
    public Trajectories(int nx, int nStates, double[] mean, double[] std, double[] samples) {
      int dim = nx * nStates;
      if (mean.length != dim || std.length != dim) {
        throw new IllegalArgumentException("mean and std must have " + dim + " values, got " + mean.length + " and "
            + std.length);
      }
      if (samples != null && samples.length % dim != 0) {
        throw new IllegalArgumentException("samples must be whole trajectories of " + dim + " values");
      }
      this.nx = nx;
      this.nStates = nStates;
      this.mean = mean;
      this.std = std;
      this.samples = samples;
    }

    /** The statistics of a method (its first sampled trajectories; none when its draws are weighted). */
    public static Trajectories of(TrajectorySummary s, boolean weighted) {
      return new Trajectories(s.nx, s.nStates, s.mean, s.std, weighted ? null : s.trajectories);
    }

    /** Number of sampled trajectories. */
    public int sampleCount() {
      return samples == null ? 0 : samples.length / (nx * nStates);
    }
  }

  /** The scores of one part. */
  public static final class Part {
    /** Points of the part. */
    public int points;
    /** RMS of (m − m_r)/s_r. */
    public double meanError = Double.NaN;
    /** Mean std over mean reference std. */
    public double stdRatio = Double.NaN;
    /** Energy distance of the standardised samples (NaN without samples). */
    public double energy = Double.NaN;
    /** Samples of the method and of the reference used by {@link #energy}. */
    public int samples;
    /** Reference samples. */
    public int referenceSamples;

    /** As summary.json has it. */
    public Map<String, Object> toTree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("points", points);
      m.put("mean_error", meanError);
      m.put("std_ratio", stdRatio);
      m.put("energy_distance", energy);
      m.put("samples", samples);
      m.put("reference_samples", referenceSamples);
      return m;
    }
  }

  /**
   * The scores of states {@code [t0, t1)}.
   *
   * @throws IllegalArgumentException when the shapes differ or a reference std is not finite and &gt; 0
   */
  public static Part score(Trajectories q, Trajectories ref, int t0, int t1) {
    if (q.nx != ref.nx || q.nStates != ref.nStates) {
      throw new IllegalArgumentException("the reference has " + ref.nStates + " states of nx " + ref.nx
          + ", the method " + q.nStates + " of nx " + q.nx);
    }
    Part p = new Part();
    final int nx = q.nx;
    final int lo = t0 * nx;
    final int hi = t1 * nx;
    p.points = hi - lo;
    if (p.points <= 0) {
      return p;
    }
    double z2 = 0;
    double s = 0;
    double sr = 0;
    for (int k = lo; k < hi; k++) {
      if (!(ref.std[k] > 0) || !Double.isFinite(ref.std[k])) {
        throw new IllegalArgumentException("reference std at t " + k / nx + ", i " + k % nx
            + " must be finite and > 0, got " + ref.std[k]);
      }
      double z = (q.mean[k] - ref.mean[k]) / ref.std[k];
      z2 += z * z;
      s += q.std[k];
      sr += ref.std[k];
    }
    p.meanError = Math.sqrt(z2 / p.points);
    p.stdRatio = s / sr;
    int nq = q.sampleCount();
    int nr = ref.sampleCount();
    if (nq >= 2 && nr >= 2) {
      p.samples = nq;
      p.referenceSamples = nr;
      p.energy = energy(standardised(q, ref, lo, hi), standardised(ref, ref, lo, hi), hi - lo);
    }
    return p;
  }

  /** Scores of the assimilated and forecast states, as summary.json's {@code methods.<m>.reference}. */
  public static Map<String, Object> scores(Trajectories q, Trajectories ref, int nAssim, String label) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reference", label);
    m.put("assim", score(q, ref, 0, nAssim).toTree());
    if (nAssim < q.nStates) {
      m.put("forecast", score(q, ref, nAssim, q.nStates).toTree());
    }
    return m;
  }

  private static double[] standardised(Trajectories x, Trajectories ref, int lo, int hi) {
    int dim = x.nx * x.nStates;
    int n = x.sampleCount();
    int d = hi - lo;
    double[] out = new double[n * d];
    for (int s = 0; s < n; s++) {
      for (int k = lo; k < hi; k++) {
        out[s * d + k - lo] = (x.samples[s * dim + k] - ref.mean[k]) / ref.std[k];
      }
    }
    return out;
  }

  /**
   * The energy distance of samples x (n × d) and y (m × d), row-major: {@code 2 mean_{i,j} ‖x_i − y_j‖ −
   * mean_{i≠i'} ‖x_i − x_i'‖ − mean_{j≠j'} ‖y_j − y_j'‖}. Non-finite samples give NaN.
   */
  public static double energy(double[] x, double[] y, int d) {
    int n = x.length / d;
    int m = y.length / d;
    if (n < 2 || m < 2) {
      return Double.NaN;
    }
    double xy = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        xy += dist(x, i, y, j, d);
      }
    }
    return 2 * xy / ((double) n * m) - within(x, n, d) - within(y, m, d);
  }

  private static double within(double[] x, int n, int d) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        s += dist(x, i, x, j, d);
      }
    }
    return 2 * s / ((double) n * (n - 1));
  }

  private static double dist(double[] a, int i, double[] b, int j, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double e = a[i * d + k] - b[j * d + k];
      s += e * e;
    }
    return Math.sqrt(s);
  }
}
