package org.vi4dvar.driver.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a method produced, ready to be summarised and written: its posterior as sampled trajectories (diverged
 * members/restarts already excluded), counts, the distribution of its final costs, method-specific summary
 * entries and files.
 */
public final class MethodOutcome {

  /** Folder and key in {@code summary.json}: map, abc, ensemble, vi (or prior). */
  public final String name;
  /** Wall-clock seconds of the method's jobs. */
  public double seconds;
  /** Sampled posterior trajectories, sample-major {@code [(s·nStates + t)·nx + i]}. */
  public double[] traj;
  /** Number of trajectories in {@link #traj}. */
  public int count;
  /** Counts for {@code summary.json} (trials/members/restarts/starts, converged, diverged, excluded, ...). */
  public final Map<String, Object> counts = new LinkedHashMap<>();
  /** The final cost of every member/start/restart/kept trial (J at minima, E_q[J], ABC distances). */
  public double[] finalCosts = new double[0];
  /** Method-specific entries of {@code summary.json}. */
  public final Map<String, Object> extra = new LinkedHashMap<>();
  /** Extra files, path relative to the output directory → content. */
  public final Map<String, String> files = new LinkedHashMap<>();

  /** An outcome named {@code name}. */
  public MethodOutcome(String name) {
    this.name = name;
  }
}
