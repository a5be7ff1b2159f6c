package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code output.*}: what a run writes besides {@code summary.json}, mean and std.
 *
 * @param covTimes states t whose covariance is written as {@code cov_t<t>.csv} ({@code output.cov-times}:
 *     integers in [0, window.states) or the names {@code first}, {@code last-assimilated}, {@code last};
 *     resolved to integers, sorted, without duplicates)
 * @param covPoints the covariances are of the grid points {@code 0 … covPoints−1} only ({@code output.cov-points},
 *     {@code >= 0}; 0: every point): at large nx a window keeps them, their files and figures small
 * @param trajectorySamples posterior trajectories written per method ({@code output.trajectory-samples},
 *     {@code 0..10000}, or {@link #ALL}: every draw, streamed to samples.csv in chunks computed in tasks)
 * @param report whether the run draws the figures and writes {@code report.html} ({@code output.report})
 */
public record OutputSettings(List<Integer> covTimes, int covPoints, int trajectorySamples, boolean report)
    implements Serializable {

  /** {@code output.trajectory-samples = all}: every draw's trajectory is written. */
  public static final int ALL = -1;

  /** Largest number of trajectory samples written per method (other than {@link #ALL}). */
  public static final int MAX_TRAJECTORY_SAMPLES = 10_000;

  /** Validates every field (that the times are inside the window is checked by {@link ExperimentSettings}). */
  public OutputSettings {
    Require.notNull("output.cov-times", covTimes);
    Require.atLeast("output.cov-points", covPoints, 0);
    covTimes = List.copyOf(covTimes);
    if (trajectorySamples != ALL) {
      Require.atLeast("output.trajectory-samples", trajectorySamples, 0);
      Require.atMost("output.trajectory-samples", trajectorySamples, MAX_TRAJECTORY_SAMPLES);
    }
  }

  /** The number of grid points of the covariances for a state of {@code nx} points. */
  public int covPoints(int nx) {
    return covPoints == 0 ? nx : Math.min(nx, covPoints);
  }

  /** Whether every draw's trajectory is written. */
  public boolean allTrajectories() {
    return trajectorySamples == ALL;
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cov-times", covTimes);
    m.put("cov-points", covPoints);
    m.put("trajectory-samples", trajectorySamples == ALL ? "all" : trajectorySamples);
    m.put("report", report);
    return m;
  }
}
