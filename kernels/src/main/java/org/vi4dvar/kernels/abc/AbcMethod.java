package org.vi4dvar.kernels.abc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vi4dvar.kernels.config.AbcSettings;
import org.vi4dvar.kernels.experiment.Experiment;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Method;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.MethodUnavailable;
import org.vi4dvar.kernels.experiment.Table;
import org.vi4dvar.kernels.experiment.TrialSink;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.stats.Distribution;
import org.vi4dvar.kernels.stats.RunningStats;

/**
 * ABC rejection as a method of the experiment: trials {@code x0 = x_b + B½ z} in blocks (the unit of work: block b
 * draws from its own stream, so nothing depends on the tasks), the k trials of smallest distance kept by every
 * task and merged exactly ({@link AbcResult#merge}). The posterior:
 * <ul>
 *   <li>without a threshold: the k kept trials (equal weights), k = round(abc.keep × abc.trials);</li>
 *   <li>with {@code abc.threshold}: <em>every accepted trial</em> (distance ≤ threshold) — the talk's "reject if
 *       the distance exceeds the threshold". All of them are counted and written by the tasks (a
 *       {@link TrialSink}); the posterior's draws are the first k accepted trials by trial index, i.e. all of
 *       them when at most k were accepted, else an iid subsample (trials are exchangeable), said so in the
 *       diagnostics: k then only bounds what is held in memory.</li>
 * </ul>
 * The lowest-J kept trials are the starts of the methods after it ({@link Experiment#setAbcStarts}).
 */
public final class AbcMethod implements Method {

  /** The method's name. */
  public static final String NAME = "abc";
  /**
   * Table of the posterior's draws: {@code trial, distance, cost}, then the control under its names
   * ({@code FourDVarProblem.controlNames()}: {@code x0_0 …}, then {@code eta_<t>_<i> …} and the estimated
   * parameters' names when the control has them).
   */
  public static final String KEPT = "kept";
  /** Table of the prior sample (the first abc.prior-samples trials, every one evaluated in full). */
  public static final String PRIOR_SAMPLE = "prior_sample";
  /** Column: global trial index. */
  public static final String TRIAL = "trial";
  /** Column: the ABC distance. */
  public static final String DISTANCE = "distance";
  /** Column: the full 4D-Var cost J. */
  public static final String COST = "cost";

