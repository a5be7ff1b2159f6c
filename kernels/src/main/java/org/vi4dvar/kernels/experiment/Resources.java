package org.vi4dvar.kernels.experiment;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.PosteriorSettings;
import org.vi4dvar.kernels.vi.VariationalFamily;

/**
 * What an experiment will need, estimated from its settings and shape before anything runs: the driver's heap
 * (the largest things it holds at once), one task's working memory, and the size of the outputs. Each estimate
 * names what dominates it and the configuration key that controls it, so that a run that cannot fit is refused at
 * once with the knob to turn. Estimates are upper bounds of the arrays held (objects' headers and JVM overheads
 * are covered by a factor of 1.5); they are checked against the measured runs in the tests' sizes.
 */
public final class Resources {

  /** Bytes per double written as text (Double.toString plus a comma). */
  static final long TEXT_BYTES = 21;

  private Resources() {
  }

  /** An estimate: bytes per component, and the largest. */
  public static final class Estimate {
    /** Driver heap, by component. */
    public final Map<String, Long> driver = new LinkedHashMap<>();
    /** One task's working memory, by component. */
    public final Map<String, Long> task = new LinkedHashMap<>();
    /** Output size, by component. */
    public final Map<String, Long> output = new LinkedHashMap<>();
    /**
     * Tasks that run alone (a stage of one unit, e.g. the Laplace Hessian's Cholesky factor), by component: with a
     * local master they need their memory once, not once per thread.
     */
    public final Map<String, Long> solo = new LinkedHashMap<>();

    /** Driver heap in bytes (the components are held at different times: the largest two). */
    public long driverBytes() {
      return largestTwo(driver);
    }

