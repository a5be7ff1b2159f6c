package org.vi4dvar.driver.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.vi4dvar.driver.config.HessianChoice;
import org.vi4dvar.driver.config.InitScale;
import org.vi4dvar.driver.config.Method;
import org.vi4dvar.driver.config.StartPoint;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.DatasetWriter;
import org.vi4dvar.driver.config.ViPosterior;
import org.vi4dvar.driver.tasks.AbcJob;
import org.vi4dvar.driver.tasks.EnsembleJob;
import org.vi4dvar.driver.tasks.Jobs;
import org.vi4dvar.driver.tasks.MapJob;
import org.vi4dvar.driver.tasks.TrajectoryJob;
import org.vi4dvar.driver.tasks.ViJob;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.ensemble.EnsembleConfig;
import org.vi4dvar.kernels.ensemble.EnsembleResult;
import org.vi4dvar.kernels.map.HessianMethod;
import org.vi4dvar.kernels.map.LaplaceConfig;
import org.vi4dvar.kernels.map.LaplaceResult;
import org.vi4dvar.kernels.map.MapLaplace;
import org.vi4dvar.kernels.map.MultiStart;
import org.vi4dvar.kernels.optim.AdamConfig;
import org.vi4dvar.kernels.optim.LbfgsConfig;
import org.vi4dvar.kernels.optim.StopReason;
import org.vi4dvar.kernels.stats.PosteriorSampler;
import org.vi4dvar.kernels.stats.PosteriorSampler.Form;
import org.vi4dvar.kernels.vi.ViConfig;
import org.vi4dvar.kernels.vi.ViResult;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Runs the estimators of a run as Spark jobs, in dependency order, and turns their results into one
 * {@link MethodOutcome} per method (plus the prior, for reference):
 * <ol>
 *   <li><b>abc</b> — ABC rejection; its lowest-J kept trials are a cheap global exploration. If ABC is not
 *       among the methods but another method starts from "best", the same ABC runs as an exploration only.</li>
 *   <li><b>map</b> — multi-start L-BFGS from the background and the lowest-J ABC trials; the lowest-J minimum
 *       and its Laplace approximation (Gauss–Newton when the finite-difference Hessian is not positive
 *       definite, said so in the summary).</li>
 *   <li><b>ensemble</b> — members minimise their perturbed J, from their perturbed background or from the best
 *       point found so far (MAP's minimum, else the lowest-J ABC trial).</li>
 *   <li><b>vi</b> — restarts from the MAP minima then the lowest-J ABC trials (or the background); the
 *       restart of best final ELBO, or the ELBO-weighted mixture.</li>
 * </ol>
 * Diverged members/restarts/starts are counted and excluded; a method where all fail is a {@link RunFailure}.
 * Every posterior is then sampled (or its members propagated) through the whole window in tasks.
 */
public final class Pipeline {

  /** Sampler tags: sample streams of different posteriors never overlap. */
  static final long TAG_PRIOR = 1;
  static final long TAG_MAP = 2;
  static final long TAG_VI = 3;

  private final Jobs jobs;
  private final Vi4dvarSettings s;
  private final FourDVarProblem p;
  private final Consumer<String> progress;
  private final Path acceptedDir;
  private final Map<String, Object> exploration = new LinkedHashMap<>();

  /**
   * @param jobs the run's Spark jobs
   * @param settings the settings
   * @param acceptedDir where ABC tasks write accepted trials in threshold mode (inside the output being built)
   * @param progress receives progress lines
   */
  public Pipeline(Jobs jobs, Vi4dvarSettings settings, Path acceptedDir, Consumer<String> progress) {
    this.jobs = jobs;
    this.s = settings;
    this.p = jobs.in().problem();
    this.acceptedDir = acceptedDir;
    this.progress = progress;
  }

  /** Runs every configured method; outcomes in the order prior, abc, map, ensemble, vi (those run). */
  public List<MethodOutcome> run() {
    List<Method> methods = s.methods();
    boolean abcMethod = methods.contains(Method.ABC);
    boolean needStarts = methods.contains(Method.MAP)
        || methods.contains(Method.ENSEMBLE) && s.ensemble().start() == StartPoint.BEST
        || methods.contains(Method.VI) && s.vi().start() == StartPoint.BEST;
    Map<Method, MethodOutcome> out = new EnumMap<>(Method.class);
    List<MethodOutcome> list = new ArrayList<>();
    try {
      list.add(prior());
    } catch (RunFailure e) {
      progress.accept("the prior reference is left out: " + e.getMessage());
    }

    AbcResult abc = null;
    if (abcMethod || needStarts) {
      long t0 = System.nanoTime();
      abc = AbcJob.run(jobs, abcConfig(abcMethod), abcMethod && s.abc().threshold() != null ? acceptedDir : null,
          abcMethod ? "abc" : "exploration (abc)");
      double sec = seconds(t0);
      progress.accept(String.format(Locale.ROOT, "%s: %d trials in %.2f s (%.3g trials/s), lowest distance %.6g%s",
          abcMethod ? "abc" : "exploration (abc)", abc.trials, sec, abc.trials / sec,
          abc.kept() > 0 ? abc.topDistance[0] : Double.NaN, abc.config.earlyRejection
              ? String.format(Locale.ROOT, ", early rejection saved %.1f %% of the model steps",
                  100 * abc.stepsSaved()) : ""));
      if (abcMethod) {
        MethodOutcome o = abcOutcome(abc);
        o.seconds += sec;
        out.put(Method.ABC, o);
      } else {
        exploration.put("seconds", Math.round(sec * 1000.0) / 1000.0);
        exploration.put("trials", abc.trials);
        exploration.put("kept", abc.kept());
        exploration.put("lowest_distance", abc.kept() > 0 ? abc.topDistance[0] : null);
        exploration.put("why", "abc is not among the methods, but map or a start = best needs its lowest-J trials");
      }
    }
    List<double[]> abcStarts = new ArrayList<>();
    if (abc != null) {
      for (int r : abc.keptByCost()) {
        abcStarts.add(abc.keptX(r));
      }
    }

    double[] best = abcStarts.isEmpty() ? p.xb() : abcStarts.get(0);
    List<double[]> minima = new ArrayList<>();
    if (methods.contains(Method.MAP)) {
      LaplaceResult[] r = runMap(abcStarts, out);
      int[] ids = MultiStart.minimumIds(r, p);
      for (int id = 0; id < MultiStart.distinct(ids); id++) {
        for (int i = 0; i < r.length; i++) {
          if (ids[i] == id) {
            minima.add(r[i].x0);
            break;
          }
        }
      }
      best = minima.get(0);
    }
    if (methods.contains(Method.ENSEMBLE)) {
      out.put(Method.ENSEMBLE, runEnsemble(s.ensemble().start() == StartPoint.BEST ? best : null));
    }
    if (methods.contains(Method.VI)) {
      List<double[]> candidates = new ArrayList<>(minima);
      candidates.addAll(abcStarts);
      out.put(Method.VI, runVi(s.vi().start() == StartPoint.BEST ? candidates : List.of()));
    }
    for (Method m : new Method[] {Method.ABC, Method.MAP, Method.ENSEMBLE, Method.VI}) {
      if (out.containsKey(m)) {
        list.add(out.get(m));
      }
    }
    return list;
  }

  /** When ABC ran only as an exploration (not a method): what it did, for summary.json; empty otherwise. */
  public Map<String, Object> exploration() {
    return exploration;
  }

  // ------------------------------------------------------------------------------------------------------
  // prior

  private MethodOutcome prior() {
    long t0 = System.nanoTime();
    MethodOutcome o = new MethodOutcome("prior");
    PosteriorSampler prior = PosteriorSampler.gaussian(p.xb(), p.bStd(), Form.DIAGONAL, s.seed(), TAG_PRIOR);
    o.count = s.posterior().samples();
    o.traj = TrajectoryJob.sample(jobs, prior, o.count);
    o.counts.put("samples", o.count);
    keepFinite(o, p.nx() * p.nStates());
    o.seconds = seconds(t0);
    return o;
  }

  // ------------------------------------------------------------------------------------------------------
  // ABC

  private AbcConfig abcConfig(boolean asMethod) {
    double threshold = s.abc().threshold() == null ? Double.NaN : s.abc().threshold();
    return new AbcConfig(s.seed(), s.abc().trials(), s.abc().blockSize(), s.abc().kept(), threshold,
        asMethod ? s.abc().priorSamples() : 0, s.abc().distance().kernel(), AbcConfig.DEFAULT_CHUNK,
        AbcConfig.logEdges(1e-2, 1e10, 96)).withEarlyRejection(s.abc().earlyRejection());
  }

  private MethodOutcome abcOutcome(AbcResult abc) {
    long t0 = System.nanoTime();
    MethodOutcome o = new MethodOutcome("abc");
    final int nx = p.nx();
    Double thr = s.abc().threshold();
    List<Integer> keep = new ArrayList<>();
    for (int r = 0; r < abc.kept(); r++) {
      if (thr == null || abc.topDistance[r] <= thr) {
        keep.add(r);
      }
    }
    if (keep.isEmpty()) {
      throw new RunFailure("abc: no trial was kept (" + abc.trials + " trials, " + abc.nonFinite
          + " with a non-finite distance" + (thr == null ? "" : ", threshold " + thr) + ")");
    }
    double[] x0 = new double[keep.size() * nx];
    o.finalCosts = new double[keep.size()];
    StringBuilder kept = new StringBuilder("trial,distance,cost\n");
    for (int k = 0; k < keep.size(); k++) {
      int r = keep.get(k);
      System.arraycopy(abc.topX, r * nx, x0, k * nx, nx);
      o.finalCosts[k] = abc.topDistance[r];
      kept.append(abc.topIndex[r]).append(',').append(abc.topDistance[r]).append(',').append(abc.topCost[r])
          .append('\n');
    }
    o.count = keep.size();
    o.traj = TrajectoryJob.propagate(jobs, x0, o.count);
    keepFinite(o, nx * p.nStates());
    o.counts.put("trials", abc.trials);
    o.counts.put("kept", o.count);
    o.counts.put("non_finite", abc.nonFinite);       // of the statistics subsample (below)
    o.counts.put("excluded", abc.nonFinite);
    o.extra.put("distance", s.abc().distance().configName());
    o.extra.put("threshold", thr != null ? thr : abc.topDistance[keep.get(keep.size() - 1)]);
    o.extra.put("threshold_source", thr != null ? "configured" : "k-th smallest distance");
    if (thr != null) {
      o.extra.put("accepted", abc.accepted);
      o.extra.put("accepted_files", "abc/accepted/part-*.csv");
    }
    o.extra.put("prior_samples", abc.priorIndex.length);
    var st = abc.distanceStats();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("count", st.count());
    d.put("mean", st.mean());
    d.put("std", Math.sqrt(st.variance()));
    d.put("min", st.min());
    d.put("max", st.max());
    o.extra.put("prior_distance", d);
    // what the statistics cover: with early rejection the other trials' full distances are never computed
    o.extra.put("statistics_trials", abc.statsTrials);
    o.extra.put("statistics_cover", "trials 0.." + (abc.statsTrials - 1) + " (the first " + abc.statsTrials
        + " of " + abc.trials + ", evaluated in full): distance_histogram.csv, prior_distance, counts.non_finite");
    Map<String, Object> er = new LinkedHashMap<>();
    er.put("enabled", abc.config.earlyRejection);
    er.put("steps_full", abc.stepsFull);
    er.put("steps_done", abc.stepsDone);
    er.put("steps_saved", abc.stepsSaved());
    o.extra.put("early_rejection", er);
    o.files.put("abc/kept.csv", kept.toString());
    o.files.put("abc/distance_histogram.csv", histogram(abc));
    o.seconds = seconds(t0);
    return o;
  }

  private static String histogram(AbcResult abc) {
    double[] e = abc.config.histogramEdges();
    StringBuilder b = new StringBuilder("lower,upper,count\n");
    // bins: underflow (< e[0]), e[0]..e[n], overflow (>= e[n])
    for (int i = 0; i < abc.histogram.length; i++) {
      String lo = i == 0 ? "" : Double.toString(e[i - 1]);
      String hi = i == abc.histogram.length - 1 ? "" : Double.toString(e[i]);
      b.append(lo).append(',').append(hi).append(',').append(abc.histogram[i]).append('\n');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------------------------------------------
  // MAP

  private LbfgsConfig lbfgs(int maxIterations) {
    return LbfgsConfig.defaults().withMemory(s.minimizer().memory()).withMaxIterations(maxIterations)
        .withTolerances(s.minimizer().gradientTolerance(), s.minimizer().costTolerance());
  }

  private LaplaceResult[] runMap(List<double[]> abcStarts, Map<Method, MethodOutcome> out) {
    long t0 = System.nanoTime();
    MethodOutcome o = new MethodOutcome("map");
    final int n = s.map().starts();
    List<double[]> starts = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    starts.add(p.xb());
    sources.add("background");
    for (int i = 0; starts.size() < n && i < abcStarts.size(); i++) {
      starts.add(abcStarts.get(i));
      sources.add("abc");
    }
    for (int j = 0; starts.size() < n; j++) {
      starts.add(MapLaplace.jitteredStart(p, p.xb(), 1.0, s.seed(), j));
      sources.add("prior-draw");
    }
    HessianMethod hm = s.map().hessian() == HessianChoice.GAUSS_NEWTON ? HessianMethod.GAUSS_NEWTON
        : HessianMethod.FINITE_DIFFERENCE;
    LaplaceConfig cfg = LaplaceConfig.defaults().withLbfgs(lbfgs(s.map().maxIterations())).withHessian(hm);
    LaplaceResult[] r = MapJob.run(jobs, cfg, starts);
    int bi = MultiStart.best(r);
    if (bi < 0) {
      throw new RunFailure("map: all " + n + " minimisations failed (non-finite cost)");
    }
    int[] ids = MultiStart.minimumIds(r, p);
    LaplaceResult best = r[bi];
    String hessian = hm == HessianMethod.GAUSS_NEWTON ? "gauss-newton" : "finite-difference";
    LaplaceResult sampling = best;
    if (!best.positiveDefinite) {
      sampling = new MapLaplace(p, cfg.withHessian(HessianMethod.GAUSS_NEWTON)).laplaceAt(best.x0);
      hessian = hessian + " (not positive definite at the minimum: sampled with gauss-newton)";
      progress.accept("map: the Hessian at the minimum is not positive definite; the Laplace samples use the "
          + "Gauss-Newton Hessian");
    }
    PosteriorSampler ps = PosteriorSampler.gaussian(sampling.x0, sampling.hessianCholesky, Form.PRECISION_FACTOR,
        s.seed(), TAG_MAP);
    o.count = s.posterior().samples();
    o.traj = TrajectoryJob.sample(jobs, ps, o.count);
    keepFinite(o, p.nx() * p.nStates());
    double[] solution = TrajectoryJob.propagate(jobs, best.x0, 1);
    o.files.put("map/solution.csv", DatasetWriter.csv(solution, p.nStates(), p.nx()));

    int converged = 0;
    int failed = 0;
    List<Double> costs = new ArrayList<>();
    StringBuilder b = new StringBuilder(
        "start,source,final_cost,grad_norm,iterations,evaluations,stop_reason,minimum_id\n");
    for (int i = 0; i < r.length; i++) {
      LaplaceResult x = r[i];
      boolean bad = MultiStart.failed(x);
      failed += bad ? 1 : 0;
      converged += !bad && x.optim.stopReason.converged() ? 1 : 0;
      if (!bad) {
        costs.add(x.cost);
      }
      b.append(i).append(',').append(sources.get(i)).append(',').append(num(x.cost)).append(',')
          .append(num(x.optim.gradientNorm)).append(',').append(x.optim.iterations).append(',')
          .append(x.optim.evaluations).append(',').append(name(x.optim.stopReason)).append(',').append(ids[i])
          .append('\n');
    }
    o.files.put("map/starts.csv", b.toString());
    o.files.put("map/cost_trace.csv", column(best.optim.costTrace));
    o.finalCosts = costs.stream().mapToDouble(Double::doubleValue).toArray();
    o.counts.put("starts", n);
    o.counts.put("converged", converged);
    o.counts.put("diverged", failed);
    o.counts.put("excluded", failed);
    o.extra.put("distinct_minima", MultiStart.distinct(ids));
    o.extra.put("best_start", bi);
    o.extra.put("best_cost", best.cost);
    o.extra.put("best_background_cost", best.backgroundCost);
    o.extra.put("best_observation_cost", best.observationCost);
    o.extra.put("positive_definite", best.positiveDefinite);
    o.extra.put("hessian", hessian);
    o.extra.put("hessian_asymmetry", best.hessianAsymmetry);
    o.seconds = seconds(t0);
    progress.accept(String.format(Locale.ROOT, "map: %d starts in %.2f s, %d distinct minima, best J %.6g "
        + "(start %d, %s)", n, o.seconds, MultiStart.distinct(ids), best.cost, bi, sources.get(bi)));
    out.put(Method.MAP, o);
    return r;
  }

  // ------------------------------------------------------------------------------------------------------
  // ensemble

  private MethodOutcome runEnsemble(double[] start) {
    long t0 = System.nanoTime();
    MethodOutcome o = new MethodOutcome("ensemble");
    final int m = s.ensemble().members();
    EnsembleConfig cfg = EnsembleConfig.of(s.seed()).withLbfgs(lbfgs(s.ensemble().maxIterations()));
    EnsembleResult[] r = EnsembleJob.run(jobs, cfg, m, start);
    final int nx = p.nx();
    List<Integer> ok = new ArrayList<>();
    int converged = 0;
    Map<String, Integer> reasons = new LinkedHashMap<>();
    StringBuilder b = new StringBuilder("member,final_cost,iterations,converged,stop_reason\n");
    for (EnsembleResult e : r) {
      boolean bad = e.diverged() || !Double.isFinite(e.costUnperturbed);
      if (!bad) {
        ok.add((int) e.index);
      }
      converged += !bad && e.converged ? 1 : 0;
      reasons.merge(name(e.stopReason), 1, Integer::sum);
      b.append(e.index).append(',').append(num(e.costUnperturbed)).append(',').append(e.iterations).append(',')
          .append(e.converged).append(',').append(name(e.stopReason)).append('\n');
    }
    if (ok.isEmpty()) {
      throw new RunFailure("ensemble: all " + m + " members diverged");
    }
    double[] x0 = new double[ok.size() * nx];
    o.finalCosts = new double[ok.size()];
    for (int k = 0; k < ok.size(); k++) {
      EnsembleResult e = r[ok.get(k)];
      System.arraycopy(e.x0, 0, x0, k * nx, nx);
      o.finalCosts[k] = e.costUnperturbed;
    }
    o.count = ok.size();
    o.traj = TrajectoryJob.propagate(jobs, x0, o.count);
    keepFinite(o, nx * p.nStates());
    List<double[]> traces = new ArrayList<>();
    for (EnsembleResult e : r) {
      traces.add(e.costTrace);
    }
    o.files.put("ensemble/members.csv", b.toString());
    o.files.put("ensemble/cost_trace.csv", columns(traces));
    o.counts.put("members", m);
    o.counts.put("converged", converged);
    o.counts.put("diverged", m - ok.size());
    o.counts.put("excluded", m - ok.size());
    o.extra.put("start", s.ensemble().start().configName());
    o.extra.put("stop_reasons", reasons);
    o.seconds = seconds(t0);
    progress.accept(String.format(Locale.ROOT, "ensemble: %d members in %.2f s, %d converged, %d diverged",
        m, o.seconds, converged, m - ok.size()));
    return o;
  }

  // ------------------------------------------------------------------------------------------------------
  // VI

  private MethodOutcome runVi(List<double[]> candidates) {
    long t0 = System.nanoTime();
    MethodOutcome o = new MethodOutcome("vi");
    final int n = s.vi().restarts();
    org.vi4dvar.kernels.vi.ViFamily family = s.vi().family().kernel();
    AdamConfig adam = AdamConfig.defaults().withLearningRate(s.vi().lr()).withMaxIterations(s.vi().iterations());
    ViConfig cfg = new ViConfig(s.seed(), family, adam, s.vi().samplesPerStep(), s.vi().elboSamples(),
        s.vi().initStd(), s.vi().initStdScale() == InitScale.BACKGROUND, s.vi().jitter(), true);
    List<double[]> starts = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      starts.add(candidates.isEmpty() ? null : candidates.get(r % candidates.size()));
    }
    ViResult[] r = ViJob.run(jobs, cfg, starts);
    double[] elbo = new double[n];
    int diverged = 0;
    int bi = -1;
    for (int i = 0; i < n; i++) {
      boolean bad = r[i].diverged || !Double.isFinite(r[i].finalElbo);
      elbo[i] = bad ? Double.NEGATIVE_INFINITY : r[i].finalElbo;
      diverged += bad ? 1 : 0;
      if (!bad && (bi < 0 || r[i].finalElbo > r[bi].finalElbo)) {
        bi = i;
      }
    }
    if (bi < 0) {
      throw new RunFailure("vi: all " + n + " restarts diverged");
    }
    double[] w = PosteriorSampler.softmax(elbo);
    Form form = family == org.vi4dvar.kernels.vi.ViFamily.MEAN_FIELD ? Form.DIAGONAL : Form.COVARIANCE_FACTOR;
    PosteriorSampler ps;
    if (s.vi().posterior() == ViPosterior.MIXTURE) {
      List<double[]> means = new ArrayList<>();
      List<double[]> factors = new ArrayList<>();
      List<Double> ws = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (w[i] > 0) {
          means.add(r[i].mean);
          factors.add(factor(r[i], form));
          ws.add(w[i]);
        }
      }
      ps = PosteriorSampler.mixture(means.toArray(new double[0][]), factors.toArray(new double[0][]), form,
          ws.stream().mapToDouble(Double::doubleValue).toArray(), s.seed(), TAG_VI);
    } else {
      ps = PosteriorSampler.gaussian(r[bi].mean, factor(r[bi], form), form, s.seed(), TAG_VI);
    }
    o.count = s.posterior().samples();
    o.traj = TrajectoryJob.sample(jobs, ps, o.count);
    keepFinite(o, p.nx() * p.nStates());

    StringBuilder b = new StringBuilder("restart,final_elbo,elbo_stderr,expected_cost,weight,diverged\n");
    List<Double> costs = new ArrayList<>();
    List<double[]> traces = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ViResult x = r[i];
      double ej = x.meanCost();
      if (Double.isFinite(ej) && !x.diverged) {
        costs.add(ej);
      }
      traces.add(x.elboTrace);
      b.append(i).append(',').append(num(x.finalElbo)).append(',').append(num(x.finalElboStdErr)).append(',')
          .append(num(ej)).append(',').append(w[i]).append(',').append(x.diverged).append('\n');
    }
    o.finalCosts = costs.stream().mapToDouble(Double::doubleValue).toArray();
    o.files.put("vi/restarts.csv", b.toString());
    o.files.put("vi/elbo_trace.csv", columns(traces));
    o.counts.put("restarts", n);
    o.counts.put("converged", n - diverged);
    o.counts.put("diverged", diverged);
    o.counts.put("excluded", diverged);
    o.extra.put("family", s.vi().family().configName());
    o.extra.put("posterior", s.vi().posterior().configName());
    o.extra.put("start", s.vi().start().configName());
    o.extra.put("best_restart", bi);
    o.extra.put("best_elbo", r[bi].finalElbo);
    List<Double> perRestart = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      perRestart.add(Double.isFinite(elbo[i]) ? elbo[i] : null);   // null: diverged
    }
    o.extra.put("final_elbo_per_restart", perRestart);
    List<Double> weights = new ArrayList<>();
    for (double x : w) {
      weights.add(x);
    }
    o.extra.put("mixture_weights", weights);
    o.extra.put("elbo_stderr", r[bi].finalElboStdErr);
    o.seconds = seconds(t0);
    progress.accept(String.format(Locale.ROOT, "vi: %d restarts in %.2f s, best ELBO %.6g ± %.2g (restart %d), "
        + "%d diverged", n, o.seconds, r[bi].finalElbo, r[bi].finalElboStdErr, bi, diverged));
    return o;
  }

  private static double[] factor(ViResult r, Form form) {
    if (form == Form.DIAGONAL) {
      return r.std();
    }
    return r.scaleTril;
  }

  // ------------------------------------------------------------------------------------------------------

  /**
   * Drops the sampled trajectories that are not finite everywhere (a draw far in a tail can make the model
   * overflow, e.g. in the forecast states, which J never sees), counts them, and fails the method if none is
   * left: a diverged sample must never turn a statistic into NaN.
   */
  private static void keepFinite(MethodOutcome o, int len) {
    int kept = 0;
    for (int s0 = 0; s0 < o.count; s0++) {
      boolean finite = true;
      for (int k = s0 * len; k < (s0 + 1) * len && finite; k++) {
        finite = Double.isFinite(o.traj[k]);
      }
      if (finite) {
        if (kept != s0) {
          System.arraycopy(o.traj, s0 * len, o.traj, kept * len, len);
        }
        kept++;
      }
    }
    o.counts.put("non_finite_trajectories", o.count - kept);
    if (kept == 0) {
      throw new RunFailure(o.name + ": every one of its " + o.count + " sampled trajectories overflowed "
          + "(non-finite); check the background standard deviations and the model's time step");
    }
    if (kept < o.count) {
      o.traj = java.util.Arrays.copyOf(o.traj, kept * len);
      o.count = kept;
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) * 1e-9;
  }

  private static String name(StopReason r) {
    return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String num(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "";
  }

  /** One value per line. */
  private static String column(double[] a) {
    StringBuilder b = new StringBuilder();
    if (a != null) {
      for (double v : a) {
        b.append(num(v)).append('\n');
      }
    }
    return b.toString();
  }

  /** Row = iteration, column = series; empty where a series has ended. */
  static String columns(List<double[]> series) {
    int rows = 0;
    for (double[] a : series) {
      rows = Math.max(rows, a == null ? 0 : a.length);
    }
    StringBuilder b = new StringBuilder(rows * series.size() * 12);
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < series.size(); c++) {
        if (c > 0) {
          b.append(',');
        }
        double[] a = series.get(c);
        if (a != null && t < a.length) {
          b.append(num(a[t]));
        }
      }
      b.append('\n');
    }
    return b.toString();
  }
}
