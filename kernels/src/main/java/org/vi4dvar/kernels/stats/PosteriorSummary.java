package org.vi4dvar.kernels.stats;

import org.vi4dvar.kernels.scores.PosteriorScores;

/**
 * What is reported of a posterior given by {@code m} sampled trajectories (sample-major,
 * {@code traj[(s·nStates + t)·nx + i]}): the mean and standard deviation per (t, i), the 5, 25, 50, 75 and 95 %
 * quantiles, the covariance of x_t at chosen times, and, when the truth is known, the scores of
 * {@link PosteriorScores}. Statistics are accumulated in sample order, so equal inputs give bit-identical
 * summaries.
 */
public final class PosteriorSummary {

  /** The reported quantile levels. */
  public static final double[] PROBS = {0.05, 0.25, 0.5, 0.75, 0.95};

  /** Number of samples. */
  public final int count;
  /** Mean {@code [t*nx + i]}. */
  public final double[] mean;
  /** Standard deviation {@code [t*nx + i]} (divisor m − 1). */
  public final double[] std;
  /** Quantiles {@code [q*dim + t*nx + i]} for {@link #PROBS}[q]. */
  public final double[] quantiles;
  /** The covariance times. */
  public final int[] covTimes;
  /** {@code covariances[c]}: nx×nx covariance of x at {@code covTimes[c]}. */
  public final double[][] covariances;
  /** Scores against the truth, or null when it is unknown. */
  public final PosteriorScores scores;
  /** Mean standard deviation over the assimilated states (known without the truth). */
  public final double spreadAssim;
  /** Mean standard deviation over the forecast states (NaN if there are none). */
  public final double spreadForecast;

  private PosteriorSummary(int count, double[] mean, double[] std, double[] quantiles, int[] covTimes,
      double[][] covariances, PosteriorScores scores, int nx, int nAssim) {
    this.count = count;
    this.mean = mean;
    this.std = std;
    this.quantiles = quantiles;
    this.covTimes = covTimes;
    this.covariances = covariances;
    this.scores = scores;
    double a = 0;
    double f = 0;
    int split = Math.min(nAssim * nx, std.length);
    for (int k = 0; k < std.length; k++) {
      if (k < split) {
        a += std[k];
      } else {
        f += std[k];
      }
    }
    this.spreadAssim = split > 0 ? a / split : Double.NaN;
    this.spreadForecast = std.length > split ? f / (std.length - split) : Double.NaN;
  }

  /**
   * Summarises {@code m ≥ 1} finite trajectories.
   *
   * @param traj sample-major trajectories (not modified)
   * @param m number of samples
   * @param nx state size
   * @param nStates window length
   * @param nAssim assimilated states (for the scores' split)
   * @param covTimes states whose covariance is kept
   * @param truth the true trajectory {@code [t*nx+i]}, or null
   */
  public static PosteriorSummary of(double[] traj, int m, int nx, int nStates, int nAssim, int[] covTimes,
      double[] truth) {
    final int dim = nx * nStates;
    TrajectoryStats st = new TrajectoryStats(nx, nStates, covTimes);
    st.addAll(traj, m);
    double[] q = new double[PROBS.length * dim];
    Quantiles.of(traj, m, dim, PROBS, q);
    double[][] cov = new double[covTimes.length][];
    for (int c = 0; c < covTimes.length; c++) {
      cov[c] = st.covariance(c);
    }
    PosteriorScores sc = truth == null ? null : PosteriorScores.of(traj, m, truth, nx, nStates, nAssim);
    return new PosteriorSummary(m, st.mean(), st.std(), q, covTimes.clone(), cov, sc, nx, nAssim);
  }
}
