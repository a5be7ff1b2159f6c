package org.vi4dvar.kernels.stats;

/**
 * What is reported of a posterior propagated through the window: per point (t, i) the weighted mean, standard
 * deviation and quantiles ({@link TrajectoryStatistics#PROBS}); the covariance of x_t at chosen times; the
 * scores against the truth per part (assimilated, forecast states, and x0 alone) when it is known, with the
 * rank-histogram bin of every point; the first sampled trajectories; and, for families without exact moments,
 * the sample moments of the control. Arrays are
 * {@code [t*nx + i]} (dim = nStates·nx); a plain final class (it stays on the driver).
 */
public final class TrajectorySummary implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Scores of one part of the window (assimilated or forecast states), pooled over its points (t, i). */
  public static final class Part implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Number of (t, i) points. */
    public int points;
    /** RMSE of the posterior mean against the truth: sqrt(mean over points of (mean − truth)²). */
    public double rmse = Double.NaN;
    /** Mean over points of the posterior std. */
    public double spread = Double.NaN;
    /** spread / rmse (≈ 1 when calibrated). */
    public double spreadSkill = Double.NaN;
    /** Mean over points of the CRPS. */
    public double crps = Double.NaN;
    /** Fraction of points whose truth is inside the central 50 % interval. */
    public double coverage50 = Double.NaN;
    /** Fraction of points whose truth is inside the central 90 % interval. */
    public double coverage90 = Double.NaN;
    /** Rank histogram: points per PIT bin. */
    public long[] rankHistogram = new long[0];
    /** Expected probability of each bin for a calibrated posterior. */
    public double[] rankExpected = new double[0];
  }

  /** State size. */
  public final int nx;
  /** States. */
  public final int nStates;
  /** Assimilated states. */
  public final int nAssim;
  /** Draws asked for. */
  public final long requested;
  /** Draws used (finite trajectories). */
  public final long used;
  /** Draws excluded because their trajectory was not finite. */
  public final long nonFinite;
  /** Effective sample size of the weights, (Σw)²/Σw² (= used when unweighted). */
  public final double weightEss;
  /** Mean per point. */
  public final double[] mean;
  /** Standard deviation per point. */
  public final double[] std;
  /** Quantiles {@code [q][t*nx + i]} for {@link TrajectoryStatistics#PROBS}. */
  public final double[][] quantiles;
  /** The covariance times. */
  public final int[] covTimes;
  /** Grid points of the covariances (0 … covPoints−1; nx unless output.cov-points restricts them). */
  public final int covPoints;
  /** Covariance of x_t at {@code covTimes[c]} over the first covPoints points (covPoints² row-major). */
  public final double[][] covariances;
  /** Scores over the assimilated states (null without the truth). */
  public final Part assim;
  /** Scores over the forecast states (null without the truth; points = 0 when there are none). */
  public final Part forecast;
  /** Mean std over the assimilated states (known without the truth). */
  public final double spreadAssim;
  /** Mean std over the forecast states (NaN when there are none). */
  public final double spreadForecast;
  /** The first sampled finite trajectories, {@code [s*dim + t*nx + i]}. */
  public final double[] trajectories;
  /** Their draw indices. */
  public final long[] trajectoryDraws;
  /** Sample mean of the control when the posterior has no exact moments, else null. */
  public final double[] controlMean;
  /** Sample covariance of the control (n×n) when the posterior has no exact moments, else null. */
  public final double[] controlCovariance;
  /** Scores over x0 alone, the points (0, i) (null without the truth); calibrate reports it apart. */
  public final Part x0;
  /**
   * The rank-histogram bin of the truth at every point {@code [t*nx + i]} (null without the truth): calibrate
   * draws one point per twin from it, for a rank-uniformity test on independent values.
   */
  public final int[] rankBins;

  TrajectorySummary(int nx, int nStates, int nAssim, long requested, long used, long nonFinite, double weightEss,
      double[] mean, double[] std, double[][] quantiles, int[] covTimes, int covPoints, double[][] covariances,
      Part assim,
      Part forecast, double[] trajectories, long[] trajectoryDraws, double[] controlMean,
      double[] controlCovariance, Part x0, int[] rankBins) {
    this.nx = nx;
    this.nStates = nStates;
    this.nAssim = nAssim;
    this.requested = requested;
    this.used = used;
    this.nonFinite = nonFinite;
    this.weightEss = weightEss;
    this.mean = mean;
    this.std = std;
    this.quantiles = quantiles;
    this.covTimes = covTimes;
    this.covPoints = covPoints;
    this.covariances = covariances;
    this.assim = assim;
    this.forecast = forecast;
    double a = 0.0;
    double f = 0.0;
    int split = nAssim * nx;
    for (int k = 0; k < std.length; k++) {
      if (k < split) {
        a += std[k];
      } else {
        f += std[k];
      }
    }
    this.spreadAssim = split > 0 ? a / split : Double.NaN;
    this.spreadForecast = std.length > split ? f / (std.length - split) : Double.NaN;
    this.trajectories = trajectories;
    this.trajectoryDraws = trajectoryDraws;
    this.controlMean = controlMean;
    this.controlCovariance = controlCovariance;
    this.x0 = x0;
    this.rankBins = rankBins;
  }

  /** Number of sampled trajectories kept in {@link #trajectories}. */
  public int trajectoryCount() {
    return trajectoryDraws.length;
  }
}