    /** One task's working memory in bytes (the largest component: a task runs one stage at a time). */
    public long taskBytes() {
      return task.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The largest task that runs alone, in bytes. */
    public long soloBytes() {
      return solo.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The component of the largest task that runs alone. */
    public String largestSolo() {
      return largest(solo);
    }

    /**
     * The heap of a local-mode JVM with {@code threads} task threads: the driver's, plus either the threads'
     * tasks or one task that runs alone, whichever is larger (a one-unit stage runs while the others wait).
     */
    public long localBytes(int threads) {
      return driverBytes() + Math.max((long) threads * taskBytes(), soloBytes());
    }

    /** Output bytes (all components). */
    public long outputBytes() {
      return output.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The component of the largest driver need, e.g. "abc: kept trials (abc.keep)". */
    public String largestDriver() {
      return largest(driver);
    }

    /** The component of the largest task need. */
    public String largestTask() {
      return largest(task);
    }

    /** The component of the largest output. */
    public String largestOutput() {
      return largest(output);
    }

    private static long largestTwo(Map<String, Long> m) {
      long a = 0;
      long b = 0;
      for (long v : m.values()) {
        if (v > a) {
          b = a;
          a = v;
        } else if (v > b) {
          b = v;
        }
      }
      return a + b;
    }

    private static String largest(Map<String, Long> m) {
      String k = "";
      long best = -1;
      for (Map.Entry<String, Long> e : m.entrySet()) {
        if (e.getValue() > best) {
          best = e.getValue();
          k = e.getKey();
        }
      }
      return k;
    }
  }

  /** Human-readable bytes: 1.2 GB, 340 MB, 12 kB. */
  public static String bytes(double b) {
    if (b >= 1e9) {
      return String.format(Locale.ROOT, "%.3g GB", b / 1e9);
    }
    if (b >= 1e6) {
      return String.format(Locale.ROOT, "%.3g MB", b / 1e6);
    }
    return String.format(Locale.ROOT, "%.3g kB", b / 1e3);
  }

  private static long mul(double... f) {
    double v = 1.5;
    for (double x : f) {
      v *= x;
    }
    return v >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : (long) v;
  }

  /**
   * Estimates an experiment of the given shape.
   *
   * @param s the settings
   * @param n the control dimension
   * @param nObs observed points
   * @param parallelism tasks that run at once
   */
  public static Estimate of(ExperimentSettings s, int n, long nObs, int parallelism) {
    Estimate e = new Estimate();
    final long nx = s.model().nx();
    final long states = s.window().states();
    final long dim = nx * states;
    final long nCov = s.output().covTimes().size();
    final long cp = s.output().covPoints((int) nx);
    final PosteriorSettings ps = s.posterior();
    final long k = s.abc().kept();
    final long samples = ps.samples();
    final long keepTraj = s.output().allTrajectories() ? 0 : s.output().trajectorySamples();

    e.driver.put("the problem and the truth", mul(8, 4 * s.window().assimilated() * (nx / s.obs().pooling())
        + 2 * dim + 4 * nx));
    // statistics of one method on the driver: per-point arrays, the covariances, the first trajectories
    e.driver.put("statistics of a method (output.cov-points, output.cov-times, output.trajectory-samples)",
        mul(8, 12 * dim + 2 * nCov * cp * cp + keepTraj * dim));
    e.task.put("a statistics task (posterior.task-memory)", mul(ps.taskMemoryBytes() / 1.5));
    // the covariance and the whitened one it is computed from
    e.driver.put("exact moments of x0 (model.nx)", mul(8, n <= org.vi4dvar.kernels.posterior.Moments.DENSE_LIMIT
        ? 2 * (double) n * n : 4.0 * n));
    if (s.runs("abc") || s.runs("map") || s.runs("ensemble") || s.runs("vi")) {
      // the k kept trials: the merged result, the task result being merged, the posterior, its broadcast copy
      e.driver.put("abc: kept trials (abc.keep × abc.trials)", mul(8, 4 * k * (n + 3)));
      e.task.put("abc: a task's kept trials (abc.keep × abc.trials)", mul(8, 2 * k * (n + 3)
          + 3 * 512 * nx));
    }
    if (s.runs("map")) {
      // on the driver: the Hessian and its factor; alone: the Gauss–Newton task (G, one row per observation, and
      // two n×n arrays) or the Cholesky task (the matrix and its factor). Measured at nx = 4096 (BENCHMARKS.md,
      // issue 11): 1.08 GB of live heap at most for the whole run in local[2], against 1.76 GB estimated here.
      e.driver.put("map: the Hessian and its factor (model.nx)", mul(8, 2 * (double) n * n));
      // every start (the array shipped to the tasks) and its result: the minimum and the cost trace
      e.driver.put("map: starts and their results (map.starts, map.max-iterations)", mul(8, s.map().starts()
          * (2.0 * n + s.map().maxIterations())));
      e.solo.put("map: the Gauss-Newton and Cholesky tasks (model.nx)", mul(8, (double) nObs * n
          + 2 * (double) n * n));
    }
    if (s.runs("vi") && s.vi().family() != VariationalFamily.MEAN_FIELD) {
      e.driver.put("vi: full-rank factors of the restarts (vi.restarts, model.nx)",
          mul(8, s.vi().restarts() * (double) n * n));
    }
    if (s.runs("ensemble")) {
      e.driver.put("ensemble: members (ensemble.members)", mul(8, s.ensemble().members()
          * (double) (n + s.ensemble().maxIterations())));
    }
    if (s.runs("mcmc")) {
      // the chains' draws in v, in c and pooled, with their potentials; each chain's dense metric
      long mc = (long) s.mcmc().chains() * s.mcmc().draws();
      e.driver.put("mcmc: the chains' draws (mcmc.chains × mcmc.draws, model.nx)", mul(8, 3.0 * mc * (n + 1)
          + 2.0 * s.mcmc().chains() * n * n));
      e.task.put("mcmc: a chain (mcmc.draws, model.nx)", mul(8, (double) s.mcmc().draws() * (n + 1)
          + 8.0 * n * n));
    }
    for (String base : org.vi4dvar.kernels.config.PsisSettings.CORRECTABLE) {
      if (s.runs(base + ExperimentSettings.IS_SUFFIX)) {
        e.driver.put(base + "-is: the importance weights (psis.draws)", mul(8, 4.0 * s.psis().draws()));
      }
    }
    // outputs: per method and the prior, 7 grids, the covariances, the trajectories, x0 moments
    long methods = 1 + s.methods().size();
    long perMethod = 7 * dim + nCov * cp * cp + keepTraj * (dim + 2 * states) + n + (n <= 4096 ? (long) n * n : 0);
    e.output.put("statistics files of every method (output.cov-points, output.cov-times, output.trajectory-samples)",
        (long) (TEXT_BYTES * (double) methods * perMethod));
    if (s.output().allTrajectories()) {
      e.output.put("every sampled trajectory (output.trajectory-samples = all, posterior.samples)",
          (long) (TEXT_BYTES * (double) methods * Math.max(samples, k) * (dim + 2 * states)));
    }
    if (s.runs("abc")) {
      e.output.put("abc: kept trials (abc.keep × abc.trials)", (long) (TEXT_BYTES * (double) k * (n + 3)));
    }
    e.output.put("the dataset", (long) (TEXT_BYTES * (2.0 * states * (nx / s.obs().pooling()) + 2 * dim)));
    return e;
  }
}
