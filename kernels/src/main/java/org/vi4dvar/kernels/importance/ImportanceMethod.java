package org.vi4dvar.kernels.importance;

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
import org.vi4dvar.kernels.experiment.TaskProgress;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.var.FourDVarCost;

/**
 * The importance correction {@code <base>-is} of a method whose posterior q has a density (MAP's Laplace
 * approximation, VI): Pareto-smoothed importance sampling (PSIS; Vehtari, Simpson, Gelman, Yao &amp; Gabry 2024)
 * of the unnormalised posterior {@code exp(−J)} with q as the proposal,
 * <pre>
 *   c_i = draw i of q (i &lt; S = psis.draws),   log w_i = −J(c_i) − log q(c_i),
 *   w̃ = PSIS(w) (the M = ⌈min(0.2 S, 3√S)⌉ largest replaced by generalised-Pareto quantiles), normalised,
 *   E[g(c)] ≈ Σ w̃_i g(c_i)
 * </pre>
 * ({@link ImportancePosterior}). The draws are the units of work: each task computes the raw log weights of
 * its range (one forward run of the window per draw, no adjoint), which depend only on (q, i); the parts are
 * concatenated in index order and smoothed on the driver. Diagnostics: k̂ (objective {@code pareto-k}) with
 * its reliability — good when k̂ ≤ 0.5, usable up to min(0.7, 1 − 1/log₁₀ S), unreliable above (a warning:
 * neither the correction nor the method's q can be trusted there, q misses mass of the posterior) — the ESS of
 * the smoothed and raw weights, and the MCSE of the corrected mean and sd of every control component. Table
 * {@value #WEIGHTS}: draw, raw and smoothed log weight.
 */
public final class ImportanceMethod implements Method {

  /** Table of the weights. */
  public static final String WEIGHTS = "weights";
  /** Column: draw index of the proposal. */
  public static final String DRAW = "draw";
  /** Column: raw log weight {@code −J − log q}. */
  public static final String LOG_WEIGHT_RAW = "log_weight_raw";
  /** Column: normalised smoothed weight w̃ (they sum to 1). */
  public static final String WEIGHT = "weight";
  /** Draws per task (one forward run each: milliseconds per thousand on the talk's problem). */
  public static final long DRAWS_PER_TASK = 4096;

  private final String base;
  private final long tag;

  /**
   * @param base the corrected method ({@code map}, {@code vi})
   * @param tag the sample-stream tag (unique among methods; the draws themselves are the proposal's)
   */
  public ImportanceMethod(String base, long tag) {
    this.base = base;
    this.tag = tag;
  }

  @Override
  public String name() {
    return base + ExperimentSettings.IS_SUFFIX;
  }

  @Override
  public String description() {
    return "Pareto-smoothed importance correction of " + base + "'s posterior (PSIS), with k-hat";
  }

  @Override
  public long tag() {
    return tag;
  }

  /** The corrected method. */
  public String base() {
    return base;
  }

