package org.vi4dvar.kernels.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.stats.TrajectorySummary;

/**
 * What a method produced: its posterior (or why it has none), its diagnostics, its tables, its time and — once
 * the experiment has propagated the posterior — its trajectory statistics.
 */
public final class MethodResult {

  /** The method's name. */
  public final String name;
  /** The posterior, or null when unavailable. */
  public final Posterior posterior;
  /** Why there is no posterior, or null. */
  public final String unavailable;
  /** The diagnostics (also when unavailable, as far as they go). */
  public final Diagnostics diagnostics;
  /** The method's tables, in the order they are written. */
  public final List<Table> tables;
  /** Wall-clock seconds of the method (its jobs, not the statistics). */
  public final double seconds;
  /** The posterior's trajectory statistics, set by the experiment. */
  private TrajectorySummary summary;
  /** Seconds of the statistics. */
  private double statisticsSeconds;

  private MethodResult(String name, Posterior posterior, String unavailable, Diagnostics diagnostics,
      List<Table> tables, double seconds) {
    this.name = name;
    this.posterior = posterior;
    this.unavailable = unavailable;
    this.diagnostics = diagnostics == null ? Diagnostics.none() : diagnostics;
    this.tables = Collections.unmodifiableList(new ArrayList<>(tables));
    this.seconds = seconds;
  }

  /** A method's posterior with its tables; its diagnostics are the posterior's. */
  public static MethodResult of(String name, Posterior posterior, List<Table> tables, double seconds) {
    return new MethodResult(name, posterior, null, posterior.diagnostics(), tables, seconds);
  }

  /** A method without a posterior. */
  public static MethodResult unavailable(String name, String reason, Diagnostics diagnostics, List<Table> tables,
      double seconds) {
    return new MethodResult(name, null, reason, diagnostics, tables, seconds);
  }

  /** Whether there is a posterior. */
  public boolean available() {
    return posterior != null;
  }

  /** The table named {@code table}, or null. */
  public Table table(String table) {
    for (Table t : tables) {
      if (t.name.equals(table)) {
        return t;
      }
    }
    return null;
  }

  /** The trajectory statistics (null before the experiment computed them, or when unavailable). */
  public TrajectorySummary summary() {
    return summary;
  }

  /** Seconds spent on the statistics. */
  public double statisticsSeconds() {
    return statisticsSeconds;
  }

  void setSummary(TrajectorySummary s, double seconds) {
    this.summary = s;
    this.statisticsSeconds = seconds;
  }
}
