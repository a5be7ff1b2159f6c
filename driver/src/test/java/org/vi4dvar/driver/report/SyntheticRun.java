package org.vi4dvar.driver.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.DatasetWriter;
import org.vi4dvar.driver.output.OutputLayout;
import org.vi4dvar.driver.output.OutputSink;
import org.vi4dvar.driver.output.RunSummary;
import org.vi4dvar.driver.output.RunWriter;
import org.vi4dvar.kernels.abc.AbcMethod;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.diagnostics.ConvergenceSummary;
import org.vi4dvar.kernels.ensemble.EnsembleMethod;
import org.vi4dvar.kernels.experiment.DataFacts;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.ExperimentListener;
import org.vi4dvar.kernels.experiment.ExperimentRunner;
import org.vi4dvar.kernels.experiment.LocalParallel;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.experiment.Table;
import org.vi4dvar.kernels.importance.ImportanceMethod;
import org.vi4dvar.kernels.importance.Psis;
import org.vi4dvar.kernels.map.MapMethod;
import org.vi4dvar.kernels.mcmc.McmcMethod;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.stats.Distribution;
import org.vi4dvar.kernels.stats.ReferenceScore;
import org.vi4dvar.kernels.stats.TrajectorySummary;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.vi.ViMethod;

/**
 * Writes a synthetic but realistic run output through the run's own writer ({@link RunWriter},
 * {@link RunSummary}, the {@link OutputLayout}): the talk's Lorenz96 twin, and per method an empirical posterior
 * of x0 around the truth (a different width and bias per method) whose statistics the kernel computes, with the
 * method's tables built from its own column names. Each file is written as soon as its method is.
 */
final class SyntheticRun {

  static final int SAMPLES = 160;
  static final int TRAJECTORY_SAMPLES = 20;
  /** mcmc's chains and draws per chain: 1000 independent draws, an ESS well above 400. */
  static final int CHAINS = 4;
  static final int CHAIN_DRAWS = 250;
  /** Draws of an importance correction's proposal. */
  static final int IS_DRAWS = 2000;

  final Path dir;
  final Twin twin;
  final FourDVarProblem problem;
  final int nx;
  final int ny;
  final int nStates;
  final int nAssim;
  final double[] truth;
  /** The summary.json entries written so far (without the prior). */
  final Map<String, Object> methods = new LinkedHashMap<>();
  private final Map<String, Object> all = new LinkedHashMap<>();
  /** The results written so far (the prior too), in order: what the reference scores are computed of. */
  private final List<MethodResult> results = new ArrayList<>();
  private final Random rng = new Random(345);
  private final Model model;
  private final Vi4dvarSettings settings;
  private final OutputSink sink;
  private ExperimentInputs in;

  final TwinConfig config;

  SyntheticRun(Path dir) {
    this(dir, TwinConfig.talk(1));
  }

  /** With more settings ({@code key=value}, after the fixture's own). */
  SyntheticRun(Path dir, TwinConfig config, String... extraSettings) {
    this.dir = dir;
    this.config = config;
    this.twin = TwinExperiment.generate(config);
    this.problem = twin.problem();
    this.nx = problem.nx();
    this.ny = problem.ny();
    this.nStates = problem.nStates();
    this.nAssim = problem.nAssim();
    this.truth = twin.truth();
    this.model = problem.model().newModel();
    List<String> keys = new ArrayList<>(List.of("seed=" + config.seed(), "model.nx=" + config.nx(),
        "obs.nonlinearity=" + config.nonlinearity().configName(), "obs.pooling=" + config.pooling(),
        "output.trajectory-samples=" + TRAJECTORY_SAMPLES, "posterior.samples=" + SAMPLES, "ensemble.members=40",
        "vi.restarts=4"));
    keys.addAll(List.of(extraSettings));
    this.settings = ConfigLoader.load(null, keys);
    this.sink = new org.vi4dvar.driver.testing.FolderSink(dir);
    this.in = new ExperimentInputs(problem, truth, settings.experiment());
  }

  /** The full run: data, prior, map, abc, ensemble, vi, summary.json. */
  static SyntheticRun full(Path dir) throws IOException {
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(true);
    r.writeMethod("prior", r.problem.xb(), 1.0, 0.0);
    r.writeMap();
    r.writeAbc();
    r.writeEnsemble();
    r.writeVi();
    r.writeSummary();
    return r;
  }

  void writeData(boolean withTruth) throws IOException {
    in = new ExperimentInputs(problem, withTruth ? truth : null, settings.experiment());
    DatasetWriter.write(sink, OutputLayout.DATA, problem, withTruth ? truth : null);
  }

