package org.vi4dvar.kernels.calibrate;

import org.vi4dvar.kernels.stats.TrajectorySummary;

/**
 * One twin's scores of one method over one part of the window (x0, the assimilated or the forecast states), as
 * calibrate pools them: the part's points, its RMSE, mean spread and mean CRPS, the number of points covered by
 * the central 50 % and 90 % intervals, its rank histogram, and the rank bin of the one point chosen for this twin
 * ({@link #chosenPoint}, by {@link #choose}: fixed before any data, so that the chosen values of different twins
 * are independent). A plain final class (a task result; Kryo).
 */
public final class TwinPart implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Points (t, i) of the part. */
  public final int points;
  /** RMSE of the posterior mean over the part. */
  public final double rmse;
  /** Mean posterior standard deviation over the part. */
  public final double spread;
  /** Mean CRPS over the part. */
  public final double crps;
  /** Points whose truth is inside the central 50 % interval. */
  public final long covered50;
  /** Points whose truth is inside the central 90 % interval. */
  public final long covered90;
  /** Points per rank-histogram bin. */
  public final long[] rankHistogram;
  /** The chosen point, an index within the part. */
  public final int chosenPoint;
  /** The rank-histogram bin of the truth at the chosen point. */
  public final int chosenBin;

  TwinPart(int points, double rmse, double spread, double crps, long covered50, long covered90,
      long[] rankHistogram, int chosenPoint, int chosenBin) {
    this.points = points;
    this.rmse = rmse;
    this.spread = spread;
    this.crps = crps;
    this.covered50 = covered50;
    this.covered90 = covered90;
    this.rankHistogram = rankHistogram;
    this.chosenPoint = chosenPoint;
    this.chosenBin = chosenBin;
  }

  /** The 64-bit golden ratio, 2⁶⁴/φ (odd): a Weyl sequence k·φ spreads consecutive twins over the points. */
  static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /**
   * The point twin k chooses in a part of {@code points} points: {@code (k·GOLDEN + part·GOLDEN²) mod points}
   * (unsigned). The same in every method; consecutive twins take points far apart; x0, the assimilated and the
   * forecast states choose differently (the x0 points are also assimilated ones).
   *
   * @param part 0 (x0), 1 (assimilated), 2 (forecast)
   */
  public static int choose(long k, int part, int points) {
    long h = k * GOLDEN + part * (GOLDEN * GOLDEN);
    return (int) Long.remainderUnsigned(h, points);
  }

  /**
   * The part {@code part} (0 x0, 1 assimilated, 2 forecast) of a summary, which starts at point {@code offset}
   * of the window, in twin {@code k}.
   *
   * @return null when the part has no point (e.g. no forecast states)
   */
  static TwinPart of(TrajectorySummary.Part p, int part, int offset, int[] rankBins, long k) {
    if (p == null || p.points == 0) {
      return null;
    }
    int chosen = choose(k, part, p.points);
    return new TwinPart(p.points, p.rmse, p.spread, p.crps, Math.round(p.coverage50 * p.points),
        Math.round(p.coverage90 * p.points), p.rankHistogram.clone(), chosen, rankBins[offset + chosen]);
  }

  /** Coverage of the central 50 % interval, covered50 / points. */
  public double coverage50() {
    return (double) covered50 / points;
  }

  /** Coverage of the central 90 % interval, covered90 / points. */
  public double coverage90() {
    return (double) covered90 / points;
  }
}
