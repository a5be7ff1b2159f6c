package org.vi4dvar.kernels.scores;

import java.util.Arrays;

/**
 * Scores of a posterior sample of trajectories against the truth, separately over the assimilated states
 * {@code t < nAssim} and the forecast states {@code t ≥ nAssim}.
 *
 * <p>Samples are sample-major, {@code samples[s*dim + k]} with {@code k = t*nx + i} and {@code dim = nStates*nx}.
 * Per point: the sample mean and standard deviation (divisor m − 1; 0 when m = 1), the CRPS, the 50 % and
 * 90 % central-interval coverage and the rank of the truth. Per part (assimilated, forecast):
 * <pre>
 *   rmse   = sqrt(mean over points of (mean − truth)²)       spread = mean over points of std
 *   spreadSkill = spread / rmse                              crps   = mean over points of CRPS
 *   coverage50/90 = fraction of points whose truth lies in the central 50 % / 90 % interval
 *   rankHistogram[r] = number of points where the truth has rank r among the m samples (r = 0..m)
 * </pre>
 * A part with no states (e.g. no forecast) has NaN scores and an empty histogram.
 */
public final class PosteriorScores {

  /** Scores of one part of the window. */
  public static final class Part {
    /** Number of (t, i) points. */
    public int points;
    /** RMSE of the posterior mean. */
    public double rmse;
    /** Mean posterior standard deviation. */
    public double spread;
    /** spread / rmse. */
    public double spreadSkill;
    /** Mean CRPS. */
    public double crps;
    /** Fraction of points covered by the central 50 % interval. */
    public double coverage50;
    /** Fraction of points covered by the central 90 % interval. */
    public double coverage90;
    /** Rank histogram, length m + 1. */
    public long[] rankHistogram;
  }

  /** Assimilated states. */
  public final Part assim;
  /** Forecast states. */
  public final Part forecast;
  /** Per-point sample mean, {@code dim}. */
  public final double[] mean;
  /** Per-point sample std, {@code dim}. */
  public final double[] std;

  private PosteriorScores(Part assim, Part forecast, double[] mean, double[] std) {
    this.assim = assim;
    this.forecast = forecast;
    this.mean = mean;
    this.std = std;
  }

  /**
   * Scores {@code m} sampled trajectories against the truth.
   *
   * @param samples sample-major {@code samples[s*dim + k]}, {@code dim = nStates*nx}; finite
   * @param m number of samples, at least 1
   * @param truth {@code truth[t*nx + i]}
   * @param nx state size
   * @param nStates window length
   * @param nAssim assimilated states
   */
  public static PosteriorScores of(double[] samples, int m, double[] truth, int nx, int nStates, int nAssim) {
    final int dim = nx * nStates;
    if (m < 1 || samples.length < (long) m * dim || truth.length != dim) {
      throw new IllegalArgumentException("need m >= 1 samples of " + dim + " values and a truth of " + dim
          + ", got m=" + m + ", " + samples.length + " values, truth " + truth.length);
    }
    double[] mean = new double[dim];
    double[] std = new double[dim];
    double[] col = new double[m];
    Acc a = new Acc(m);
    Acc f = new Acc(m);
    for (int k = 0; k < dim; k++) {
      double s = 0;
      for (int j = 0; j < m; j++) {
        col[j] = samples[j * dim + k];
        s += col[j];
      }
      double mu = s / m;
      double ss = 0;
      for (int j = 0; j < m; j++) {
        double d = col[j] - mu;
        ss += d * d;
      }
      double sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0.0;
      mean[k] = mu;
      std[k] = sd;
      Arrays.sort(col);
      double y = truth[k];
      Acc acc = (k / nx) < nAssim ? a : f;
      acc.add(mu - y, sd, Scores.crpsSorted(col, m, y), Scores.coveredSorted(col, m, y, 0.5),
          Scores.coveredSorted(col, m, y, 0.9), Scores.rankSorted(col, m, y));
    }
    return new PosteriorScores(a.part(), f.part(), mean, std);
  }

  private static final class Acc {
    final long[] ranks;
    int n;
    double se;
    double spread;
    double crps;
    int c50;
    int c90;

    Acc(int m) {
      ranks = new long[m + 1];
    }

    void add(double err, double sd, double crpsValue, boolean in50, boolean in90, int rank) {
      n++;
      se += err * err;
      spread += sd;
      crps += crpsValue;
      c50 += in50 ? 1 : 0;
      c90 += in90 ? 1 : 0;
      ranks[rank]++;
    }

    Part part() {
      Part p = new Part();
      p.points = n;
      p.rmse = n > 0 ? Math.sqrt(se / n) : Double.NaN;
      p.spread = n > 0 ? spread / n : Double.NaN;
      p.spreadSkill = n > 0 ? p.spread / p.rmse : Double.NaN;
      p.crps = n > 0 ? crps / n : Double.NaN;
      p.coverage50 = n > 0 ? (double) c50 / n : Double.NaN;
      p.coverage90 = n > 0 ? (double) c90 / n : Double.NaN;
      p.rankHistogram = n > 0 ? ranks : new long[0];
      return p;
    }
  }
}
