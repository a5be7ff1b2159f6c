package org.vi4dvar.kernels.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.experiment.Experiment;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Method;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.MethodUnavailable;
import org.vi4dvar.kernels.experiment.Parallel.Part;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.experiment.Table;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.optim.Lbfgs;
import org.vi4dvar.kernels.optim.LbfgsConfig;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.optim.StopReason;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.stats.Distribution;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.WhitenedObjective;

/**
 * MAP + Laplace as a method of the experiment. Multi-start L-BFGS in the whitened control v
 * ({@link WhitenedObjective}: {@code f(v) = J(c_b + S v)}, S the problem's control transform), from the background, then ABC's lowest-J trials, then
 * prior draws — one start per unit of work; the starts return only their minima. At the lowest minimum v* the
 * Hessian of f, column by column as units of work,
 * <pre>
 *   H_v[:, j] = (∇f(v* + h e_j) − ∇f(v* − h e_j)) / 2h,   h = {@link LaplaceConfig#DEFAULT_FD_STEP}
 *   (a step of h prior standard deviations along the j-th column of S), then symmetrised
 * </pre>
 * or Gauss–Newton ({@code map.hessian}); {@code H_v = L Lᵀ} by Cholesky in a task, and the posterior
 * {@code c = c* + S L⁻ᵀ z} ({@link GaussianPosterior.Factor#PRECISION}), so {@code Σ_c = S H_v⁻¹ Sᵀ}. When the
 * finite-difference Hessian is not positive definite the Gauss–Newton one is used (said in the diagnostics);
 * when neither is, the method is unavailable with the failing pivot named. Only the best minimum's factor reaches
 * the driver.
 */
public final class MapMethod implements Method {