  @Override
  public MethodResult run(Experiment ex) {
    long t0 = System.nanoTime();
    final String name = name();
    Posterior q = ex.posterior(base);
    if (q == null) {
      throw new MethodUnavailable(name, base + " has no posterior to correct");
    }
    if (!q.hasDensity() || q.weighted()) {
      throw new MethodUnavailable(name, base + "'s posterior (" + q.family().configName() + ") "
          + (q.hasDensity() ? "has weighted draws" : "has no density") + ": no importance correction");
    }
    final int draws = ex.settings().psis().draws();
    final Shared<ExperimentInputs> inputs = ex.shared();
    double[] raw;
    try (Shared<Posterior> proposal = ex.parallel().share(q)) {
      List<Part<double[]>> parts = ex.parallel().run(
          Job.of(name, name + ": importance weights of " + draws + " draws of " + base, "draws", DRAWS_PER_TASK),
          proposal, draws, (Posterior prop, long lo, long hi, TaskProgress progress) -> {
            FourDVarCost cost = new FourDVarCost(inputs.get().problem());
            double[] w = ImportanceWeights.logWeights(prop, cost::cost, lo, hi);
            progress.add(hi - lo);
            return w;
          });
      List<double[]> values = new ArrayList<>();
      for (Part<double[]> p : parts) {
        values.add(p.value);
      }
      raw = ImportanceWeights.concat(values);
    }
    PsisResult psis;
    try {
      psis = Psis.smooth(raw);
    } catch (IllegalArgumentException e) {
      throw new MethodUnavailable(name, "the importance weights cannot be smoothed: " + e.getMessage());
    }
    if (psis.zeroWeights == draws) {
      throw new MethodUnavailable(name, "every one of the " + draws + " draws of " + base + " has density 0 "
          + "under exp(-J) (overflowing trajectories)");
    }
    ImportancePosterior post = corrected(q, psis, base);
    @SuppressWarnings("unchecked")
    List<String> warnings = (List<String>) post.diagnostics().extra.get("warnings");
    double seconds = (System.nanoTime() - t0) * 1e-9;
    ex.progress(String.format(Locale.ROOT, "%s: %d draws of %s in %.2f s, Pareto k-hat %s (%s), ESS %.0f",
        name, draws, base, seconds, khat(psis), psis.reliability.configName(), psis.ess));
    for (String w : warnings) {
      ex.progress("warning: " + name + ": " + w);
    }
    long[] idx = new long[draws];
    double[] w = new double[draws];
    for (int i = 0; i < draws; i++) {
      idx[i] = i;
      w[i] = psis.weight(i);
    }
    Table t = Table.builder(WEIGHTS).longs(DRAW, idx).doubles(LOG_WEIGHT_RAW, raw).doubles(WEIGHT, w).build();
    return MethodResult.of(name, post, List.of(t), seconds);
  }

  /**
   * The corrected posterior of {@code base}'s proposal q: {@link ImportancePosterior}'s diagnostics with the MCSE
   * of the corrected mean and sd of every control component ({@code mcse_mean}, {@code mcse_sd}) and
   * {@code warnings}: one sentence when k̂ is {@link Reliability#UNRELIABLE}, else none.
   *
   * @param q the proposal the weights were computed with
   * @param psis the smoothed weights of its first S draws
   * @param base the corrected method's name, as the warning names it
   */
  public static ImportancePosterior corrected(Posterior q, PsisResult psis, String base) {
    ImportancePosterior post = new ImportancePosterior(q, psis);
    double[][] mcse = post.mcse();
    Diagnostics d0 = post.diagnostics();
    List<String> warnings = new ArrayList<>();
    if (psis.reliability == Reliability.UNRELIABLE) {
      warnings.add(String.format(Locale.ROOT, "Pareto k-hat %s > %.2f: the importance correction is unreliable, "
          + "and so is %s's posterior (it misses posterior mass in its tails)", khat(psis), psis.threshold, base));
    }
    Diagnostics.Builder d = Diagnostics.builder(d0.objective).objective(d0.objectiveValue, d0.objectiveStdErr)
        .converged(d0.converged, d0.convergence);
    d0.counts.forEach(d::count);
    d0.extra.forEach(d::extra);
    d.extra("mcse_mean", list(mcse[0])).extra("mcse_sd", list(mcse[1])).extra("warnings", warnings);
    return post.withDiagnostics(d.build());
  }

  private static List<Double> list(double[] a) {
    List<Double> l = new ArrayList<>(a.length);
    for (double v : a) {
      l.add(v);
    }
    return l;
  }

  /** k̂ for messages: {@code 0.738}, or {@code Infinity (degenerate weights: ...)} with how it came about. */
  static String khat(PsisResult psis) {
    return Double.isFinite(psis.k) ? String.format(Locale.ROOT, "%.3f", psis.k)
        : psis.k + " (" + psis.fit.description() + ")";
  }
}