  /** A method folder from x0 = centre + bias + width·σ_b·ε (no tables); returns its statistics. */
  TrajectorySummary writeMethod(String name, double[] centre, double width, double bias) throws IOException {
    return writeMethod(name, centre, width, bias, Diagnostics.none(), List.of());
  }

  TrajectorySummary writeMethod(String name, double[] centre, double width, double bias, Diagnostics d,
      List<Table> tables) throws IOException {
    double[] x0 = new double[SAMPLES * nx];
    for (int m = 0; m < SAMPLES; m++) {
      for (int i = 0; i < nx; i++) {
        x0[m * nx + i] = centre[i] + bias + width * problem.bStd(i) * rng.nextGaussian();
      }
    }
    return writePosterior(name, new EmpiricalPosterior(nx, x0, null, d), tables);
  }

  /** A method folder and summary.json entry of any posterior, its statistics computed as a run does. */
  TrajectorySummary writePosterior(String name, Posterior p, List<Table> tables) throws IOException {
    MethodResult r = MethodResult.of(name, p, tables, 0.5 + rng.nextDouble());
    r = ExperimentRunner.summarise(LocalParallel.sequential(), Shared.of(in), r, ExperimentListener.NONE);
    Map<String, Object> entry = new RunWriter(sink, in).write(r);
    all.put(name, entry);
    results.add(r);
    if (!name.equals(OutputLayout.PRIOR)) {
      methods.put(name, entry);
    }
    return r.summary();
  }

  /**
   * mcmc: {@value #CHAINS} chains of {@value #CHAIN_DRAWS} independent draws of x0 around the truth, with the
   * convergence diagnostics the sampler reports ({@link ConvergenceSummary} of the chains: max R̂, min bulk and
   * tail ESS, its warnings); not {@code mixed}, the first chain sits one posterior std off the others, so
   * R̂ &gt; 1.01 and the run warns.
   */
  TrajectorySummary writeMcmc(boolean mixed) throws IOException {
    double width = 0.25;
    double[][] chains = new double[CHAINS][CHAIN_DRAWS * nx];
    double[] x0 = new double[CHAINS * CHAIN_DRAWS * nx];
    for (int c = 0; c < CHAINS; c++) {
      double off = !mixed && c == 0 ? 1.0 : 0.0;
      for (int k = 0; k < CHAIN_DRAWS * nx; k++) {
        int i = k % nx;
        chains[c][k] = truth[i] + width * problem.bStd(i) * (off + rng.nextGaussian());
      }
      System.arraycopy(chains[c], 0, x0, c * CHAIN_DRAWS * nx, CHAIN_DRAWS * nx);
    }
    ConvergenceSummary sum = ConvergenceSummary.of(chains, nx);
    Diagnostics d = Diagnostics.builder("rhat").objective(sum.maxRhat(), Double.NaN)
        .converged(sum.passes(), "synthetic: max R-hat <= 1.01 and min ESS >= 400").count("chains", CHAINS)
        .count("draws", CHAINS * CHAIN_DRAWS).extra("max_rhat", sum.maxRhat())
        .extra("min_ess_bulk", sum.minEssBulk()).extra("min_ess_tail", sum.minEssTail())
        .extra("warnings", sum.warnings("x0")).build();
    return writePosterior(McmcMethod.NAME, new EmpiricalPosterior(nx, x0, null, d), List.of());
  }

