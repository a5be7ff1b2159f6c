package org.vi4dvar.kernels.vi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.InitScale;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.config.ViPosterior;
import org.vi4dvar.kernels.config.ViSettings;
import org.vi4dvar.kernels.experiment.Experiment;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Method;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.MethodUnavailable;
import org.vi4dvar.kernels.experiment.Parallel.Part;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.experiment.Table;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.stats.Distribution;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.WhitenedObjective;

/**
 * VI-4D-Var as a method of the experiment ({@link VariationalInference}): q fitted in the whitened control
 * variable, restart r (its own stream) one unit of work. Restarts start from the MAP minima then ABC's lowest-J
 * trials ({@code vi.start = best}), or the prior mean; the restart that starts at MAP's lowest minimum starts at
 * its Laplace approximation (the curvature there), the others at {@code vi.init-std} of the prior. A fitted
 * mixture ({@code vi.family = mixture}) takes its components' starts from consecutive candidates. The posterior
 * is the restart of best final ELBO, or the ELBO-weighted mixture of the restarts ({@code vi.posterior =
 * restart-mixture}); diverged restarts are counted and excluded. The ELBO keeps the convention
 * {@code E_q[−J] + H(q)} with H over the control.
 */
public final class ViMethod implements Method {

  /** The method's name. */
  public static final String NAME = "vi";
  /** Table of the restarts. */
  public static final String RESTARTS = "restarts";
  /** Long-form table of every restart's ELBO per iteration. */
  public static final String ELBO_TRACE = "elbo_trace";
  /** Column: restart index. */
  public static final String RESTART = "restart";
  /** Column: final ELBO estimate. */
  public static final String FINAL_ELBO = "final_elbo";
  /** Column: its Monte Carlo standard error. */
  public static final String ELBO_STDERR = "elbo_stderr";
  /** Column: E_q[J] (Gaussian families: the entropy minus the ELBO; empty for flows and mixtures). */
  public static final String EXPECTED_COST = "expected_cost";
  /** Column: weight in the ELBO-weighted mixture of restarts. */
  public static final String WEIGHT = "weight";
  /** Column: iterations. */
  public static final String ITERATIONS = "iterations";
  /** Column: why it stopped (converged, iteration-limit, diverged). */
  public static final String STOP_REASON = "stop_reason";
  /** Column: whether its convergence test passed. */
  public static final String CONVERGED = "converged";
  /** Column: whether a non-finite value stopped it. */
  public static final String DIVERGED = "diverged";
  /** Column of the trace: iteration. */
  public static final String ITERATION = "iteration";
  /** Column of the trace: the ELBO estimate of the iteration's samples. */
  public static final String ELBO = "elbo";

