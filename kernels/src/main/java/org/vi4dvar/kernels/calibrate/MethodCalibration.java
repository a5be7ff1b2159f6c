package org.vi4dvar.kernels.calibrate;

import java.util.Map;

/**
 * One method's calibration over all twins: its scores per part, how often it had no posterior and why, its
 * failures summed over the twins, its draws and its time per twin.
 */
public final class MethodCalibration {

  /** The method ({@code prior} for the reference). */
  public final String name;
  /** Twins where it had a posterior (the statistics pool these). */
  public final int twins;
  /** Twins (that ran) where it had none. */
  public final int unavailable;
  /** Why, counted by reason (the most frequent first, at most {@link CalibrationStatistics#MAX_REASONS}). */
  public final Map<String, Long> unavailableReasons;
  /** Units (members, restarts, starts) that diverged, summed over the twins. */
  public final long diverged;
  /** Units excluded from the posteriors, summed over the twins. */
  public final long excluded;
  /** Sampled trajectories excluded as not finite, summed over the twins. */
  public final long nonFinite;
  /** Twins with a posterior whose method did not pass its own convergence test. */
  public final int unconverged;
  /** What that test is (the method's one sentence), or null when no twin had a posterior. */
  public final String convergence;
  /** Draws per twin: smallest, median, largest. */
  public final double[] draws;
  /** Seconds per twin (the method and its statistics): mean, median, largest. */
  public final double[] seconds;
  /** Over x0. */
  public final PartCalibration x0;
  /** Over the assimilated states. */
  public final PartCalibration assim;
  /** Over the forecast states. */
  public final PartCalibration forecast;

  MethodCalibration(String name, int twins, int unavailable, Map<String, Long> unavailableReasons, long diverged,
      long excluded, long nonFinite, int unconverged, String convergence, double[] draws, double[] seconds,
      PartCalibration x0, PartCalibration assim, PartCalibration forecast) {
    this.name = name;
    this.twins = twins;
    this.unavailable = unavailable;
    this.unavailableReasons = unavailableReasons;
    this.diverged = diverged;
    this.excluded = excluded;
    this.nonFinite = nonFinite;
    this.unconverged = unconverged;
    this.convergence = convergence;
    this.draws = draws;
    this.seconds = seconds;
    this.x0 = x0;
    this.assim = assim;
    this.forecast = forecast;
  }

  /** The part named {@code x0}, {@code assim} or {@code forecast}. */
  public PartCalibration part(String part) {
    return TwinMethod.byPart(part, x0, assim, forecast);
  }
}
