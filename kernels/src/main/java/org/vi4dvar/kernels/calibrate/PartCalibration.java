package org.vi4dvar.kernels.calibrate;

/**
 * A method's calibration over one part of the window (x0, the assimilated or the forecast states), pooled over
 * the twins where it had a posterior; {@link CalibrationStatistics} says how each number is computed. A part
 * without points (no forecast) or without twins has {@link #twins} = 0 and NaN values.
 */
public final class PartCalibration {

  /** Twins pooled. */
  public final int twins;
  /** Points per twin (the same in every twin). */
  public final int pointsPerTwin;
  /** Coverage of the central 50 % interval: the ratio estimator Σ covered / Σ points, with its interval. */
  public final Estimate coverage50;
  /** Coverage of the central 90 % interval, with its interval. */
  public final Estimate coverage90;
  /** The coverage of the 50 % interval a calibrated posterior with the same draws would have. */
  public final double coverage50Expected;
  /** The same for the 90 % interval. */
  public final double coverage90Expected;
  /** Points per rank bin, pooled over every point of every twin. */
  public final long[] rankHistogram;
  /** Each bin's expected count for a calibrated posterior (with each twin's draws). */
  public final double[] rankExpected;
  /** Lower edge of each bin's band (counts): the expected count minus the twin-clustered interval half width. */
  public final double[] rankBandLo;
  /** Upper edge of each bin's band (counts). */
  public final double[] rankBandHi;
  /** Uniformity p-value from every point: Pearson's X² with the Rao–Scott correction for the twins' clustering. */
  public final double rankPvalue;
  /** Adjacent bins merged into this many groups for the tests (fewer than the bins when there are few twins). */
  public final int rankGroups;
  /** The rank bin of one point per twin (twin k: point k mod points), counted. */
  public final long[] rankHistogramOnePoint;
  /** Its expected counts for a calibrated posterior. */
  public final double[] rankExpectedOnePoint;
  /** Lower edge of each bin's binomial band (counts). */
  public final double[] rankBandOnePointLo;
  /** Upper edge of each bin's binomial band (counts). */
  public final double[] rankBandOnePointHi;
  /** Uniformity p-value from one point per twin: Pearson's χ² (independent values). */
  public final double rankPvalueOnePoint;
  /** Mean over twins of the RMSE of the posterior mean. */
  public final Estimate rmse;
  /** Mean over twins of the mean posterior std. */
  public final Estimate spread;
  /** Σ spread / Σ rmse over twins (≈ 1 when calibrated). */
  public final Estimate spreadSkill;
  /** Mean over twins of the mean CRPS. */
  public final Estimate crps;

  PartCalibration(int twins, int pointsPerTwin, Estimate coverage50, Estimate coverage90, double coverage50Expected,
      double coverage90Expected, long[] rankHistogram, double[] rankExpected, double[] rankBandLo,
      double[] rankBandHi, double rankPvalue, int rankGroups, long[] rankHistogramOnePoint,
      double[] rankExpectedOnePoint, double[] rankBandOnePointLo, double[] rankBandOnePointHi,
      double rankPvalueOnePoint, Estimate rmse, Estimate spread, Estimate spreadSkill, Estimate crps) {
    this.twins = twins;
    this.pointsPerTwin = pointsPerTwin;
    this.coverage50 = coverage50;
    this.coverage90 = coverage90;
    this.coverage50Expected = coverage50Expected;
    this.coverage90Expected = coverage90Expected;
    this.rankHistogram = rankHistogram;
    this.rankExpected = rankExpected;
    this.rankBandLo = rankBandLo;
    this.rankBandHi = rankBandHi;
    this.rankPvalue = rankPvalue;
    this.rankGroups = rankGroups;
    this.rankHistogramOnePoint = rankHistogramOnePoint;
    this.rankExpectedOnePoint = rankExpectedOnePoint;
    this.rankBandOnePointLo = rankBandOnePointLo;
    this.rankBandOnePointHi = rankBandOnePointHi;
    this.rankPvalueOnePoint = rankPvalueOnePoint;
    this.rmse = rmse;
    this.spread = spread;
    this.spreadSkill = spreadSkill;
    this.crps = crps;
  }

  static PartCalibration empty(int bins) {
    double[] nan = new double[bins];
    java.util.Arrays.fill(nan, Double.NaN);
    return new PartCalibration(0, 0, Estimate.NONE, Estimate.NONE, Double.NaN, Double.NaN, new long[bins],
        nan.clone(), nan.clone(), nan.clone(), Double.NaN, 0, new long[bins], nan.clone(), nan.clone(), nan.clone(),
        Double.NaN, Estimate.NONE, Estimate.NONE, Estimate.NONE, Estimate.NONE);
  }
}
