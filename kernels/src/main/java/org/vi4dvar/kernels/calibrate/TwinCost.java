package org.vi4dvar.kernels.calibrate;

import java.util.Locale;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.vi.VariationalFamily;

/**
 * What one twin needs, estimated from its sizes, so that {@code calibrate} can refuse before it starts what
 * cannot run: the working memory of each method inside one task (a twin runs whole in one task, so a method whose
 * dense n×n matrices do not fit there cannot run per twin), and the bytes one twin's result keeps on the driver.
 * Estimates, not bounds: they count the large arrays (n = the control dimension, S = posterior.samples,
 * P = window.states × nx points), not the JVM's overhead.
 * <pre>
 *   map        Hessian, its copy and its Cholesky factor: 3 · 8 n²
 *   vi         full-rank: each restart's L and Adam's two moments, 3 · 8 n² per restart; mean-field: O(n)
 *   abc        one block of trials and their trajectories: 8 · block-size · (n + P)
 *   ensemble   the members: 8 · members · n
 *   statistics per method: the draws of the points a statistics task owns, ≤ posterior.task-memory, and the
 *              covariances at output.cov-times, 8 · nx² each
 * </pre>
 */
public final class TwinCost {

  private TwinCost() {
  }

  /** Estimated bytes of method {@code m}'s own working set in a twin of {@code s}. */
  public static long methodBytes(ExperimentSettings s, String m) {
    long n = s.model().nx();
    long points = (long) s.window().states() * s.model().nx();
    switch (m) {
      case "map":
        return 3 * 8 * n * n;
      case "vi":
        // full-rank and flow (whose first stage is full-rank) hold n x n factors per restart
        return s.vi().family() == VariationalFamily.FULL_RANK || s.vi().family() == VariationalFamily.FLOW
            || s.vi().family() == VariationalFamily.MIXTURE && s.vi().mixtureFamily() == VariationalFamily.FULL_RANK
            ? 3L * 8 * n * n * s.vi().restarts() : 64 * n;
      case "abc":
        return 8L * s.abc().blockSize() * (n + points);
      case "ensemble":
        return 8L * s.ensemble().members() * n;
      default:
        return 0;
    }
  }

  /** Estimated bytes of one method's statistics. */
  public static long statisticsBytes(ExperimentSettings s) {
    long nx = s.model().nx();
    long points = (long) s.window().states() * nx;
    long draws = 8L * s.posterior().samples() * points;
    return Math.min(draws, s.posterior().taskMemoryBytes()) + 8 * nx * nx * s.output().covTimes().size()
        + 20 * 8 * points;
  }

  /** Estimated bytes of a whole twin: every method's working set and statistics, the prior's too. */
  public static long twinBytes(ExperimentSettings s) {
    long b = statisticsBytes(s);
    for (String m : s.methods()) {
      b += methodBytes(s, m) + statisticsBytes(s);
    }
    return b;
  }

  /**
   * Why a method cannot run per twin in a task of {@code taskBytes} bytes, naming it and what it needs, or null
   * when every method fits.
   */
  public static String cannotRunPerTwin(ExperimentSettings s, long taskBytes) {
    for (String m : s.methods()) {
      long need = methodBytes(s, m) + statisticsBytes(s);
      if (need > taskBytes) {
        return String.format(Locale.ROOT, "%s cannot run per twin: it needs about %s in the task that runs the twin "
            + "(%s), which has about %s; leave %s out of --methods or scale the twins down with calibrate.set", m,
            bytes(need), why(s, m), bytes(taskBytes), m);
      }
    }
    return null;
  }

  private static String why(ExperimentSettings s, String m) {
    switch (m) {
      case "map":
        return "the Laplace Hessian of n = " + s.model().nx() + ", dense";
      case "vi":
        return "full-rank q of n = " + s.model().nx() + " for each of " + s.vi().restarts() + " restarts";
      case "abc":
        return "blocks of " + s.abc().blockSize() + " trials";
      case "ensemble":
        return s.ensemble().members() + " members";
      default:
        return "its statistics";
    }
  }

  /** Estimated bytes one twin's result keeps on the driver (its methods' scores and rank histograms). */
  public static long resultBytes(ExperimentSettings s) {
    long perPart = 8L * s.posterior().rankBins() + 120;
    return 200 + (s.methods().size() + 1) * (3 * perPart + 200);
  }

  /** {@code 1.5 GB}, {@code 320 MB}, {@code 12 kB}. */
  public static String bytes(double b) {
    if (b >= 1e9) {
      return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
    }
    if (b >= 1e6) {
      return String.format(Locale.ROOT, "%.0f MB", b / 1e6);
    }
    return String.format(Locale.ROOT, "%.0f kB", Math.max(1, b / 1e3));
  }
}
