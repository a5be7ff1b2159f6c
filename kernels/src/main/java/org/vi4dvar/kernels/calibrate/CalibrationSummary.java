package org.vi4dvar.kernels.calibrate;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The calibration of every method over N twins ({@link CalibrationStatistics#of}). */
public final class CalibrationSummary {

  /** Twins run, N. */
  public final long twins;
  /** Twins that failed as a whole (could not be made, or a method threw). */
  public final long failed;
  /** Why, counted by reason (the most frequent first). */
  public final Map<String, Long> failureReasons;
  /** Level of the intervals and bands. */
  public final double confidence;
  /** Rank-histogram bins. */
  public final int rankBins;
  /** Seconds per twin: mean, median, largest. */
  public final double[] seconds;
  /** The prior and every method, in the twins' order. */
  public final List<MethodCalibration> methods;

  CalibrationSummary(long twins, long failed, Map<String, Long> failureReasons, double confidence, int rankBins,
      double[] seconds, List<MethodCalibration> methods) {
    this.twins = twins;
    this.failed = failed;
    this.failureReasons = Collections.unmodifiableMap(failureReasons);
    this.confidence = confidence;
    this.rankBins = rankBins;
    this.seconds = seconds;
    this.methods = Collections.unmodifiableList(methods);
  }

  /** The method named {@code name}, or null. */
  public MethodCalibration method(String name) {
    for (MethodCalibration m : methods) {
      if (m.name.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
