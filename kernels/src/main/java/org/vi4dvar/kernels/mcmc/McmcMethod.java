package org.vi4dvar.kernels.mcmc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vi4dvar.kernels.config.McmcSettings;
import org.vi4dvar.kernels.diagnostics.ConvergenceSummary;
import org.vi4dvar.kernels.experiment.Experiment;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Method;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.Parallel.Part;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.experiment.Table;
import org.vi4dvar.kernels.experiment.TaskProgress;
import org.vi4dvar.kernels.map.FourDVarObjective;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * MCMC as a method of the experiment: the exact posterior, sampled by independent chains of a gradient-based
 * sampler ({@link McmcSampler}: NUTS, HMC or MALA) on the whitened target
 * <pre>
 *   f(v) = J(c_b + S v),   ∇_v f = Sᵀ ∇_c J        ({@link WhitenedTarget}; S the problem's control transform)
 * </pre>
 * <ul>
 *   <li><b>Chains are the units of work</b>: chain k is a pure function of (seed, k) — its random streams are
 *       {@code (seed, MCMC_CHAIN, 2k)} and {@code (…, 2k + 1)}, its start is candidate {@code k mod m} — so the
 *       draws do not depend on how chains are grouped into tasks, nor on retries.</li>
 *   <li><b>Starts</b>: the cascade's distinct MAP minima (lowest J first) whose J is within
 *       {@value #START_COST_GAP} of the lowest, else ABC's lowest-J trials, else the background, spread
 *       round-robin over the chains, so that the chains cover the basins the cascade found. A minimum more than
 *       {@value #START_COST_GAP} above the lowest has a density e^−10 ≈ 5·10⁻⁵ times the highest: its basin holds
 *       a negligible share of the mass unless it is e^10 times wider, and a chain started there (a local
 *       sampler does not leave a basin) would weight it like the main one in the pooled draws; such minima are
 *       counted in the diagnostics ({@code minima_left_out}).
 *       Multimodality is handled by these multiple starts, not by tempering: chains that stay in different basins
 *       make the rank-normalised split-R̂ (and the R̂ of f) exceed 1.01, which is reported as a warning — the
 *       honest answer when the chains cannot say how the mass is shared between basins (the pooled draws then
 *       weight the basins by their number of chains, not by their posterior mass).</li>
 *   <li><b>Preconditioning</b>: the Laplace covariance at MAP's lowest minimum, {@code Σ_v = H_v⁻¹} (its factor
 *       {@code L⁻ᵀ}, {@link Preconditioner#precision}) when MAP ran; else the control transform alone (the prior
 *       whitening, v ~ N(0, I)). Warm-up then adapts the step size by dual averaging and the metric in Stan's
 *       windows ({@code mcmc.metric}) on top of it.</li>
 *   <li><b>Posterior</b>: the chains' kept draws of c pooled into an {@link EmpiricalPosterior}
 *       ({@link Mcmc#combine}) with the diagnostics of Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner (2021):
 *       max rank-normalised split-R̂, min bulk and tail ESS, MCSE of mean and sd per component, acceptance,
 *       divergences; warnings (also as progress lines) when max R̂ &gt; 1.01 or min ESS &lt; 400.</li>
 * </ul>
 * Tables {@value #CHAINS} (one row per chain) and {@value #DIAGNOSTICS} (one row per component of the control;
 * x0 first).
 */
public final class McmcMethod implements Method {

  /** The method's name. */
  public static final String NAME = "mcmc";
  /** Table: one row per chain. */
  public static final String CHAINS = "chains";
  /** Table: one row per control component. */
  public static final String DIAGNOSTICS = "diagnostics";
  /** Column: chain index. */
  public static final String CHAIN = "chain";
  /** Column: the index of the chain's start among the candidates. */
  public static final String START = "start";
  /** Column: where the start came from: map-minimum, abc, background. */
  public static final String START_SOURCE = "start_source";
  /** Column: J at the start. */
  public static final String START_COST = "start_cost";
  /** Column: fraction of sampling iterations that moved. */
  public static final String ACCEPTANCE = "acceptance";
  /** Column: mean acceptance statistic (what warm-up steered to mcmc.target-accept). */
  public static final String ACCEPT_STAT = "accept_stat";
  /** Column: the adapted step size. */
  public static final String STEP_SIZE = "step_size";
  /** Column: divergent transitions after warm-up. */
  public static final String DIVERGENCES = "divergences";
  /** Column: mean leapfrog steps per iteration. */
  public static final String STEPS = "steps";
  /** Column: NUTS iterations that hit mcmc.max-depth. */
  public static final String MAX_DEPTH_HITS = "max_depth_hits";
  /** Column: gradient evaluations of the chain (warm-up and sampling). */
  public static final String GRADIENTS = "gradient_evaluations";
  /** Column: how the chain ended: completed, or completed-with-divergences. */
  public static final String STOP = "stop";
  /** Column of diagnostics: component index of the control. */
  public static final String COMPONENT = "component";
  /**
   * Column of diagnostics: the component's name ({@code FourDVarProblem.controlNames()}: {@code x0_<i>},
   * {@code eta_<t>_<i>}, the parameters' names).
   */
  public static final String COMPONENT_NAME = "name";

  /** Largest J above the lowest minimum of a minimum that starts chains (class comment). */
  public static final double START_COST_GAP = 10.0;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "MCMC (NUTS/HMC/MALA in the control variable), independent chains from the cascade's minima";
  }

  @Override
  public long tag() {
    return 6;
  }

  /** A chain's start, as chosen on the driver. */
  static final class Starts {
    final double[][] v;
    final int[] index;
    final String[] source;
    final int leftOut;

    Starts(double[][] v, int[] index, String[] source, int leftOut) {
      this.v = v;
      this.index = index;
      this.source = source;
      this.leftOut = leftOut;
    }
  }

  /**
   * The starts of the chains in v: chain k starts at candidate {@code k mod m} — the distinct MAP minima if
   * there are any, else ABC's lowest-J trials (as many as chains), else the background ({@code v = 0}).
   */
  static Starts starts(Experiment ex, int chains) {
    ControlTransform tr = ex.problem().control();
    final int n = tr.n();
    List<double[]> cand = new ArrayList<>();
    String src;
    int leftOut = 0;
    if (!ex.minima().isEmpty()) {
      org.vi4dvar.kernels.var.FourDVarCost cost = new org.vi4dvar.kernels.var.FourDVarCost(ex.problem());
      double lowest = cost.cost(ex.minima().get(0));
      for (double[] x : ex.minima()) {
        if (cost.cost(x) <= lowest + START_COST_GAP) {
          cand.add(x);
        } else {
          leftOut++;
        }
      }
      src = "map-minimum";
    } else if (!ex.abcStarts().isEmpty()) {
      for (int i = 0; i < chains && i < ex.abcStarts().size(); i++) {
        cand.add(ex.abcStarts().get(i));
      }
      src = "abc";
    } else {
      cand.add(tr.centerVector());
      src = "background";
    }
    double[][] v = new double[chains][n];
    int[] idx = new int[chains];
    String[] s = new String[chains];
    double[] scratch = new double[n];
    for (int k = 0; k < chains; k++) {
      idx[k] = k % cand.size();
      tr.toWhitened(cand.get(idx[k]), scratch, v[k]);
      s[k] = src;
    }
    return new Starts(v, idx, s, leftOut);
  }

  /** The preconditioner: the Laplace covariance in v when MAP ran, else the identity (the control transform). */
  static Preconditioner preconditioner(Experiment ex) {
    GaussianPosterior lap = ex.laplace();
    int n = ex.problem().controlDimension();
    if (lap != null && lap.dimension() == n && lap.transform() == ex.problem().control()) {
      return Preconditioner.of(lap);
    }
    return Preconditioner.identity(n);
  }

  @Override
  public MethodResult run(Experiment ex) {
    long t0 = System.nanoTime();
    final McmcSettings ms = ex.settings().mcmc();
    final McmcConfig cfg = ms.toConfig(ex.settings().seed());
    final FourDVarProblem p = ex.problem();
    final ControlTransform tr = p.control();
    final int chains = cfg.chains;
    final Starts st = starts(ex, chains);
    final Preconditioner pre = preconditioner(ex);
    final String preName = pre.kind == GaussianPosterior.Factor.IDENTITY ? "control-transform" : "laplace";
    final Shared<ExperimentInputs> inputs = ex.shared();
    ChainResult[] res = new ChainResult[chains];
    double[] startCost = new double[chains];
    try (Shared<ChainTask> shipped = ex.parallel().share(new ChainTask(cfg, pre, st.v))) {
      List<Part<ArrayList<ChainResult>>> parts = ex.parallel().run(
          Job.of(NAME, "mcmc: " + chains + " " + cfg.sampler.configName() + " chains of " + cfg.warmup + " + "
              + cfg.draws + "x" + cfg.thin + " iterations", "chains", 1), shipped, chains,
          (ChainTask t, long lo, long hi, TaskProgress progress) -> {
            FourDVarProblem prob = inputs.get().problem();
            WhitenedTarget f = new WhitenedTarget(new FourDVarObjective(new FourDVarCost(prob)), prob.control());
            ArrayList<ChainResult> out = new ArrayList<>();
            for (long k = lo; k < hi; k++) {
              // a new sampler per chain: nothing carries over from one chain to the next
              McmcSampler s = new McmcSampler(f, t.pre, t.cfg);
              out.add(s.run((int) k, t.starts[(int) k]));
              progress.add(1);
            }
            return out;
          });
      for (Part<ArrayList<ChainResult>> part : parts) {
        for (int i = 0; i < part.value.size(); i++) {
          res[(int) part.lo + i] = part.value.get(i);
        }
      }
    }
    FourDVarCost cost = new FourDVarCost(p);
    double[] c = new double[tr.n()];
    for (int k = 0; k < chains; k++) {
      tr.toControl(st.v[k], c);
      startCost[k] = cost.cost(c);
    }
    List<ChainResult> list = List.of(res);
    EmpiricalPosterior combined = Mcmc.combine(list, tr);
    ConvergenceSummary sum = Mcmc.summary(list, tr);
    Diagnostics d0 = combined.diagnostics();
    Diagnostics.Builder d = Diagnostics.builder(d0.objective).objective(d0.objectiveValue, d0.objectiveStdErr)
        .converged(d0.converged, d0.convergence);
    d0.counts.forEach(d::count);
    d0.extra.forEach(d::extra);
    d.extra("preconditioner", preName);
    d.extra("starts", distinct(st.index));
    d.extra("start_source", st.source[0]);
    d.extra("minima_left_out", st.leftOut);
    double meanAccept = 0;
    double meanStat = 0;
    for (ChainResult r : res) {
      meanAccept += r.acceptRate / chains;
      meanStat += r.meanAcceptStat / chains;
    }
    d.extra("acceptance", meanAccept);
    d.extra("accept_stat", meanStat);
    EmpiricalPosterior post = combined.withDiagnostics(d.build());
    double seconds = (System.nanoTime() - t0) * 1e-9;
    ex.progress(String.format(Locale.ROOT, "mcmc: %d %s chains (%s preconditioner, %d start(s) from %s) in %.2f s:"
        + " max R-hat %.4f, min ESS bulk %.0f tail %.0f, mean acceptance statistic %.2f (target %.2f), %d"
        + " divergences", chains, cfg.sampler.configName(), preName, distinct(st.index), st.source[0], seconds,
        sum.maxRhat(), sum.minEssBulk(), sum.minEssTail(), meanStat, cfg.targetAccept, d0.count("divergences")));
    @SuppressWarnings("unchecked")
    List<String> warnings = (List<String>) d0.extra.get("warnings");
    for (String w : warnings) {
      ex.progress("warning: mcmc: " + w);
    }
    List<Table> tables = List.of(chainTable(res, st, startCost), diagnosticsTable(sum, p.controlNames()));
    return MethodResult.of(NAME, post, tables, seconds);
  }

  private static int distinct(int[] idx) {
    return (int) java.util.Arrays.stream(idx).distinct().count();
  }

  /** What every chain task reads: the configuration, the preconditioner and the starts (in v). */
  public static final class ChainTask implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final McmcConfig cfg;
    final Preconditioner pre;
    final double[][] starts;

    /** The input of every chain task: the sampler settings, the preconditioner and the starts in v. */
    public ChainTask(McmcConfig cfg, Preconditioner pre, double[][] starts) {
      this.cfg = cfg;
      this.pre = pre;
      this.starts = starts;
    }
  }

  private static Table chainTable(ChainResult[] r, Starts st, double[] startCost) {
    int m = r.length;
    long[] chain = new long[m];
    long[] start = new long[m];
    double[] acc = new double[m];
    double[] stat = new double[m];
    double[] step = new double[m];
    long[] div = new long[m];
    double[] steps = new double[m];
    long[] depth = new long[m];
    long[] grads = new long[m];
    String[] stop = new String[m];
    for (int k = 0; k < m; k++) {
      chain[k] = r[k].chain;
      start[k] = st.index[k];
      acc[k] = r[k].acceptRate;
      stat[k] = r[k].meanAcceptStat;
      step[k] = r[k].stepSize;
      div[k] = r[k].divergences;
      steps[k] = r[k].meanSteps;
      depth[k] = r[k].maxDepthHits;
      grads[k] = r[k].gradientEvaluations;
      stop[k] = r[k].divergences > 0 ? "completed-with-divergences" : "completed";
    }
    return Table.builder(CHAINS).longs(CHAIN, chain).longs(START, start).strings(START_SOURCE, st.source.clone())
        .doubles(START_COST, startCost).doubles(ACCEPTANCE, acc).doubles(ACCEPT_STAT, stat)
        .doubles(STEP_SIZE, step).longs(DIVERGENCES, div).doubles(STEPS, steps).longs(MAX_DEPTH_HITS, depth)
        .longs(GRADIENTS, grads).strings(STOP, stop).build();
  }

  private static Table diagnosticsTable(ConvergenceSummary s, String[] names) {
    int n = s.rhat.length;
    long[] comp = new long[n];
    for (int i = 0; i < n; i++) {
      comp[i] = i;
    }
    return Table.builder(DIAGNOSTICS).longs(COMPONENT, comp).strings(COMPONENT_NAME, names.clone())
        .doubles("mean", s.mean.clone()).doubles("sd", s.sd.clone())
        .doubles("rhat", s.rhat.clone()).doubles("ess_bulk", s.essBulk.clone())
        .doubles("ess_tail", s.essTail.clone()).doubles("mcse_mean", s.mcseMean.clone())
        .doubles("mcse_std", s.mcseSd.clone()).build();
  }
}