  /** Blocks per progress step inside a task (progress is reported between steps). */
  static final int STEPS_PER_TASK = 16;
  /** Largest number of blocks in one task (bounds its time and retry cost: 2²⁴ trials at the default size). */
  static final long MAX_TRIALS_PER_TASK = 1L << 24;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ABC rejection: prior trials x0 ~ N(x_b, B), the k of smallest distance kept (or all below a threshold)";
  }

  @Override
  public long tag() {
    return 4;
  }

  /** A task's share: its exact partial result and, in threshold mode, its first accepted trials. */
  public static final class AbcPart implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    AbcResult result;
    long[] index = new long[0];
    double[] distance = new double[0];
    double[] cost = new double[0];
    double[] x = new double[0];
  }

  /** Collects the first {@code cap} accepted trials of a task (they arrive in trial order) and forwards all. */
  static final class FirstAccepted implements AbcTrialConsumer {
    private final int cap;
    private final int n;
    private final TrialSink.Writer sink;
    private int size;
    private long[] index = new long[16];
    private double[] distance = new double[16];
    private double[] cost = new double[16];
    private double[] x;

    FirstAccepted(int cap, int n, TrialSink.Writer sink) {
      this.cap = cap;
      this.n = n;
      this.sink = sink;
      this.x = new double[16 * n];
    }

    @Override
    public void accept(long trial, double d, double j, double[] x0) {
      if (sink != null) {
        sink.accept(trial, d, j, x0);
      }
      if (size >= cap) {
        return;
      }
      if (size == index.length) {
        int len = (int) Math.min((long) cap, 2L * size);
        index = java.util.Arrays.copyOf(index, len);
        distance = java.util.Arrays.copyOf(distance, len);
        cost = java.util.Arrays.copyOf(cost, len);
        x = java.util.Arrays.copyOf(x, len * n);
      }
      index[size] = trial;
      distance[size] = d;
      cost[size] = j;
      System.arraycopy(x0, 0, x, size * n, n);
      size++;
    }

    void into(AbcPart p) {
      p.index = java.util.Arrays.copyOf(index, size);
      p.distance = java.util.Arrays.copyOf(distance, size);
      p.cost = java.util.Arrays.copyOf(cost, size);
      p.x = java.util.Arrays.copyOf(x, size * n);
    }
  }

  /** The kernel's run parameters of the settings. */
  static AbcConfig config(long seed, AbcSettings a, boolean asMethod) {
    double threshold = a.threshold() == null ? Double.NaN : a.threshold();
    return new AbcConfig(seed, a.trials(), a.blockSize(), a.kept(), threshold, asMethod ? a.priorSamples() : 0,
        a.distance(), AbcConfig.DEFAULT_CHUNK, AbcConfig.logEdges(1e-2, 1e10, 96))
        .withEarlyRejection(a.earlyRejection());
  }

  /**
   * The exact merge of two tasks' parts: the ABC results ({@link AbcResult#merge}) and the first accepted trials
   * (two lists sorted by trial index, merged and cut at k) — associative and commutative.
   */
  static AbcPart merge(AbcPart a, AbcPart b, int keep, int n) {
    AbcPart m = new AbcPart();
    m.result = AbcResult.merge(a.result, b.result);
    int na = a.index.length;
    int nb = b.index.length;
    int total = Math.min(keep, na + nb);
    m.index = new long[total];
    m.distance = new double[total];
    m.cost = new double[total];
    m.x = new double[total * n];
    int ia = 0;
    int ib = 0;
    for (int r = 0; r < total; r++) {
      boolean takeA = ib == nb || (ia < na && a.index[ia] < b.index[ib]);
      AbcPart src = takeA ? a : b;
      int i = takeA ? ia++ : ib++;
      m.index[r] = src.index[i];
      m.distance[r] = src.distance[i];
      m.cost[r] = src.cost[i];
      System.arraycopy(src.x, i * n, m.x, r * n, n);
    }
    return m;
  }

  /** Sweeps larger than this get a time estimate before they start. */
  static final long ESTIMATE_ABOVE = 10_000_000L;

  /**
   * A short calibration on this JVM (rounds of 8192 trials of the same problem and distance, until the JIT has
   * settled) turned into the sweep's
   * expected wall time on the parallel's cores; a line when it is more than a minute (issue 10: a run of
   * centuries must not start silently).
   */
  static void announce(Experiment ex, AbcConfig cfg, String label) {
    if (cfg.trials <= ESTIMATE_ABOVE) {
      return;
    }
    AbcConfig probe = cfg.withTrials(8192).withBlockSize(4096).withKeep(Math.min(cfg.keep, 8)).withPrior(0)
        .withThreshold(Double.NaN);
    AbcSampler s = new AbcSampler(ex.problem(), probe);
    // the first rounds run before the JIT has compiled the batched cost (40× slower on the talk's problem, which
    // announced a 2-minute sweep as 3 hours): time up to 8 rounds, stop once a round is no faster than the best
    // by more than 10 %, use the fastest
    double perTrial = Double.POSITIVE_INFINITY;
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime();
      s.runBlocks(new long[] {0, 1}, null);
      double t = (System.nanoTime() - t0) * 1e-9 / 8192;
      boolean settled = t > 0.9 * perTrial;
      perTrial = Math.min(perTrial, t);
      if (settled) {
        break;
      }
    }
    double seconds = cfg.trials * perTrial / Math.max(1, ex.parallel().parallelism());
    if (seconds > 60) {
      ex.progress(String.format(Locale.ROOT, "%s: %.3g trials will take about %s on %d cores (%.3g trials/s per "
          + "core, measured on 8192 trials now; a first estimate, likely pessimistic); Ctrl-C stops it", label,
          (double) cfg.trials, org.vi4dvar.kernels.experiment.Durations.of(seconds),
          ex.parallel().parallelism(), 1.0 / perTrial));
    }
  }

  /** Runs the sweep; the tasks' parts merged exactly as they arrive. */
  static AbcPart sweep(Experiment ex, AbcConfig cfg, TrialSink sink, String label) {
    announce(ex, cfg, label);
    final long blocks = cfg.blocks();
    final int keep = cfg.keep;
    final int n = ex.problem().controlDimension();
    final boolean thresholdMode = cfg.hasThreshold();
    final long perTask = Math.max(1, MAX_TRIALS_PER_TASK / cfg.blockSize);
    // the tasks of this sweep that run in one JVM share their bound (exact: see AbcSharedBound); the key only
    // names the sweep, it draws no number of the results
    final String boundKey = java.util.UUID.randomUUID().toString();
    Job job = new Job(label, String.format(Locale.ROOT, "%s: trials 0–%.3g", label, (double) cfg.trials),
        "trials", cfg.blockSize, perTask, 1, cfg.trials);
    final boolean writes = thresholdMode && sink != null;
    org.vi4dvar.kernels.experiment.RangeTask<ExperimentInputs, AbcPart> task = (ExperimentInputs in, long lo,
        long hi, org.vi4dvar.kernels.experiment.TaskProgress progress) -> {
      AbcSampler sampler = new AbcSampler(in.problem(), cfg);
      AbcSharedBound shared = AbcSharedBound.forSweep(boundKey);
      TrialSink.Writer w = writes ? sink.open(lo, hi, n) : null;
      FirstAccepted first = thresholdMode ? new FirstAccepted(keep, n, w) : null;
      boolean ok = false;
      try {
        AbcResult r = null;
        long step = Math.max(1, (hi - lo + STEPS_PER_TASK - 1) / STEPS_PER_TASK);
        for (long b0 = lo; b0 < hi; b0 += step) {
          long b1 = Math.min(hi, b0 + step);
          long[] mine = new long[(int) (b1 - b0)];
          for (int i = 0; i < mine.length; i++) {
            mine[i] = b0 + i;
          }
          AbcResult part = sampler.runBlocksShared(mine, first, shared);
          r = r == null ? part : AbcResult.merge(r, part);
          progress.add(b1 - b0);
        }
        AbcPart out = new AbcPart();
        out.result = r;
        if (first != null) {
          first.into(out);
        }
        if (w != null) {
          w.commit();
        }
        ok = true;
        return out;
      } finally {
        if (!ok && w != null) {
          w.abort();
        }
      }
    };
    org.vi4dvar.kernels.experiment.Parallel.Merge<AbcPart> merge = (a, b) -> merge(a, b, keep, n);
    return writes ? sink.runAndMerge(ex.parallel(), job, ex.shared(), blocks, task, merge)
        : ex.parallel().runAndMerge(job, ex.shared(), blocks, task, merge);
  }

  /** What summary.json says of the early rejection: the model steps a full evaluation needs and those done. */
  static Map<String, Object> earlyRejection(AbcConfig cfg, AbcResult r) {
    Map<String, Object> er = new LinkedHashMap<>();
    er.put("enabled", cfg.earlyRejection);
    er.put("steps_full", r.stepsFull);
    er.put("steps_done", r.stepsDone);
    er.put("steps_saved", r.stepsSaved());
    return er;
  }

  /** The lowest-J kept trials, lowest first: the later methods' starts. */
  static List<double[]> starts(AbcResult r) {
    List<double[]> s = new ArrayList<>();
    for (int i : r.keptByCost()) {
      s.add(r.keptX(i));
      if (s.size() >= Experiment.MAX_STARTS) {
        break;
      }
    }
    return s;
  }

  /** ABC as an exploration only: sets the starts, returns what summary.json says of it. */
  public static Map<String, Object> explore(Experiment ex) {
    AbcSettings a = ex.settings().abc();
    AbcConfig cfg = config(ex.settings().seed(), a, false).withThreshold(Double.NaN);
    long t0 = System.nanoTime();
    AbcResult r = sweep(ex, cfg, null, "exploration (abc)").result;
    double sec = (System.nanoTime() - t0) * 1e-9;
    ex.setAbcStarts(starts(r));
    ex.progress(String.format(Locale.ROOT, "exploration (abc): %d trials in %.2f s (%.3g trials/s), lowest J %.6g",
        r.trials, sec, r.trials / sec, r.kept() > 0 ? r.topCost[r.keptByCost()[0]] : Double.NaN));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("why", "abc is not among the methods, but map or a start = best needs its lowest-J trials");
    m.put("trials", r.trials);
    m.put("kept", r.kept());
    m.put("lowest_distance", r.kept() > 0 ? r.topDistance[0] : null);
    return m;
  }

  @Override
  public MethodResult run(Experiment ex) {
    long t0 = System.nanoTime();
    AbcSettings a = ex.settings().abc();
    AbcConfig cfg = config(ex.settings().seed(), a, true);
    final int nx = ex.problem().nx();
    final int n = ex.problem().controlDimension();
    AbcPart part = sweep(ex, cfg, ex.acceptedSink(), NAME);
    AbcResult r = part.result;
    double sweepSeconds = (System.nanoTime() - t0) * 1e-9;
    ex.progress(String.format(Locale.ROOT, "abc: %d trials in %.2f s (%.3g trials/s), lowest distance %.6g%s",
        r.trials, sweepSeconds, r.trials / sweepSeconds, r.kept() > 0 ? r.topDistance[0] : Double.NaN,
        cfg.earlyRejection ? String.format(Locale.ROOT, "; early rejection saved %.1f %% of the model steps",
            100 * r.stepsSaved()) : ""));
    ex.setAbcStarts(starts(r));

    // the posterior's draws
    long[] idx;
    double[] dist;
    double[] cost;
    double[] x;
    String source;
    if (cfg.hasThreshold()) {
      int cap = cfg.keep;
      int total = part.index.length;
      idx = part.index;
      dist = part.distance;
      cost = part.cost;
      x = part.x;
      if (r.accepted == 0) {
        double smallest = r.kept() > 0 ? r.topDistance[0] : Double.NaN;
        throw new MethodUnavailable(NAME, "no trial was accepted: the smallest of " + r.trials
            + " distances was " + smallest + ", above abc.threshold = " + cfg.threshold
            + (cfg.distance == AbcDistance.LIKELIHOOD_REJECTION && cfg.threshold <= 0
            ? " (exact likelihood rejection keeps a trial with probability exp(−Jo), the evidence of the data "
            + "under the prior: about e^−" + String.format(Locale.ROOT, "%.3g", Math.max(0, smallest))
            + " per trial here, too rare to sample; raise abc.threshold or leave it out and use abc.keep)" : ""));
      }
      source = r.accepted <= cap ? "all " + r.accepted + " accepted trials (distance <= " + cfg.threshold + ")"
          : "the first " + total + " of " + r.accepted + " accepted trials by trial index (an iid subsample of the "
          + "accepted trials; abc.keep bounds how many are held in memory)";
      // the table's "draws" column shows only the posterior's draws: say what threshold mode accepted
      ex.progress(String.format(Locale.ROOT, "abc: %d trials accepted (distance <= %s); the posterior is %s",
          r.accepted, cfg.threshold, r.accepted <= cap ? "every one of them" : "the first " + total + " of them by "
          + "trial index (an iid subsample; abc.keep × abc.trials = " + cap + " bounds what is held in memory), "
          + "every one is written"));
    } else {
      if (r.kept() == 0) {
        throw new MethodUnavailable(NAME, "no trial was kept: every one of the " + r.trials
            + " distances was non-finite");
      }
      idx = r.topIndex;
      dist = r.topDistance;
      cost = r.topCost;
      x = r.topX;
      source = "the " + r.kept() + " trials of smallest distance (k = round(abc.keep × abc.trials))";
    }
    RunningStats st = r.distanceStats();
    Map<String, Object> prior = new LinkedHashMap<>();
    prior.put("count", st.count());
    prior.put("mean", st.mean());
    prior.put("std", Math.sqrt(st.variance()));
    prior.put("min", st.min());
    prior.put("max", st.max());
    double largest = Double.NEGATIVE_INFINITY;
    for (double d : dist) {
      largest = Math.max(largest, d);
    }
    Diagnostics.Builder d = Diagnostics.builder("distance")
        .objective(largest, 0.0)
        .converged(true, "ABC has no iterations to converge: its posterior is its kept trials")
        .count("trials", r.trials)
        .count("draws", idx.length)
        .count("non_finite", r.nonFinite)
        .count("excluded", r.nonFinite);
    if (cfg.hasThreshold()) {
      d.count("accepted", r.accepted);
    }
    d.extra("distance", cfg.distance.configName())
        .extra("threshold", cfg.hasThreshold() ? cfg.threshold : largest)
        .extra("threshold_source", cfg.hasThreshold() ? "configured" : "the k-th smallest distance")
        .extra("posterior_draws", source)
        .extra("cost", Distribution.of(cost))
        .extra("distance_of_draws", Distribution.of(dist))
        .extra("prior_distance", prior)
        .extra("statistics_trials", r.statsTrials)
        .extra("statistics_cover", "prior_distance and counts.non_finite: trials 0.." + (r.statsTrials - 1)
            + " (the first " + r.statsTrials + " of " + r.trials + ", evaluated in full); prior_sample.csv: trials "
            + "0.." + (r.priorIndex.length - 1))
        .extra("early_rejection", earlyRejection(cfg, r))
        .extra("prior_samples", r.priorIndex.length)
        .extra("sweep_seconds", Math.round(sweepSeconds * 1000.0) / 1000.0);
    EmpiricalPosterior post = new EmpiricalPosterior(n, x, null, d.build());
    Table kept = Table.builder(KEPT).longs(TRIAL, idx).doubles(DISTANCE, dist).doubles(COST, cost)
        .matrix(ex.problem().controlNames(), x).build();
    Table priorSample = Table.builder(PRIOR_SAMPLE).longs(TRIAL, r.priorIndex).doubles(DISTANCE, r.priorDistance)
        .doubles(COST, r.priorCost).build();
    return MethodResult.of(NAME, post, List.of(kept, priorSample), (System.nanoTime() - t0) * 1e-9);
  }
}