  /** The method's name. */
  public static final String NAME = "map";
  /** Table of the starts. */
  public static final String STARTS = "starts";
  /** Long-form table of every start's L-BFGS cost trace. */
  public static final String COST_TRACE = "cost_trace";
  /** Column: start index. */
  public static final String START = "start";
  /** Column: where the start came from: background, abc, prior-draw. */
  public static final String SOURCE = "source";
  /** Column: J at the minimum. */
  public static final String FINAL_COST = "final_cost";
  /** Column: ‖∇_v f‖ at the minimum. */
  public static final String GRAD_NORM = "grad_norm";
  /** Column: iterations. */
  public static final String ITERATIONS = "iterations";
  /** Column: cost-and-gradient evaluations. */
  public static final String EVALUATIONS = "evaluations";
  /** Column: why the minimiser stopped. */
  public static final String STOP_REASON = "stop_reason";
  /** Column: the distinct minimum a start reached (0 = the lowest; −1 = failed). */
  public static final String MINIMUM_ID = "minimum_id";
  /** Table: the trajectory from the lowest minimum, {@code t, x_0 …}. */
  public static final String SOLUTION = "solution";
  /** Column of traces: iteration (0 = the start). */
  public static final String ITERATION = "iteration";
  /** Column of traces: J after the iteration. */
  public static final String COST = "cost";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "MAP by multi-start L-BFGS in the control variable, Laplace approximation at the lowest minimum";
  }

  @Override
  public long tag() {
    return 2;
  }

  /** One start's minimisation, as a task returns it. */
  public static final class StartResult implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    double[] x;
    double cost;
    double backgroundCost;
    double observationCost;
    StopReason stopReason;
    int iterations;
    long evaluations;
    double gradientNorm;
    double[] trace;

    boolean failed() {
      return !Double.isFinite(cost) || stopReason == StopReason.DIVERGED;
    }
  }

  /** Lowercase, hyphenated stop-reason name for tables and summaries. */
  public static String reasonName(StopReason r) {
    return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The L-BFGS settings of the configuration, with an iteration limit. */
  public static LbfgsConfig lbfgs(ExperimentSettings s, int maxIterations) {
    return LbfgsConfig.defaults().withMemory(s.minimizer().memory()).withMaxIterations(maxIterations)
        .withTolerances(s.minimizer().gradientTolerance(), s.minimizer().costTolerance());
  }

  /** Minimises f from {@code start} (in c); the task's kernel objects are passed in. */
  static StartResult minimise(WhitenedObjective f, Lbfgs lbfgs, double[] start) {
    final int n = f.dimension();
    double[] v = new double[n];
    f.toWhitened(start, v);
    OptimResult r = lbfgs.minimize(f, v);
    StartResult out = new StartResult();
    out.x = new double[n];
    f.toControl(v, out.x);
    FourDVarCost cost = f.cost();
    out.cost = cost.cost(out.x);
    out.backgroundCost = cost.lastPriorCost();
    out.observationCost = cost.lastObservationCost();
    out.stopReason = r.stopReason;
    out.iterations = r.iterations;
    out.evaluations = r.evaluations;
    out.gradientNorm = r.gradientNorm;
    out.trace = r.costTrace;
    return out;
  }

  @Override
  public MethodResult run(Experiment ex) {
    long t0 = System.nanoTime();
    final ExperimentSettings s = ex.settings();
    final FourDVarProblem p = ex.problem();
    final int n = p.controlDimension();
    final int count = s.map().starts();
    List<double[]> starts = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    starts.add(p.control().centerVector());
    sources.add("background");
    for (int i = 0; starts.size() < count && i < ex.abcStarts().size(); i++) {
      starts.add(ex.abcStarts().get(i));
      sources.add("abc");
    }
    for (int j = 0; starts.size() < count; j++) {
      starts.add(MapLaplace.jitteredStart(p, p.control().centerVector(), 1.0, s.seed(), j));
      sources.add("prior-draw");
    }
    final LbfgsConfig cfg = lbfgs(s, s.map().maxIterations());
    final int nStarts = starts.size();
    StartResult[] r = new StartResult[nStarts];
    final Shared<ExperimentInputs> inputs = ex.shared();
    try (Shared<double[][]> shipped = ex.parallel().share(starts.toArray(new double[0][]))) {
      List<Part<ArrayList<StartResult>>> parts = ex.parallel().run(
          Job.of(NAME, "map: " + nStarts + " starts", "starts", 1), shipped, nStarts,
          (double[][] st, long lo, long hi, org.vi4dvar.kernels.experiment.TaskProgress progress) -> {
            WhitenedObjective f = new WhitenedObjective(new FourDVarCost(inputs.get().problem()));
            Lbfgs lbfgs = new Lbfgs(cfg);
            ArrayList<StartResult> out = new ArrayList<>();
            for (long i = lo; i < hi; i++) {
              out.add(minimise(f, lbfgs, st[(int) i]));
              progress.add(1);
            }
            return out;
          });
      int at = 0;
      for (Part<ArrayList<StartResult>> part : parts) {
        for (StartResult x : part.value) {
          r[at++] = x;
        }
      }
    }
    double[] costs = new double[nStarts];
    double[][] points = new double[nStarts][];
    boolean[] failed = new boolean[nStarts];
    int best = -1;
    for (int i = 0; i < nStarts; i++) {
      costs[i] = r[i].cost;
      points[i] = r[i].x;
      failed[i] = r[i].failed();
      if (!failed[i] && (best < 0 || r[i].cost < r[best].cost)) {
        best = i;
      }
    }
    Diagnostics.Builder d = Diagnostics.builder("J");
    int converged = 0;
    int nFailed = 0;
    for (int i = 0; i < nStarts; i++) {
      d.stopReason(reasonName(r[i].stopReason));
      nFailed += failed[i] ? 1 : 0;
      converged += !failed[i] && r[i].stopReason.converged() ? 1 : 0;
    }
    d.count("starts", nStarts).count("converged", converged).count("diverged", nFailed).count("excluded", nFailed);
    int[] ids = MultiStart.minimumIds(costs, points, failed, p.control());
    List<Table> tables = List.of(startsTable(r, sources, ids), traceTable(r));
    double seconds = (System.nanoTime() - t0) * 1e-9;
    if (best < 0) {
      throw new MethodUnavailable(NAME, "all " + nStarts + " minimisations failed (non-finite cost)");
    }
    List<double[]> minima = new ArrayList<>();
    for (int id = 0; id < MultiStart.distinct(ids); id++) {
      for (int i = 0; i < nStarts; i++) {
        if (ids[i] == id) {
          minima.add(r[i].x);
          break;
        }
      }
    }
    ex.setMinima(minima);
    ex.progress(String.format(Locale.ROOT, "map: %d starts in %.2f s, %d distinct minima, best J %.6g (start %d, %s)",
        nStarts, seconds, MultiStart.distinct(ids), r[best].cost, best, sources.get(best)));

    // the Laplace approximation at the best minimum, in v
    StartResult b = r[best];
    ControlTransform tr = p.control();
    double[] vStar = new double[n];
    tr.toWhitened(b.x, new double[n], vStar);
    HessianMethod configured = s.map().hessian();
    Hessian h = configured == HessianMethod.GAUSS_NEWTON ? gaussNewton(ex, b.x) : finiteDifference(ex, vStar);
    int pivot = factorInTask(ex, h);
    String hessian = configured.configName();
    boolean pd = pivot < 0;
    if (!pd && configured == HessianMethod.FINITE_DIFFERENCE) {
      int fdPivot = pivot;
      ex.progress("map: the finite-difference Hessian at the minimum is not positive definite (pivot " + fdPivot
          + "); the Laplace approximation uses the Gauss-Newton Hessian");
      h = gaussNewton(ex, b.x);
      pivot = factorInTask(ex, h);
      hessian = "gauss-newton (the finite-difference Hessian is not positive definite: pivot " + fdPivot + ")";
      if (pivot >= 0) {
        throw new MethodUnavailable(NAME, "the Hessian at the minimum (J = " + b.cost + ") is not positive definite "
            + "with finite differences (pivot " + fdPivot + ") nor with Gauss-Newton (pivot " + pivot + "); "
            + "the observation or background standard deviations may be too small for double precision");
      }
    } else if (!pd) {
      throw new MethodUnavailable(NAME, "the Gauss-Newton Hessian at the minimum (J = " + b.cost
          + ") is not positive definite (pivot " + pivot + "); the observation or background standard "
          + "deviations may be too small for double precision");
    }
    d.objective(b.cost, 0.0)
        .converged(b.stopReason.converged(), "the lowest minimum's L-BFGS met a tolerance: ‖∇f‖ <= "
            + "minimizer.gradient-tolerance or a relative decrease <= minimizer.cost-tolerance")
        .extra("distinct_minima", MultiStart.distinct(ids))
        .extra("best_start", best)
        .extra("best_source", sources.get(best))
        .extra("best_cost", b.cost)
        .extra("best_background_cost", b.backgroundCost)
        .extra("best_observation_cost", b.observationCost)
        .extra("best_grad_norm", b.gradientNorm)
        .extra("cost", Distribution.of(minimaCosts(r, failed)))
        .extra("hessian", hessian)
        .extra("positive_definite", pd)
        .extra("hessian_asymmetry", h.asymmetry);
    GaussianPosterior post = new GaussianPosterior(b.x, tr, GaussianPosterior.Factor.PRECISION, h.factor,
        s.seed(), tag(), d.build());
    ex.setLaplace(post);
    List<Table> all = new ArrayList<>(tables);
    all.add(solution(p, b.x));
    return MethodResult.of(NAME, post, all, (System.nanoTime() - t0) * 1e-9);
  }

  private static double[] minimaCosts(StartResult[] r, boolean[] failed) {
    double[] c = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      c[i] = failed[i] ? Double.NaN : r[i].cost;
    }
    return c;
  }

  /** A Hessian in v (n×n), then its Cholesky factor. */
  public static final class Hessian implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    double[] matrix;
    double asymmetry;
    double[] factor;
  }

  /** Central-difference Hessian of f at v*, one column per unit of work, symmetrised. */
  static Hessian finiteDifference(Experiment ex, double[] vStar) {
    final int n = vStar.length;
    final double step = LaplaceConfig.DEFAULT_FD_STEP;
    double[] hm = new double[n * n];
    final Shared<ExperimentInputs> inputs = ex.shared();
    try (Shared<double[]> at = ex.parallel().share(vStar.clone())) {
      List<Part<double[]>> parts = ex.parallel().run(
          Job.of(NAME, "map: finite-difference Hessian, " + n + " columns", "columns", Math.max(1, n / 4)),
          at, n, (double[] v0, long lo, long hi, org.vi4dvar.kernels.experiment.TaskProgress progress) -> {
            WhitenedObjective f = new WhitenedObjective(new FourDVarCost(inputs.get().problem()));
            double[] v = v0.clone();
            double[] gp = new double[n];
            double[] gm = new double[n];
            double[] cols = new double[(int) (hi - lo) * n];
            for (long j = lo; j < hi; j++) {
              int jj = (int) j;
              v[jj] = v0[jj] + step;
              f.valueAndGradient(v, gp);
              v[jj] = v0[jj] - step;
              f.valueAndGradient(v, gm);
              v[jj] = v0[jj];
              double width = (v0[jj] + step) - (v0[jj] - step);
              int o = (int) (j - lo) * n;
              for (int i = 0; i < n; i++) {
                cols[o + i] = (gp[i] - gm[i]) / width;
              }
              progress.add(1);
            }
            return cols;
          });
      for (Part<double[]> part : parts) {
        for (long j = part.lo; j < part.hi; j++) {
          int o = (int) (j - part.lo) * n;
          for (int i = 0; i < n; i++) {
            hm[i * n + (int) j] = part.value[o + i];
          }
        }
      }
    }
    Hessian h = new Hessian();
    h.matrix = hm;
    h.asymmetry = symmetrise(hm, n);
    return h;
  }

  /** Symmetrises in place; returns max |H_ij − H_ji| / max |H_ij| before. */
  static double symmetrise(double[] h, int n) {
    double maxAbs = 0.0;
    double maxAsym = 0.0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        maxAbs = Math.max(maxAbs, Math.abs(h[i * n + j]));
      }
      for (int j = 0; j < i; j++) {
        double a = h[i * n + j];
        double c = h[j * n + i];
        maxAsym = Math.max(maxAsym, Math.abs(a - c));
        double m = 0.5 * (a + c);
        h[i * n + j] = m;
        h[j * n + i] = m;
      }
    }
    return maxAbs > 0 ? maxAsym / maxAbs : 0.0;
  }

  /**
   * The Gauss–Newton Hessian in v at x, {@code Sᵀ (B⁻¹ + Σ_t G_tᵀ R_t⁻¹ G_t) S}, in one task
   * ({@link MapLaplace#gaussNewtonHessian} in x, then the congruence by S).
   */
  static Hessian gaussNewton(Experiment ex, double[] x) {
    final double[] at = x.clone();
    final Shared<ExperimentInputs> inputs = ex.shared();
    try (Shared<double[]> point = ex.parallel().share(at)) {
      List<Part<double[]>> parts = ex.parallel().run(Job.of(NAME, "map: Gauss-Newton Hessian", "matrices", 1),
          point, 1, (double[] x0, long lo, long hi, org.vi4dvar.kernels.experiment.TaskProgress progress) -> {
            FourDVarProblem p = inputs.get().problem();
            int n = p.controlDimension();
            double[] hx = new double[n * n];
            new MapLaplace(p, LaplaceConfig.defaults()).gaussNewtonHessian(x0, hx);
            return congruence(p.control(), hx, n);
          });
      Hessian h = new Hessian();
      h.matrix = parts.get(0).value;
      h.asymmetry = symmetrise(h.matrix, x.length);
      return h;
    }
  }

  /** {@code Sᵀ A S} for a symmetric A (n×n, new array). */
  static double[] congruence(ControlTransform s, double[] a, int n) {
    if (s.diagonal()) {
      // (Sᵀ A S)_ij = s_i (a_ij s_j): O(n²), and the same bits as the general path below
      double[] out = new double[n * n];
      for (int i = 0; i < n; i++) {
        final double si = s.scale(i);
        for (int j = 0; j < n; j++) {
          out[i * n + j] = si * (a[i * n + j] * s.scale(j));
        }
      }
      return out;
    }
    double[] as = new double[n * n]; // columns of A S
    double[] e = new double[n];
    double[] col = new double[n];
    double[] img = new double[n];
    for (int j = 0; j < n; j++) {
      e[j] = 1.0;
      s.apply(e, col);
      e[j] = 0.0;
      for (int i = 0; i < n; i++) {
        double v = 0.0;
        for (int k = 0; k < n; k++) {
          v += a[i * n + k] * col[k];
        }
        as[j * n + i] = v;
      }
    }
    double[] out = new double[n * n];
    for (int j = 0; j < n; j++) {
      System.arraycopy(as, j * n, col, 0, n);
      s.applyTranspose(col, img);
      for (int i = 0; i < n; i++) {
        out[i * n + j] = img[i];
      }
    }
    return out;
  }

  /** Cholesky of the Hessian in one task; sets its factor; returns −1 or the failing pivot. */
  static int factorInTask(Experiment ex, Hessian h) {
    final int n = (int) Math.round(Math.sqrt(h.matrix.length));
    try (Shared<double[]> m = ex.parallel().share(h.matrix)) {
      List<Part<double[]>> parts = ex.parallel().run(Job.of(NAME, "map: Cholesky factor of the Hessian",
          "matrices", 1), m, 1, (double[] a, long lo, long hi,
              org.vi4dvar.kernels.experiment.TaskProgress progress) -> {
            double[] l = new double[n * n];
            int piv = Cholesky.decomposeAt(n, a, l);
            return piv < 0 ? l : new double[] {piv};
          });
      double[] v = parts.get(0).value;
      if (v.length == 1 && n != 1) {
        h.factor = null;
        return (int) v[0];
      }
      if (n == 1 && !(v[0] > 0)) {
        return 0;
      }
      h.factor = v;
      return -1;
    }
  }

  /** The trajectory of the whole window from {@code x}, as a table {@code t, x_0 …}. */
  static Table solution(FourDVarProblem p, double[] x) {
    org.vi4dvar.kernels.var.ControlPropagator prop = p.newPropagator();
    double[] traj = new double[prop.trajectorySize()];
    prop.trajectory(x, traj);
    long[] t = new long[p.nStates()];
    for (int k = 0; k < t.length; k++) {
      t[k] = k;
    }
    return Table.builder(SOLUTION).longs("t", t).matrix("x_", traj, p.nx()).build();
  }

  private static Table startsTable(StartResult[] r, List<String> sources, int[] ids) {
    int n = r.length;
    long[] idx = new long[n];
    String[] src = new String[n];
    double[] cost = new double[n];
    double[] grad = new double[n];
    long[] it = new long[n];
    long[] ev = new long[n];
    String[] stop = new String[n];
    long[] mid = new long[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      src[i] = sources.get(i);
      cost[i] = r[i].cost;
      grad[i] = r[i].gradientNorm;
      it[i] = r[i].iterations;
      ev[i] = r[i].evaluations;
      stop[i] = reasonName(r[i].stopReason);
      mid[i] = ids[i];
    }
    return Table.builder(STARTS).longs(START, idx).strings(SOURCE, src).doubles(FINAL_COST, cost)
        .doubles(GRAD_NORM, grad).longs(ITERATIONS, it).longs(EVALUATIONS, ev).strings(STOP_REASON, stop)
        .longs(MINIMUM_ID, mid).build();
  }

  private static Table traceTable(StartResult[] r) {
    int rows = 0;
    for (StartResult x : r) {
      rows += x.trace == null ? 0 : x.trace.length;
    }
    long[] start = new long[rows];
    long[] iter = new long[rows];
    double[] cost = new double[rows];
    int k = 0;
    for (int i = 0; i < r.length; i++) {
      double[] t = r[i].trace;
      for (int j = 0; t != null && j < t.length; j++) {
        start[k] = i;
        iter[k] = j;
        cost[k] = t[j];
        k++;
      }
    }
    return Table.builder(COST_TRACE).longs(START, start).longs(ITERATION, iter).doubles(COST, cost).build();
  }
}
