package org.vi4dvar.kernels.vi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.InitScale;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.config.ViPosterior;
import org.vi4dvar.kernels.experiment.Experiment;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Method;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.MethodUnavailable;
import org.vi4dvar.kernels.experiment.Parallel.Part;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.experiment.Table;
import org.vi4dvar.kernels.optim.AdamConfig;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.MixturePosterior;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.stats.Distribution;
import org.vi4dvar.kernels.stats.PosteriorSampler;
import org.vi4dvar.kernels.var.ControlTransform;

/**
 * VI-4D-Var as a method of the experiment: restart r ({@link Vi4dVar}, its own stream) is one unit of work,
 * started from the MAP minima then ABC's lowest-J trials ({@code vi.start = best}) or the background. The
 * posterior is the Gaussian q of the restart of best final ELBO, or the ELBO-weighted mixture of the restarts'
 * q ({@code vi.posterior}); diverged restarts are counted and excluded.
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
  /** Column: E_q[J] estimate. */
  public static final String EXPECTED_COST = "expected_cost";
  /** Column: weight in the ELBO-weighted mixture of restarts. */
  public static final String WEIGHT = "weight";
  /** Column: iterations. */
  public static final String ITERATIONS = "iterations";
  /** Column: whether a non-finite value stopped it. */
  public static final String DIVERGED = "diverged";
  /** Column of the trace: iteration. */
  public static final String ITERATION = "iteration";
  /** Column of the trace: the ELBO estimate of the iteration's samples. */
  public static final String ELBO = "elbo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "VI-4D-Var: a Gaussian q fitted by maximising the ELBO with reparameterised gradients";
  }

  @Override
  public long tag() {
    return 3;
  }

  @Override
  public MethodResult run(Experiment ex) {
    long t0 = System.nanoTime();
    ExperimentSettings s = ex.settings();
    final int restarts = s.vi().restarts();
    ViFamily family = s.vi().family();
    AdamConfig adam = AdamConfig.defaults().withLearningRate(s.vi().lr()).withMaxIterations(s.vi().iterations());
    final ViConfig cfg = new ViConfig(s.seed(), family, adam, s.vi().samplesPerStep(), s.vi().elboSamples(),
        s.vi().initStd(), s.vi().initStdScale() == InitScale.BACKGROUND, s.vi().jitter(), true);
    List<double[]> candidates = s.vi().start() == StartPoint.BEST ? ex.candidates() : List.of();
    double[][] starts = new double[restarts][];
    for (int r = 0; r < restarts; r++) {
      starts[r] = candidates.isEmpty() ? ex.problem().xb() : candidates.get(r % candidates.size());
    }
    final Shared<ExperimentInputs> inputs = ex.shared();
    ViResult[] res = new ViResult[restarts];
    try (Shared<double[][]> shipped = ex.parallel().share(starts)) {
      List<Part<ArrayList<ViResult>>> parts = ex.parallel().run(
          Job.of(NAME, "vi: " + restarts + " restarts", "restarts", 1), shipped, restarts,
          (double[][] st, long lo, long hi, org.vi4dvar.kernels.experiment.TaskProgress progress) -> {
            Vi4dVar vi = new Vi4dVar(inputs.get().problem(), cfg);
            ArrayList<ViResult> out = new ArrayList<>();
            for (long r = lo; r < hi; r++) {
              out.add(vi.run(r, st[(int) r]));
              progress.add(1);
            }
            return out;
          });
      int at = 0;
      for (Part<ArrayList<ViResult>> p : parts) {
        for (ViResult v : p.value) {
          res[at++] = v;
        }
      }
    }
    double[] elbo = new double[restarts];
    int diverged = 0;
    int best = -1;
    for (int i = 0; i < restarts; i++) {
      boolean bad = res[i].diverged || !Double.isFinite(res[i].finalElbo);
      elbo[i] = bad ? Double.NEGATIVE_INFINITY : res[i].finalElbo;
      diverged += bad ? 1 : 0;
      if (!bad && (best < 0 || res[i].finalElbo > res[best].finalElbo)) {
        best = i;
      }
    }
    double[] w = PosteriorSampler.softmax(elbo);
    List<Table> tables = List.of(restartsTable(res, w), traceTable(res));
    if (best < 0) {
      throw new MethodUnavailable(NAME, "all " + restarts + " restarts diverged");
    }
    Diagnostics.Builder d = Diagnostics.builder("ELBO")
        .objective(res[best].finalElbo, res[best].finalElboStdErr)
        .converged(false, "not tested: the restarts run a fixed number of Adam iterations (vi.iterations)")
        .count("restarts", restarts).count("diverged", diverged).count("excluded", diverged);
    double[] ej = new double[restarts];
    for (int i = 0; i < restarts; i++) {
      ej[i] = res[i].diverged ? Double.NaN : res[i].meanCost();
      d.stopReason(res[i].diverged ? "diverged" : "iteration-limit");
    }
    List<Double> perRestart = new ArrayList<>();
    for (double e : elbo) {
      perRestart.add(Double.isFinite(e) ? e : null);
    }
    d.extra("family", family.configName()).extra("posterior", s.vi().posterior().configName())
        .extra("start", s.vi().start().configName()).extra("best_restart", best)
        .extra("final_elbo_per_restart", perRestart).extra("expected_cost", Distribution.of(ej));
    Diagnostics diag = d.build();
    Posterior post;
    if (s.vi().posterior() == ViPosterior.MIXTURE) {
      List<Posterior> comps = new ArrayList<>();
      List<Double> ws = new ArrayList<>();
      for (int i = 0; i < restarts; i++) {
        if (w[i] > 0) {
          comps.add(gaussian(res[i], s.seed(), tag(), diag));
          ws.add(w[i]);
        }
      }
      post = new MixturePosterior(comps.toArray(new Posterior[0]), ws.stream().mapToDouble(Double::doubleValue)
          .toArray(), s.seed(), tag(), diag);
    } else {
      post = gaussian(res[best], s.seed(), tag(), diag);
    }
    double seconds = (System.nanoTime() - t0) * 1e-9;
    ex.progress(String.format(Locale.ROOT, "vi: %d restarts in %.2f s, best ELBO %.6g ± %.2g (restart %d), "
        + "%d diverged", restarts, seconds, res[best].finalElbo, res[best].finalElboStdErr, best, diverged));
    return MethodResult.of(NAME, post, tables, seconds);
  }

  /** A restart's q as a Gaussian posterior in x (the transform is the identity). */
  static GaussianPosterior gaussian(ViResult r, long seed, long tag, Diagnostics d) {
    final int n = r.nx;
    ControlTransform id = ControlTransform.diagonal(new double[n], ones(n));
    if (r.family == ViFamily.MEAN_FIELD) {
      return new GaussianPosterior(r.mean, id, GaussianPosterior.Factor.DIAGONAL, r.std(), seed, tag, d);
    }
    return new GaussianPosterior(r.mean, id, GaussianPosterior.Factor.LOWER, r.scaleTril, seed, tag, d);
  }

  private static double[] ones(int n) {
    double[] o = new double[n];
    java.util.Arrays.fill(o, 1.0);
    return o;
  }

  private static Table restartsTable(ViResult[] r, double[] w) {
    int n = r.length;
    long[] idx = new long[n];
    double[] e = new double[n];
    double[] se = new double[n];
    double[] ej = new double[n];
    long[] it = new long[n];
    boolean[] div = new boolean[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      e[i] = r[i].finalElbo;
      se[i] = r[i].finalElboStdErr;
      ej[i] = r[i].meanCost();
      it[i] = r[i].iterations;
      div[i] = r[i].diverged;
    }
    return Table.builder(RESTARTS).longs(RESTART, idx).doubles(FINAL_ELBO, e).doubles(ELBO_STDERR, se)
        .doubles(EXPECTED_COST, ej).doubles(WEIGHT, w.clone()).longs(ITERATIONS, it).booleans(DIVERGED, div)
        .build();
  }

  private static Table traceTable(ViResult[] r) {
    int rows = 0;
    for (ViResult v : r) {
      rows += v.elboTrace == null ? 0 : v.elboTrace.length;
    }
    long[] restart = new long[rows];
    long[] iter = new long[rows];
    double[] e = new double[rows];
    int k = 0;
    for (ViResult v : r) {
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