  /**
   * An importance correction {@code name} (e.g. {@code map-is}) as {@link ImportanceMethod#corrected} makes it:
   * a Gaussian proposal around the truth and {@value #IS_DRAWS} raw log weights {@code k E}, E ~ Exp(1) — the
   * weights then have a generalised-Pareto tail of shape k, so PSIS estimates k̂ ≈ {@code tailShape} (above 0.7:
   * unreliable, with the warning).
   */
  TrajectorySummary writeImportance(String name, double tailShape) throws IOException {
    double[] sd = new double[nx];
    java.util.Arrays.fill(sd, 0.2);
    GaussianPosterior q = new GaussianPosterior(java.util.Arrays.copyOf(truth, nx), problem.control(),
        GaussianPosterior.Factor.DIAGONAL, sd, config.seed(), 77, Diagnostics.none());
    double[] raw = new double[IS_DRAWS];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = -tailShape * Math.log(1 - rng.nextDouble());
    }
    String base = name.substring(0, name.length() - ExperimentSettings.IS_SUFFIX.length());
    return writePosterior(name, ImportanceMethod.corrected(q, Psis.smooth(raw), base), List.of());
  }

  /**
   * A method that ran but has no posterior ({@link MethodResult#unavailable}): its tables and diagnostics only,
   * written by the run's writer like any other.
   */
  void writeUnavailable(String name, String reason) throws IOException {
    Diagnostics d = Diagnostics.builder("J").objective(Double.NaN, Double.NaN).converged(false, "synthetic")
        .count("chains", 2).count("diverged", 2).stopReason("diverged").stopReason("diverged").build();
    MethodResult r = MethodResult.unavailable(name, reason, d, List.of(), 0.25);
    Map<String, Object> entry = new RunWriter(sink, in).write(r);
    all.put(name, entry);
    results.add(r);
    methods.put(name, entry);
  }

  /** A method this report does not know (e.g. one added later): an empirical posterior with its diagnostics. */
  void writeOther(String name) throws IOException {
    Diagnostics d = Diagnostics.builder("J").objective(48.5, 0.7).converged(true, "synthetic: R-hat <= 1.01")
        .count("chains", 4).count("draws", SAMPLES).count("diverged", 0).count("excluded", 0)
        .stopReason("iteration-limit").build();
    writeMethod(name, truth, 0.25, 0.02, d, List.of());
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> method(String name) {
    return (Map<String, Object>) methods.get(name);
  }

  private static long[] range(int n) {
    long[] r = new long[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  void writeMap() throws IOException {
    double[] x0 = new double[nx];
    for (int i = 0; i < nx; i++) {
      x0[i] = truth[i] + 0.15 * problem.bStd(i) * rng.nextGaussian();
    }
    double[] sol = new double[nStates * nx];
    model.trajectory(x0, nStates, sol);
    double best = new FourDVarCost(problem).cost(x0);
    double[] minima = {best, best * 3.2, best * 21.5};
    int n = 8;
    String[] src = new String[n];
    double[] cost = new double[n];
    double[] grad = new double[n];
    long[] it = new long[n];
    long[] ev = new long[n];
    String[] stop = new String[n];
    long[] id = new long[n];
    for (int s = 0; s < n; s++) {
      id[s] = s == 0 ? 0 : s % 3;
      src[s] = s == 0 ? "background" : "abc";
      cost[s] = minima[(int) id[s]] * (1 + 1e-9 * s);
      grad[s] = 1e-7;
      it[s] = 40 + s;
      ev[s] = 50 + s;
      stop[s] = "gradient-tolerance";
    }
    Table starts = Table.builder(MapMethod.STARTS).longs(MapMethod.START, range(n)).strings(MapMethod.SOURCE, src)
        .doubles(MapMethod.FINAL_COST, cost).doubles(MapMethod.GRAD_NORM, grad).longs(MapMethod.ITERATIONS, it)
        .longs(MapMethod.EVALUATIONS, ev).strings(MapMethod.STOP_REASON, stop).longs(MapMethod.MINIMUM_ID, id)
        .build();
    List<Long> traceStart = new ArrayList<>();
    List<Long> traceIt = new ArrayList<>();
    List<Double> traceCost = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      double from = 900 * Math.exp(rng.nextGaussian());
      for (int k = 0; k < it[s]; k++) {
        traceStart.add((long) s);
        traceIt.add((long) k);
        traceCost.add(cost[s] + (from - cost[s]) * Math.exp(-k / 5.0));
      }
    }
    Table trace = Table.builder(MapMethod.COST_TRACE)
        .longs(MapMethod.START, traceStart.stream().mapToLong(Long::longValue).toArray())
        .longs(MapMethod.ITERATION, traceIt.stream().mapToLong(Long::longValue).toArray())
        .doubles(MapMethod.COST, traceCost.stream().mapToDouble(Double::doubleValue).toArray()).build();
    Table solution = Table.builder(MapMethod.SOLUTION).longs(OutputLayout.T, range(nStates))
        .matrix(OutputLayout.X, sol, nx).build();
    Diagnostics d = Diagnostics.builder("J").objective(best, 0).converged(true, "synthetic")
        .count("starts", 8).count("converged", 8).count("diverged", 0).count("excluded", 0)
        .stopReason("gradient-tolerance").extra("distinct_minima", 3).extra("best_start", 0).extra("best_cost", best)
        .extra("cost", Distribution.of(cost)).extra("positive_definite", true).extra("hessian", "finite-difference")
        .build();
    writeMethod("map", x0, 0.08, 0.0, d, List.of(starts, trace, solution));
  }

  /** ABC keeping the k = 100 trials of smallest distance (abc.keep). */
  void writeAbc() throws IOException {
    writeAbc(null);
  }

  /**
   * ABC with the summary entries AbcMethod writes: without a threshold the k = 100 trials of smallest distance;
   * with one, every accepted trial (distance ≤ threshold) is the posterior.
   */
  void writeAbc(Double threshold) throws IOException {
    int prior = 1000;
    double[] pd = new double[prior];
    double[] pc = new double[prior];
    for (int k = 0; k < prior; k++) {
      pd[k] = 6000 * Math.exp(0.9 * rng.nextGaussian());
      pc[k] = pd[k] + 8;
    }
    Table priorSample = Table.builder(AbcMethod.PRIOR_SAMPLE).longs(AbcMethod.TRIAL, range(prior))
        .doubles(AbcMethod.DISTANCE, pd).doubles(AbcMethod.COST, pc).build();
    int k = threshold == null ? 100 : 278;
    double[] dist = new double[k];
    for (int j = 0; j < dist.length; j++) {
      dist[j] = 120 + (threshold == null ? 260 : threshold - 120) * Math.pow(rng.nextDouble(), 0.7);
    }
    java.util.Arrays.sort(dist);
    long[] trial = new long[dist.length];
    double[] cost = new double[dist.length];
    double[] x0 = new double[dist.length * nx];
    for (int j = 0; j < dist.length; j++) {
      trial[j] = rng.nextInt(100000);
      cost[j] = dist[j] + 8 + 3 * rng.nextDouble();
      for (int i = 0; i < nx; i++) {
        x0[j * nx + i] = truth[i] + 0.55 * problem.bStd(i) * rng.nextGaussian();
      }
    }
    Table kept = Table.builder(AbcMethod.KEPT).longs(AbcMethod.TRIAL, trial).doubles(AbcMethod.DISTANCE, dist)
        .doubles(AbcMethod.COST, cost).matrix(OutputLayout.X0, x0, nx).build();
    double largest = dist[dist.length - 1];
    Diagnostics.Builder d = Diagnostics.builder("distance").objective(largest, 0)
        .converged(true, "ABC has no iterations to converge: its posterior is its kept trials")
        .count("trials", 100000).count("draws", k).count("non_finite", 0).count("excluded", 0);
    if (threshold != null) {
      d.count("accepted", k);
    }
    d.extra("distance", "observation").extra("threshold", threshold != null ? threshold : largest)
        .extra("threshold_source", threshold != null ? "configured" : "the k-th smallest distance")
        .extra("posterior_draws", threshold != null
            ? "all " + k + " accepted trials (distance <= " + threshold + ")"
            : "the " + k + " trials of smallest distance (k = round(abc.keep × abc.trials))")
        .extra("cost", Distribution.of(cost)).extra("distance_of_draws", Distribution.of(dist))
        .extra("prior_samples", prior);
    writeMethod("abc", truth, 0.55, 0.0, d.build(), List.of(kept, priorSample));
  }

  void writeEnsemble() throws IOException {
    int members = 40;
    int iters = 80;
    double[] start = new double[members];
    double[] end = new double[members];
    long[] stop = new long[members];
    boolean[] conv = new boolean[members];
    String[] reason = new String[members];
    for (int k = 0; k < members; k++) {
      start[k] = 2000 * Math.exp(rng.nextGaussian());
      end[k] = 45 * Math.exp(0.3 * rng.nextGaussian()) * (k % 9 == 0 ? 12 : 1);
      stop[k] = 25 + rng.nextInt(iters - 25);
      conv[k] = k % 13 != 5;
      reason[k] = conv[k] ? "gradient-tolerance" : "max-iterations";
    }
    List<Long> mem = new ArrayList<>();
    List<Long> its = new ArrayList<>();
    List<Double> vals = new ArrayList<>();
    for (int k = 0; k < members; k++) {
      for (int it = 0; it <= stop[k]; it++) {
        mem.add((long) k);
        its.add((long) it);
        vals.add(end[k] + (start[k] - end[k]) * Math.exp(-it / 6.0) * (1 + 0.05 * rng.nextGaussian()));
      }
    }
    Table trace = Table.builder(EnsembleMethod.COST_TRACE)
        .longs(EnsembleMethod.MEMBER, mem.stream().mapToLong(Long::longValue).toArray())
        .longs(EnsembleMethod.ITERATION, its.stream().mapToLong(Long::longValue).toArray())
        .doubles(EnsembleMethod.PERTURBED_COST, vals.stream().mapToDouble(Double::doubleValue).toArray()).build();
    double[] pert = end.clone();
    Table membersTable = Table.builder(EnsembleMethod.MEMBERS).longs(EnsembleMethod.MEMBER, range(members))
        .doubles(EnsembleMethod.FINAL_COST, end).doubles(EnsembleMethod.PERTURBED_COST, pert)
        .longs(EnsembleMethod.ITERATIONS, stop).booleans(EnsembleMethod.CONVERGED, conv)
        .strings(EnsembleMethod.STOP_REASON, reason).build();
    Diagnostics d = Diagnostics.builder("J").objective(45, Double.NaN).converged(false, "synthetic")
        .count("members", members).count("converged", 37).count("diverged", 0).count("excluded", 3)
        .stopReason("gradient-tolerance").stopReason("max-iterations").extra("start", "background")
        .extra("cost", Distribution.of(end)).build();
    writeMethod("ensemble", truth, 0.3, 0.05, d, List.of(membersTable, trace));
  }

  void writeVi() throws IOException {
    int restarts = 4;
    int iters = 400;
    double[] target = {-75, -61, -68, -400};
    List<Long> rs = new ArrayList<>();
    List<Long> its = new ArrayList<>();
    List<Double> vals = new ArrayList<>();
    for (int r = 0; r < restarts; r++) {
      for (int it = 0; it < iters; it++) {
        rs.add((long) r);
        its.add((long) it);
        vals.add(target[r % 4] - 3000 * Math.exp(-it / 40.0) + 6 * rng.nextGaussian() * (1 + 5 * Math.exp(-it
            / 60.0)));
      }
    }
    Table trace = Table.builder(ViMethod.ELBO_TRACE)
        .longs(ViMethod.RESTART, rs.stream().mapToLong(Long::longValue).toArray())
        .longs(ViMethod.ITERATION, its.stream().mapToLong(Long::longValue).toArray())
        .doubles(ViMethod.ELBO, vals.stream().mapToDouble(Double::doubleValue).toArray()).build();
    double[] fe = new double[restarts];
    double[] se = new double[restarts];
    double[] ej = new double[restarts];
    double[] w = new double[restarts];
    boolean[] div = new boolean[restarts];
    long[] itn = new long[restarts];
    for (int r = 0; r < restarts; r++) {
      fe[r] = target[r % 4] + 0.3;
      se[r] = 0.4;
      ej[r] = -target[r % 4] + 20;
      w[r] = r == 1 ? 1 : 0;
      div[r] = r == 3;
      itn[r] = iters;
    }
    Table restartsTable = Table.builder(ViMethod.RESTARTS).longs(ViMethod.RESTART, range(restarts))
        .doubles(ViMethod.FINAL_ELBO, fe).doubles(ViMethod.ELBO_STDERR, se).doubles(ViMethod.EXPECTED_COST, ej)
        .doubles(ViMethod.WEIGHT, w).longs(ViMethod.ITERATIONS, itn).booleans(ViMethod.DIVERGED, div).build();
    Diagnostics d = Diagnostics.builder("ELBO").objective(-61.2, 0.4).converged(true, "synthetic")
        .count("restarts", restarts).count("converged", 3).count("diverged", 1).count("excluded", 0)
        .extra("family", "meanfield").extra("best_restart", 1).extra("posterior", "best").build();
    writeMethod("vi", truth, 0.22, -0.1, d, List.of(restartsTable, trace));
  }

  /**
   * summary.json, with the scores against this run's mcmc when it was written (as {@code run} without
   * {@code --reference}).
   */
  void writeSummary() throws IOException {
    writeSummary(null, null);
  }

  /**
   * summary.json, every method scored against {@code reference} named {@code label} (as {@code run --reference
   * DIR}); null: against this run's mcmc, if any.
   */
  void writeSummary(ReferenceScore.Trajectories reference, String label) throws IOException {
    RunSummary.scoreAgainstReference(all, results, reference, label, nAssim);
    Map<String, Object> data = RunSummary.dataInfo("twin", in);
    data.putAll(DataFacts.compute(LocalParallel.sequential(), Shared.of(in)));
    // the configuration names the methods it knows; ones added later (the fixture's stand-ins) are only entries
    List<String> configured = new ArrayList<>(methods.keySet());
    configured.retainAll(RunOutput.KNOWN_METHODS);
    RunSummary.writeSummary(sink, settings.withMethods(configured), data, Map.of(), Map.of(), all, Map.of(), 3.2);
  }
}
