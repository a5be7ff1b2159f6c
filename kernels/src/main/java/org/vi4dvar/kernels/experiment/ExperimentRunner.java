package org.vi4dvar.kernels.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vi4dvar.kernels.abc.AbcMethod;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.stats.TrajectoryStatistics;
import org.vi4dvar.kernels.stats.TrajectorySummary;

/**
 * Runs a whole experiment in one JVM, its units of work distributed by a {@link Parallel}:
 * <ol>
 *   <li>the prior {@code N(c_b, S Sᵀ)}, for reference;</li>
 *   <li>ABC — as a method, or, when it is not one but MAP runs or a method starts from {@code best}, as an
 *       exploration whose lowest-J trials are the others' starts;</li>
 *   <li>the requested methods in {@link MethodRegistry} order, each reading what the earlier ones found; a
 *       method that ends without a posterior ({@link MethodUnavailable}) is recorded as such and the others go
 *       on;</li>
 *   <li>every posterior propagated through the window in tasks ({@link TrajectoryStatistics}): mean, std,
 *       quantiles, covariances, scores, the first sampled trajectories. A posterior whose every draw
 *       overflows is unavailable.</li>
 * </ol>
 * The same inputs give the same results, bit for bit, on {@link LocalParallel} with any number of threads or
 * tasks and on Spark with any partitioning.
 */
public final class ExperimentRunner {

  /** The prior's sample-stream tag. */
  public static final long PRIOR_TAG = 1;

  private ExperimentRunner() {
  }

  /**
   * Runs the experiment.
   *
   * @param inputs the problem, the truth (may be null) and the settings
   * @param parallel where tasks run
   * @param listener progress lines
   * @param acceptedSink where ABC's accepted trials go in threshold mode (null: counted only)
   */
  public static ExperimentResult run(ExperimentInputs inputs, Parallel parallel, ExperimentListener listener,
      TrialSink acceptedSink) {
    ExperimentSettings s = inputs.settings();
    try (Shared<ExperimentInputs> shared = parallel.share(inputs)) {
      Experiment ex = new Experiment(inputs, shared, parallel, listener, acceptedSink);
      Map<String, Object> data = DataFacts.compute(parallel, shared);
      MethodResult prior = prior(ex);
      Map<String, Object> exploration = new LinkedHashMap<>();
      boolean needStarts = s.runs("map")
          || s.runs("ensemble") && s.ensemble().start() == StartPoint.BEST
          || s.runs("vi") && s.vi().start() == StartPoint.BEST
          || s.runs("mcmc");
      if (!s.runs("abc") && needStarts) {
        long t0 = System.nanoTime();
        exploration.putAll(AbcMethod.explore(ex));
        exploration.put("seconds", round3(seconds(t0)));
      }
      List<MethodResult> results = new ArrayList<>();
      for (Method m : MethodRegistry.methods()) {
        if (!s.runs(m.name())) {
          continue;
        }
        long t0 = System.nanoTime();
        MethodResult r;
        try {
          r = m.run(ex);
        } catch (MethodUnavailable e) {
          listener.line(e.getMessage() + "; its posterior is unavailable");
          r = MethodResult.unavailable(m.name(), e.reason(), null, List.of(), seconds(t0));
        }
        ex.recordPosterior(r.name, r.posterior);
        results.add(r);
      }
      prior = statistics(ex, prior);
      for (int i = 0; i < results.size(); i++) {
        results.set(i, statistics(ex, results.get(i)));
      }
      return new ExperimentResult(data, prior, results, exploration);
    }
  }

  private static MethodResult prior(Experiment ex) {
    Posterior p = GaussianPosterior.prior(ex.problem().control(), ex.settings().seed(), PRIOR_TAG);
    return MethodResult.of("prior", p, List.of(), 0.0);
  }

  /** The statistics plan of a posterior under the settings. */
  public static TrajectoryStatistics.Plan plan(ExperimentInputs in, Posterior p, long requested) {
    ExperimentSettings s = in.settings();
    int[] covTimes = s.output().covTimes().stream().mapToInt(Integer::intValue).toArray();
    return new TrajectoryStatistics.Plan(in.problem().nx(), in.problem().nStates(), in.problem().nAssim(),
        p.dimension(), p.draws(requested), covTimes, s.output().covPoints(in.problem().nx()),
        s.posterior().rankBins(),
        s.output().allTrajectories() ? 0 : s.output().trajectorySamples(),
        p.exactMoments() == null, s.posterior().taskMemoryBytes());
  }

  /** Propagates the result's posterior in tasks and attaches its statistics (or makes it unavailable). */
  private static MethodResult statistics(Experiment ex, MethodResult r) {
    return summarise(ex.parallel(), ex.shared(), r, ex::progress);
  }

  /**
   * Propagates a method's posterior through the window in tasks and attaches its statistics
   * ({@link TrajectoryStatistics}, planned from the inputs' settings); a posterior whose every draw overflows
   * becomes unavailable. Used by {@link #run} for every method, and by anyone holding a posterior of their own.
   *
   * @param progress receives a line when draws were excluded
   * @return {@code r} with its statistics, or an unavailable result
   */
  public static MethodResult summarise(Parallel parallel, Shared<ExperimentInputs> inputs, MethodResult r,
      ExperimentListener progress) {
    if (!r.available()) {
      return r;
    }
    long t0 = System.nanoTime();
    TrajectorySummary sm;
    ExperimentInputs in = inputs.get();
    try (Shared<Posterior> post = parallel.share(r.posterior)) {
      sm = TrajectoryStatistics.compute(parallel, inputs, post,
          plan(in, r.posterior, in.settings().posterior().samples()), r.name);
    }
    if (sm.used == 0) {
      String why = "every one of its " + sm.nonFinite + " sampled trajectories overflowed (non-finite); check the "
          + "background standard deviations and the model's time step";
      progress.line(r.name + ": " + why);
      return MethodResult.unavailable(r.name, why, r.diagnostics, r.tables, r.seconds);
    }
    if (sm.nonFinite > 0) {
      progress.line(String.format(Locale.ROOT, "%s: %d of %d sampled trajectories were not finite and are "
          + "excluded", r.name, sm.nonFinite, sm.nonFinite + sm.used));
    }
    r.setSummary(sm, seconds(t0));
    return r;
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) * 1e-9;
  }

  static double round3(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }
}
