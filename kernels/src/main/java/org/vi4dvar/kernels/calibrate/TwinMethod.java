package org.vi4dvar.kernels.calibrate;

import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.stats.TrajectorySummary;

/**
 * One method (or the prior) in one twin: whether it had a posterior (and why not), its failures — units that
 * diverged, units excluded, sampled trajectories that were not finite — its draws and time, and its scores over
 * x0, the assimilated and the forecast states. A plain final class (a task result; Kryo).
 */
public final class TwinMethod implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The method's name ({@code prior} for the reference). */
  public final String name;
  /** Why there is no posterior, or null. */
  public final String unavailable;
  /** Whether the posterior's draws carry importance weights. */
  public final boolean weighted;
  /** Draws used for the statistics (finite trajectories). */
  public final long draws;
  /** Units (members, restarts, starts) that diverged. */
  public final long diverged;
  /** Units excluded from the posterior. */
  public final long excluded;
  /** Sampled trajectories excluded because they were not finite. */
  public final long nonFinite;
  /** Whether the method's own convergence test passed ({@code Diagnostics.converged}; true when unavailable). */
  public final boolean converged;
  /** What that test is (the method's {@code Diagnostics.convergence} sentence; null when unavailable). */
  public final String convergence;
  /** Seconds of the method and its statistics. */
  public final double seconds;
  /** Scores over x0 (null when unavailable). */
  public final TwinPart x0;
  /** Scores over the assimilated states (null when unavailable). */
  public final TwinPart assim;
  /** Scores over the forecast states (null when unavailable or when there are none). */
  public final TwinPart forecast;

  private TwinMethod(String name, String unavailable, boolean weighted, long draws, long diverged, long excluded,
      long nonFinite, boolean converged, String convergence, double seconds, TwinPart x0, TwinPart assim,
      TwinPart forecast) {
    this.name = name;
    this.unavailable = unavailable;
    this.weighted = weighted;
    this.draws = draws;
    this.diverged = diverged;
    this.excluded = excluded;
    this.nonFinite = nonFinite;
    this.converged = converged;
    this.convergence = convergence;
    this.seconds = seconds;
    this.x0 = x0;
    this.assim = assim;
    this.forecast = forecast;
  }

  /** What calibrate keeps of a method's result in twin {@code k} (its statistics computed, truth known). */
  static TwinMethod of(MethodResult r, long k) {
    long diverged = r.diagnostics.count("diverged");
    long excluded = r.diagnostics.count("excluded");
    double seconds = r.seconds + r.statisticsSeconds();
    if (!r.available()) {
      return new TwinMethod(r.name, r.unavailable, false, 0, diverged, excluded, 0, true, null, seconds, null,
          null, null);
    }
    TrajectorySummary sm = r.summary();
    int split = sm.nAssim * sm.nx;
    return new TwinMethod(r.name, null, r.posterior.weighted(), sm.used, diverged, excluded, sm.nonFinite,
        r.diagnostics.converged, r.diagnostics.convergence, seconds, TwinPart.of(sm.x0, 0, 0, sm.rankBins, k), TwinPart.of(sm.assim, 1, 0, sm.rankBins, k),
        TwinPart.of(sm.forecast, 2, split, sm.rankBins, k));
  }

  /** Whether there was a posterior. */
  public boolean available() {
    return unavailable == null;
  }

  /** The part named {@code x0}, {@code assim} or {@code forecast}. */
  public TwinPart part(String part) {
    return byPart(part, x0, assim, forecast);
  }

  /** One of the three values by the name of its part: {@code x0}, {@code assim} or {@code forecast}. */
  static <T> T byPart(String part, T x0, T assim, T forecast) {
    switch (part) {
      case "x0":
        return x0;
      case "assim":
        return assim;
      case "forecast":
        return forecast;
      default:
        throw new IllegalArgumentException("unknown part '" + part + "' (x0, assim, forecast)");
    }
  }
}
