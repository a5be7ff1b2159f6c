package org.vi4dvar.kernels.ensemble;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.experiment.Experiment;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Method;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.MethodUnavailable;
import org.vi4dvar.kernels.experiment.Parallel.Part;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.experiment.Table;
import org.vi4dvar.kernels.map.MapMethod;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.stats.Distribution;

/**
 * The ensemble of 4D-Var as a method of the experiment: member k ({@link EnsembleMember}, perturbations from
 * its own stream) is one unit of work; the posterior is the members' analyses, equally weighted
 * ({@link EmpiricalPosterior}), diverged members counted and excluded. Members start from their perturbed
 * background, or ({@code ensemble.start = best}) from the best point found before (MAP's lowest minimum, else
 * ABC's lowest-J trial).
 */
public final class EnsembleMethod implements Method {

  /** The method's name. */
  public static final String NAME = "ensemble";
  /** Table of the members. */
  public static final String MEMBERS = "members";
  /** Long-form table of every member's L-BFGS trace of its perturbed cost. */
  public static final String COST_TRACE = "cost_trace";
  /** Column: member index. */
  public static final String MEMBER = "member";
  /** Column: J of the unperturbed problem at the member's analysis (comparable across members). */
  public static final String FINAL_COST = "final_cost";
  /** Column: J^k of the member's own perturbed problem at its analysis (what it minimised). */
  public static final String PERTURBED_COST = "perturbed_cost";
  /** Column: iterations. */
  public static final String ITERATIONS = "iterations";
  /** Column: whether a tolerance was met. */
  public static final String CONVERGED = "converged";
  /** Column: why the minimiser stopped. */
  public static final String STOP_REASON = "stop_reason";
  /** Column of the trace: iteration (0 = the start). */
  public static final String ITERATION = "iteration";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ensemble of 4D-Var: each member minimises J with a perturbed background and perturbed observations";
  }

  @Override
  public long tag() {
    return 5;
  }

  @Override
  public MethodResult run(Experiment ex) {
    long t0 = System.nanoTime();
    ExperimentSettings s = ex.settings();
    final int m = s.ensemble().members();
    final EnsembleConfig cfg = EnsembleConfig.of(s.seed()).withLbfgs(MapMethod.lbfgs(s,
        s.ensemble().maxIterations()));
    final double[] start = s.ensemble().start() == StartPoint.BEST ? ex.best() : null;
    final Shared<ExperimentInputs> inputs = ex.shared();
    EnsembleResult[] r = new EnsembleResult[m];
    List<Part<ArrayList<EnsembleResult>>> parts = ex.parallel().run(
        Job.of(NAME, "ensemble: " + m + " members", "members", Math.max(1, (m + 15) / 16)), inputs, m,
        (ExperimentInputs in, long lo, long hi, org.vi4dvar.kernels.experiment.TaskProgress progress) -> {
          EnsembleMember member = new EnsembleMember(in.problem(), cfg);
          ArrayList<EnsembleResult> out = new ArrayList<>();
          for (long k = lo; k < hi; k++) {
            out.add(start == null ? member.run(k) : member.run(k, start));
            progress.add(1);
          }
          return out;
        });
    int at = 0;
    for (Part<ArrayList<EnsembleResult>> p : parts) {
      for (EnsembleResult e : p.value) {
        r[at++] = e;
      }
    }
    final int n = ex.problem().controlDimension();
    Diagnostics.Builder d = Diagnostics.builder("J");
    int ok = 0;
    int converged = 0;
    boolean[] bad = new boolean[m];
    for (int k = 0; k < m; k++) {
      bad[k] = r[k].diverged() || !Double.isFinite(r[k].costUnperturbed);
      ok += bad[k] ? 0 : 1;
      converged += !bad[k] && r[k].converged ? 1 : 0;
      d.stopReason(MapMethod.reasonName(r[k].stopReason));
    }
    d.count("members", m).count("converged", converged).count("diverged", m - ok).count("excluded", m - ok);
    List<Table> tables = List.of(membersTable(r), traceTable(r));
    if (ok == 0) {
      throw new MethodUnavailable(NAME, "all " + m + " members diverged (non-finite cost)");
    }
    double[] x = new double[ok * n];
    double[] costs = new double[ok];
    int j = 0;
    for (int k = 0; k < m; k++) {
      if (!bad[k]) {
        System.arraycopy(r[k].x0, 0, x, j * n, n);
        costs[j++] = r[k].costUnperturbed;
      }
    }
    java.util.Map<String, Object> cost = Distribution.of(costs);
    d.objective((Double) cost.get("median"), Double.NaN)
        .converged(converged == ok, "every member's L-BFGS met a tolerance (‖∇J^k‖ <= "
            + "minimizer.gradient-tolerance or a relative decrease <= minimizer.cost-tolerance)")
        .extra("start", s.ensemble().start().configName())
        .extra("cost", cost);
    double seconds = (System.nanoTime() - t0) * 1e-9;
    ex.progress(String.format(Locale.ROOT, "ensemble: %d members in %.2f s, %d converged, %d diverged", m,
        seconds, converged, m - ok));
    return MethodResult.of(NAME, new EmpiricalPosterior(n, x, null, d.build()), tables, seconds);
  }

  private static Table membersTable(EnsembleResult[] r) {
    int m = r.length;
    long[] idx = new long[m];
    double[] cost = new double[m];
    double[] pert = new double[m];
    long[] it = new long[m];
    boolean[] conv = new boolean[m];
    String[] stop = new String[m];
    for (int k = 0; k < m; k++) {
      idx[k] = r[k].index;
      cost[k] = r[k].costUnperturbed;
      pert[k] = r[k].cost;
      it[k] = r[k].iterations;
      conv[k] = r[k].converged;
      stop[k] = MapMethod.reasonName(r[k].stopReason);
    }
    return Table.builder(MEMBERS).longs(MEMBER, idx).doubles(FINAL_COST, cost).doubles(PERTURBED_COST, pert)
        .longs(ITERATIONS, it).booleans(CONVERGED, conv).strings(STOP_REASON, stop).build();
  }

  private static Table traceTable(EnsembleResult[] r) {
    int rows = 0;
    for (EnsembleResult e : r) {
      rows += e.costTrace == null ? 0 : e.costTrace.length;
    }
    long[] member = new long[rows];
    long[] iter = new long[rows];
    double[] cost = new double[rows];
    int k = 0;
    for (EnsembleResult e : r) {
      for (int j = 0; e.costTrace != null && j < e.costTrace.length; j++) {
        member[k] = e.index;
        iter[k] = j;
        cost[k] = e.costTrace[j];
        k++;
      }
    }
    return Table.builder(COST_TRACE).longs(MEMBER, member).longs(ITERATION, iter).doubles(PERTURBED_COST, cost)
        .build();
  }
}