  private static final double HALF_LOG_2PI_E = 0.5 * Math.log(2.0 * Math.PI * Math.E);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "VI-4D-Var: q (Gaussian, flow or mixture) fitted in the control variable by maximising the ELBO";
  }

  @Override
  public long tag() {
    return 3;
  }

  /** The engine's settings of the configuration. */
  static VariationalConfig config(ExperimentSettings s, long tag) {
    ViSettings v = s.vi();
    LearningRateSchedule schedule;
    switch (v.schedule()) {
      case CONSTANT:
        schedule = LearningRateSchedule.constant(v.lr(), v.warmup());
        break;
      case INVERSE:
        schedule = LearningRateSchedule.inverse(v.lr(), v.warmup(), v.decay());
        break;
      case COSINE:
        schedule = LearningRateSchedule.cosine(v.lr(), v.warmup(), v.lrMin(), v.iterations());
        break;
      default:
        schedule = LearningRateSchedule.plateau(v.lr(), v.warmup(), v.plateauFactor(), v.plateauLevels());
        break;
    }
    return VariationalConfig.builder(s.seed()).tag(tag).family(v.family()).samplesPerStep(v.samplesPerStep())
        .maxIterations(v.iterations()).finalSamples(v.elboSamples()).schedule(schedule).window(v.window())
        .average(v.average()).averageWindows(v.averageWindows()).estimator(v.estimator())
        .antithetic(v.antithetic()).jitter(v.jitter()).flow(v.flowLayers(), v.flowHidden())
        .flowSchedule(LearningRateSchedule.plateau(v.flowLr(), v.flowWarmup(), v.plateauFactor(),
            v.plateauLevels()))
        .flowWindow(v.flowWindow()).mixture(v.mixtureComponents(), v.mixtureFamily()).recordTrace(true).build();
  }

  /** The start of a restart from control point {@code c0}: isotropic in v, or per component in state units. */
  static ViStart start(ControlTransform s, double[] c0, ViSettings v) {
    final int n = s.n();
    double[] v0 = new double[n];
    s.toWhitened(c0, new double[n], v0);
    if (v.initStdScale() == InitScale.BACKGROUND) {
      return ViStart.isotropic(v0, v.initStd());
    }
    double[] sigma = new double[n];
    for (int i = 0; i < n; i++) {
      sigma[i] = v.initStd() / s.scale(i);
    }
    return ViStart.diagonal(v0, sigma);
  }

  @Override
  public MethodResult run(Experiment ex) {
    long t0 = System.nanoTime();
    final ExperimentSettings s = ex.settings();
    final ViSettings v = s.vi();
    final int restarts = v.restarts();
    final VariationalConfig cfg = config(s, tag());
    final ControlTransform tr = ex.problem().control();
    final boolean mixture = v.family() == VariationalFamily.MIXTURE;
    List<double[]> candidates = v.start() == StartPoint.BEST ? ex.candidates() : List.of();
    if (candidates.isEmpty()) {
      candidates = List.of(tr.centerVector());
    }
    final int k = mixture ? v.mixtureComponents() : 1;
    ViStart[][] starts = new ViStart[restarts][k];
    for (int r = 0; r < restarts; r++) {
      for (int j = 0; j < k; j++) {
        int c = (r * k + j) % candidates.size();
        boolean atMinimum = c == 0 && !ex.minima().isEmpty() && ex.laplace() != null && !mixture;
        starts[r][j] = atMinimum ? ViStart.of(ex.laplace()) : start(tr, candidates.get(c), v);
      }
    }
    final Shared<ExperimentInputs> inputs = ex.shared();
    VariationalResult[] res = new VariationalResult[restarts];
    try (Shared<ViStart[][]> shipped = ex.parallel().share(starts)) {
      List<Part<ArrayList<VariationalResult>>> parts = ex.parallel().run(
          Job.of(NAME, "vi: " + restarts + " restarts (" + v.family().configName() + ")", "restarts", 1), shipped,
          restarts, (ViStart[][] st, long lo, long hi, org.vi4dvar.kernels.experiment.TaskProgress progress) -> {
            var p = inputs.get().problem();
            VariationalInference vi = new VariationalInference(new WhitenedObjective(new FourDVarCost(p)),
                p.control(), cfg);
            ArrayList<VariationalResult> out = new ArrayList<>();
            for (long r = lo; r < hi; r++) {
              out.add(mixture ? vi.runMixture(r, st[(int) r]) : vi.run(r, st[(int) r][0]));
              progress.add(1);
            }
            return out;
          });
      int at = 0;
      for (Part<ArrayList<VariationalResult>> part : parts) {
        for (VariationalResult x : part.value) {
          res[at++] = x;
        }
      }
    }
    double[] elbo = new double[restarts];
    int diverged = 0;
    int converged = 0;
    int flowDiverged = 0;
    int best = -1;
    Diagnostics.Builder d = Diagnostics.builder("ELBO");
    for (int i = 0; i < restarts; i++) {
      boolean bad = res[i].diverged() || !Double.isFinite(res[i].elbo);
      elbo[i] = bad ? Double.NEGATIVE_INFINITY : res[i].elbo;
      diverged += bad ? 1 : 0;
      converged += !bad && res[i].converged() ? 1 : 0;
      flowDiverged += Boolean.TRUE.equals(res[i].diagnostics.extra.get("flow_diverged")) ? 1 : 0;
      d.stopReason(res[i].stopReason.configName());
      if (!bad && (best < 0 || res[i].elbo > res[best].elbo)) {
        best = i;
      }
    }
    double[] w = RestartMixture.weights(elbo);
    List<Table> tables = List.of(restartsTable(res, w, tr), traceTable(res));
    if (best < 0) {
      throw new MethodUnavailable(NAME, "all " + restarts + " restarts diverged");
    }
    VariationalResult b = res[best];
    d.objective(b.elbo, b.elboStdErr)
        .converged(b.converged(), VariationalInference.CONVERGENCE_MEANING)
        .count("restarts", restarts).count("converged", converged).count("diverged", diverged)
        .count("excluded", diverged);
    if (v.family() == VariationalFamily.FLOW) {
      d.count("flow_diverged", flowDiverged);
    }
    List<Double> perRestart = new ArrayList<>();
    double[] ej = new double[restarts];
    for (int i = 0; i < restarts; i++) {
      perRestart.add(Double.isFinite(elbo[i]) ? elbo[i] : null);
      ej[i] = expectedCost(res[i], tr);
    }
    d.extra("family", v.family().configName()).extra("posterior", v.posterior().configName())
        .extra("start", v.start().configName()).extra("best_restart", best)
        .extra("elbo", b.elbo).extra("elbo_stderr", b.elboStdErr)
        .extra("final_elbo_per_restart", perRestart);
    if (java.util.Arrays.stream(ej).anyMatch(Double::isFinite)) {
      // E_q[J] is known in closed form for the Gaussian families only (flows and mixtures have no exact H(q))
      d.extra("expected_cost", Distribution.of(ej));
    }
    Diagnostics diag = d.build();
    Posterior post;
    if (v.posterior() == ViPosterior.RESTART_MIXTURE && restarts > 1) {
      post = RestartMixture.of(res, s.seed(), tag()).withDiagnostics(diag);
    } else {
      post = withDiagnostics(b.posterior, diag);
    }
    double seconds = (System.nanoTime() - t0) * 1e-9;
    ex.progress(String.format(Locale.ROOT, "vi: %d restarts (%s) in %.2f s, best ELBO %.6g ± %.2g (restart %d, "
        + "%s), %d converged, %d diverged%s", restarts, v.family().configName(), seconds, b.elbo, b.elboStdErr,
        best, b.stopReason.configName(), converged, diverged, flowDiverged == 0 ? "" : String.format(Locale.ROOT,
        "; in %d the flow stage diverged and the restart is its Gaussian solution", flowDiverged)));
    return MethodResult.of(NAME, post, tables, seconds);
  }

  /** The same posterior with the method's diagnostics. */
  static Posterior withDiagnostics(Posterior p, Diagnostics d) {
    if (p instanceof GaussianPosterior) {
      return ((GaussianPosterior) p).withDiagnostics(d);
    }
    if (p instanceof org.vi4dvar.kernels.flow.FlowPosterior) {
      return ((org.vi4dvar.kernels.flow.FlowPosterior) p).withDiagnostics(d);
    }
    if (p instanceof org.vi4dvar.kernels.posterior.MixturePosterior) {
      return ((org.vi4dvar.kernels.posterior.MixturePosterior) p).withDiagnostics(d);
    }
    return p;
  }

  /** {@code E_q[J] = H(q) − ELBO} for a Gaussian q (H over the control), else NaN. */
  static double expectedCost(VariationalResult r, ControlTransform tr) {
    if (r.diverged() || !(r.posterior instanceof GaussianPosterior)) {
      return Double.NaN;
    }
    GaussianPosterior g = (GaussianPosterior) r.posterior;
    double[] f = g.factor();
    final int n = g.dimension();
    double logDetF = 0.0;
    if (g.factorKind() == GaussianPosterior.Factor.DIAGONAL) {
      for (double x : f) {
        logDetF += Math.log(x);
      }
    } else if (g.factorKind() == GaussianPosterior.Factor.LOWER) {
      for (int i = 0; i < n; i++) {
        logDetF += Math.log(f[i * n + i]);
      }
    } else {
      return Double.NaN;
    }
    double h = logDetF + tr.logDet() + n * HALF_LOG_2PI_E;
    return h - r.elbo;
  }

  private static Table restartsTable(VariationalResult[] r, double[] w, ControlTransform tr) {
    int n = r.length;
    long[] idx = new long[n];
    double[] e = new double[n];
    double[] se = new double[n];
    double[] ej = new double[n];
    long[] it = new long[n];
    String[] stop = new String[n];
    boolean[] conv = new boolean[n];
    boolean[] div = new boolean[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      e[i] = r[i].elbo;
      se[i] = r[i].elboStdErr;
      ej[i] = expectedCost(r[i], tr);
      it[i] = r[i].iterations;
      stop[i] = r[i].stopReason.configName();
      conv[i] = r[i].converged();
      div[i] = r[i].diverged();
    }
    return Table.builder(RESTARTS).longs(RESTART, idx).doubles(FINAL_ELBO, e).doubles(ELBO_STDERR, se)
        .doubles(EXPECTED_COST, ej).doubles(WEIGHT, w.clone()).longs(ITERATIONS, it).strings(STOP_REASON, stop)
        .booleans(CONVERGED, conv).booleans(DIVERGED, div).build();
  }

  private static Table traceTable(VariationalResult[] r) {
    int rows = 0;
    for (VariationalResult v : r) {
      rows += v.elboTrace == null ? 0 : v.elboTrace.length;
    }
    long[] restart = new long[rows];
    long[] iter = new long[rows];
    double[] e = new double[rows];
    int k = 0;
    for (VariationalResult v : r) {
      for (int j = 0; v.elboTrace != null && j < v.elboTrace.length; j++) {
        restart[k] = v.restart;
        iter[k] = j;
        e[k] = v.elboTrace[j];
        k++;
      }
    }
    return Table.builder(ELBO_TRACE).longs(RESTART, restart).longs(ITERATION, iter).doubles(ELBO, e).build();
  }
}
