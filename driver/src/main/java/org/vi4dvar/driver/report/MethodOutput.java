package org.vi4dvar.driver.report;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one method folder ({@code map}, {@code abc}, {@code ensemble}, {@code vi}; or {@code prior}, the prior
 * shown for reference) and its summary.json entry hold. Every field may be null: the file was absent or
 * unreadable (the loader noted why).
 */
final class MethodOutput {

  /** Percentiles of the {@code q05..q95.csv} files. */
  static final int[] PERCENTILES = {5, 25, 50, 75, 95};

  /** Folder and summary.json name ({@code vi}). */
  final String name;
  /** methods.&lt;name&gt; of summary.json (empty if absent). */
  final Map<String, Object> summary;
  /** Whether a folder with this name exists. */
  final boolean hasFolder;

  Grid mean;
  Grid std;
  /** Percentile to nStates x nx quantile grid. */
  final Map<Integer, Grid> quantiles = new TreeMap<>();
  /** State index k to nx x nx covariance of x_k. */
  final Map<Integer, Grid> covariances = new TreeMap<>();
  /** The first sampled trajectories (at most RunOutput.MAX_SAMPLES), one per row, nStates*nx values t-major. */
  Grid samples;
  /** How many sampled trajectories were read from samples.csv (the rows of {@link #samples}). */
  int samplesInFile;
  /** The method's colour in every figure (a fallback colour for a method this report does not know). */
  java.awt.Color colour = Style.method("");
  /** map: the lowest-J trajectory. */
  Grid solution;
  /** map: starts.csv. */
  Table starts;
  /** abc: prior_sample.csv (trial, distance, cost of the prior sample, every trial evaluated in full). */
  Table priorSample;
  /** abc: kept.csv. */
  Table kept;
  /** ensemble: members.csv. */
  Table members;
  /**
   * cost_trace.csv, here row = iteration, column = unit: ensemble (long form member,iteration,perturbed_cost:
   * each member's own perturbed cost) or map (start,iteration,cost: J).
   */
  Grid costTrace;
  /** vi: restarts.csv. */
  Table restarts;
  /** vi: elbo_trace.csv (long form restart,iteration,elbo; here row = iteration, column = restart). */
  Grid elboTrace;

  MethodOutput(String name, Map<String, Object> summary, boolean hasFolder) {
    this.name = name;
    this.summary = summary;
    this.hasFolder = hasFolder;
  }

  /** The name shown in figures and tables (the talk's names for the four methods). */
  String label() {
    return label(name);
  }

  /** Whether summary.json marks the method unavailable (it ran but has no posterior). */
  boolean unavailable() {
    return Boolean.FALSE.equals(summary.get("available"));
  }

  /** Why the method has no posterior (summary.json's {@code reason}), or null. */
  String reason() {
    Object r = summary.get("reason");
    return r == null ? null : String.valueOf(r);
  }

  /** The display name of a method folder name: the talk's names, else the folder name itself. */
  static String label(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "prior":
        return "Prior";
      case "map":
        return "MAP (4D-Var)";
      case "abc":
        return "ABC-r";
      case "ensemble":
        return "Ens. 4D-Var";
      case "vi":
        return "VI-4D-Var";
      default:
        return name;
    }
  }

  /** Whether this is the prior reference rather than an estimator. */
  boolean isPrior() {
    return name.equals(RunOutput.PRIOR);
  }

  /** The quantile grid of percentile {@code p}, or null. */
  Grid quantile(int p) {
    return quantiles.get(p);
  }

  /** Whether the five quantile grids are all present. */
  boolean hasFan() {
    return quantiles.size() == PERCENTILES.length;
  }
}
