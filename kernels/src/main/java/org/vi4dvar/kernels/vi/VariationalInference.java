package org.vi4dvar.kernels.vi;

import java.util.Arrays;
import org.vi4dvar.kernels.flow.AffineMap;
import org.vi4dvar.kernels.flow.CouplingFlow;
import org.vi4dvar.kernels.flow.FlowPosterior;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.GaussianPosterior.Factor;
import org.vi4dvar.kernels.posterior.MixturePosterior;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.ControlTransform;

/**
 * VI-4D-Var that reaches the optimum of its family (issue 12 §2, issue 14): maximise
 * <pre>
 *   ELBO(q) = E_q[−J(c)] + H_c(q) = E_q[−f(v)] + H_v(q) + log|det S|,    f(v) = J(c_b + S v),   c = c_b + S v
 * </pre>
 * over q in the whitened control v — mean-field, full-rank, a normalizing flow or a Gaussian mixture
 * ({@link VariationalFamily}) — by stochastic gradient ascent:
 * <ul>
 *   <li><b>Preconditioned parameters.</b> q is held relative to the start, {@code v = μ0 + P w} ({@link ViStart}):
 *       at θ = 0 it is the start's Gaussian, and the parameters are in units of the start's scale. With the
 *       Laplace/Gauss–Newton curvature as the start, the target is ≈ N(0, I) in w whatever the physical scales —
 *       the ill-conditioning that defeated the talk's Adam (issue 12) is gone before the first step.</li>
 *   <li><b>Gradient estimator.</b> "Sticking the landing" ({@link GradientEstimator#PATH}, Roeder, Wu &amp;
 *       Duvenaud 2017): its variance vanishes when q equals a Gaussian posterior, so the iterates settle instead of
 *       jittering; the samples of a step come in antithetic pairs (ε, −ε), which cancel the part of the noise
 *       linear in ε (all of the mean's gradient noise on a Gaussian target, which mean field otherwise keeps).</li>
 *   <li><b>Step sizes.</b> Adam (Kingma &amp; Ba 2015) with a warm-up, then plateau levels
 *       ({@link LearningRateSchedule}: lr0 · γ^j, the level j raised when the ELBO is flat at the current rate —
 *       why not a decay fixed in advance is said there). At level 0 the parameters are recentred on the current
 *       fit at every window, and at each new level on the level's average, so the rate is in units of the current
 *       posterior scale, whatever the start's. The strict lower triangle of a full-rank factor steps by
 *       {@code lr/√i} in row i ({@link CouplingFlow#stepScales}), so that a step moves every row of the factor
 *       by ~lr whatever n: without it Adam's per-coordinate steps add up along the rows, and full-rank VI
 *       diverged at the default rate for n ≳ 100 (a weak-constraint control).</li>
 *   <li><b>Averaging.</b> The reported parameters are the average of the last level's iterates (Polyak &amp;
 *       Juditsky 1992): their error is the gradient noise over √(iterations averaged), at least
 *       {@code vi.average-windows} windows.</li>
 *   <li><b>Convergence test.</b> {@link ElboConvergenceTest}: stop when, at the last level, the mean ELBO estimate
 *       of the last window differs from the previous window's by less than its Monte Carlo standard error
 *       ({@code converged}), else at the iteration limit ({@code iteration-limit}); a non-finite value stops the run
 *       at the last finite parameters ({@code diverged}, ELBO −∞).</li>
 *   <li><b>Final ELBO</b> from M fresh draws, with its standard error, in the convention over c.</li>
 * </ul>
 * Flow runs ({@link #run} with family FLOW) first fit the full-rank Gaussian from the start, then a
 * {@link CouplingFlow} placed on it ({@code v = μ_G + L_G T_θ(z)}, T the identity at the start), with the same
 * optimiser and test; {@link #runFlow} starts the flow stage from a Gaussian solution given by the caller.
 * A flow whose final ELBO is significantly below its Gaussian's is reverted to the Gaussian (the identity flow) and
 * says so ({@code flow_reverted} in the diagnostics): the flow family contains the Gaussian, so it never reports
 * less; so is a flow stage that diverges ({@code flow_diverged} too), the restart then being its Gaussian stage's
 * result and stop reason. Mixtures ({@link #runMixture}) start one component at each given start, with equal weights.
 *
 * <p><b>Determinism.</b> A run is a pure function of (config, f, S, restart r, start): every random number comes
 * from the stream {@code (seed, VI_RESTART, r)}, in this order: n Gaussians of start jitter (only when
 * {@code jitter > 0} and r &gt; 0); for a flow, the Gaussian stage (its iterations and final draws), then the
 * flow's initial weights; S·n Gaussians per iteration (S/2·n with antithetic pairs; per component for a
 * mixture); n per final draw (for {@link #runFlow}, then M·n more for the Gaussian's ELBO).
 *
 * <p><b>How to tell it worked:</b> {@link VariationalResult#stopReason} (class comment there). The defaults of
 * {@link VariationalConfig} converge on the talk's data and on linear-Gaussian problems for both Gaussian families.
 *
 * <p>Not thread-safe: it owns the objectives, Adam's moments and the workspaces, all allocated in the constructor
 * (a mixture's on the first {@link #runMixture} with a given K); an iteration allocates nothing, a run only its
 * result. One per task; f must be one instance per task too.
 */
public final class VariationalInference {

  /** What {@code converged} means, for {@link Diagnostics}. */
  public static final String CONVERGENCE_MEANING = "at the smallest step size, the mean ELBO estimate of the last "
      + "window of iterations differed from the previous window's by less than the Monte Carlo standard error of "
      + "that difference, with the reported parameters averaged over at least vi.average-windows windows";

  private final DifferentiableFunction f;
  private final ControlTransform s;
  private final VariationalConfig c;
  private final int n;
  private final FlowObjective meanField;
  private final FlowObjective fullRank;
  private final FlowObjective flowObjective;
  private MixtureObjective mixture;
  private double[] theta;
  private double[] grad;
  private double[] prev;
  private double[] mom1;
  private double[] mom2;
  private double[] sum;
  private double[] avg;
  private double[] stepScale;
  private final double[] trace;
  private final ElboConvergenceTest gaussianTest;
  private final ElboConvergenceTest flowTest;
  private ElboConvergenceTest test;
  private int window;
  private final double[] est = new double[2];

  /**
   * @param f the target {@code f(v) = J(c_b + S v)} (−log posterior in v up to a constant)
   * @param s the control transform (its {@code log|det S|} converts the ELBO to the convention over c, and its
   *     affine map gives the posterior over c)
   * @param config the settings
   */
  public VariationalInference(DifferentiableFunction f, ControlTransform s, VariationalConfig config) {
    if (f.dimension() != s.n()) {
      throw new IllegalArgumentException("f has dimension " + f.dimension() + " but the transform " + s.n());
    }
    this.f = f;
    this.s = s;
    this.c = config;
    this.n = s.n();
    final int spp = config.samplesPerStep;
    this.meanField = new FlowObjective(f, new CouplingFlow(n, 0, 0, true), spp, config.estimator,
        config.antithetic);
    this.fullRank = new FlowObjective(f, new CouplingFlow(n, 0, 0, false), spp, config.estimator,
        config.antithetic);
    this.flowObjective = config.family == VariationalFamily.FLOW
        ? new FlowObjective(f, new CouplingFlow(n, config.flowLayers, config.flowHidden, false), spp,
            config.estimator, config.antithetic)
        : null;
    int np = fullRank.parameterCount();
    if (flowObjective != null) {
      np = Math.max(np, flowObjective.parameterCount());
    }
    if (config.family == VariationalFamily.MIXTURE) {
      mixture = newMixture(config.mixtureComponents);
      np = Math.max(np, mixture.parameterCount());
    }
    allocate(np);
    this.trace = config.recordTrace ? new double[2 * config.maxIterations] : null;
    this.gaussianTest = new ElboConvergenceTest(config.window);
    this.flowTest = new ElboConvergenceTest(config.flowWindow);
  }

  private MixtureObjective newMixture(int k) {
    return new MixtureObjective(f, new CouplingFlow(n, 0, 0, c.mixtureFamily == VariationalFamily.MEAN_FIELD), k,
        c.samplesPerStep, c.antithetic);
  }

  private void allocate(int np) {
    theta = new double[np];
    grad = new double[np];
    prev = new double[np];
    mom1 = new double[np];
    mom2 = new double[np];
    sum = new double[np];
    avg = new double[np];
    stepScale = new double[np];
  }

  /** The configuration. */
  public VariationalConfig config() {
    return c;
  }

  /** The dimension n of v. */
  public int dimension() {
    return n;
  }

  /**
   * One restart of the configured family (MEAN_FIELD, FULL_RANK or FLOW) from {@code start}.
   *
   * @throws IllegalArgumentException for MIXTURE (use {@link #runMixture}) or a start of another dimension
   */
  public VariationalResult run(long restart, ViStart start) {
    requireStart(start);
    RandomStream rng = RandomStream.of(c.seed, Domain.VI_RESTART, restart);
    ViStart st = jittered(start, restart, rng);
    switch (c.family) {
      case MEAN_FIELD:
        return gaussianRun(restart, st, meanField, rng, VariationalFamily.MEAN_FIELD);
      case FULL_RANK:
        return gaussianRun(restart, st, fullRank, rng, VariationalFamily.FULL_RANK);
      case FLOW: {
        VariationalResult g = gaussianRun(restart, st, fullRank, rng, VariationalFamily.FULL_RANK);
        if (g.diverged()) {
          return new VariationalResult(restart, VariationalFamily.FLOW, ViStopReason.DIVERGED, g.iterations,
              g.iterations, g.elboTrace, Double.NEGATIVE_INFINITY, 0.0, g.logDetS, c.finalSamples, g.posterior,
              g.diagnostics);
        }
        ViStart gs = ViStart.of(g.gaussian());
        return flowStage(restart, gs, rng, g);
      }
      default:
        throw new IllegalArgumentException("family " + c.family.configName() + ": use runMixture");
    }
  }

  /**
   * The flow stage alone, from a Gaussian solution (e.g. {@code ViStart.of(fullRankResult.gaussian())}): the
   * flow is placed on the start's Gaussian ({@code v = μ0 + P T_θ(z)}, T the identity at the start).
   *
   * @throws IllegalStateException if the configured family is not FLOW
   */
  public VariationalResult runFlow(long restart, ViStart gaussian) {
    if (flowObjective == null) {
      throw new IllegalStateException("runFlow needs vi.family = flow, got " + c.family.configName());
    }
    requireStart(gaussian);
    RandomStream rng = RandomStream.of(c.seed, Domain.VI_RESTART, restart);
    return flowStage(restart, gaussian, rng, null);
  }

  /**
   * A Gaussian mixture with one component per start (K = {@code starts.length}; the caller passes
   * {@code vi.mixture.components} distinct starts), equal initial weights, components of
   * {@link VariationalConfig#mixtureFamily}.
   */
  public VariationalResult runMixture(long restart, ViStart[] starts) {
    if (starts.length < 1) {
      throw new IllegalArgumentException("a mixture needs at least one start");
    }
    for (ViStart st : starts) {
      requireStart(st);
    }
    final int k = starts.length;
    if (mixture == null || mixture.components() != k) {
      mixture = newMixture(k);
      if (mixture.parameterCount() > theta.length) {
        allocate(mixture.parameterCount());
      }
    }
    RandomStream rng = RandomStream.of(c.seed, Domain.VI_RESTART, restart);
    final boolean diag = c.mixtureFamily == VariationalFamily.MEAN_FIELD;
    for (int j = 0; j < k; j++) {
      mixture.setBase(j, starts[j].preconditioner(diag));
    }
    final int np = mixture.parameterCount();
    Arrays.fill(theta, 0, np, 0.0);
    Stage st = optimise(mixture, rng, 0, false);
    int bad = 0;
    double elboV = Double.NEGATIVE_INFINITY;
    double se = 0.0;
    ViStopReason stop = st.stop;
    if (stop != ViStopReason.DIVERGED) {
      bad = mixture.finalEstimate(theta, rng, c.finalSamples, est);
      if (bad > 0) {
        stop = ViStopReason.DIVERGED;
      } else {
        elboV = est[0];
        se = est[1];
      }
    }
    double[] weights = new double[k];
    mixture.softmax(theta, weights);
    Diagnostics.Builder d = diagnostics(restart, VariationalFamily.MIXTURE, stop, st, elboV, se, bad);
    java.util.List<Double> wl = new java.util.ArrayList<>();
    for (double w : weights) {
      wl.add(w);
    }
    d.extra("mixture_weights", wl).extra("mixture_family", c.mixtureFamily.configName());
    Diagnostics diagnostics = d.build();
    Posterior post = null;
    GaussianPosterior[] comps = new GaussianPosterior[k];
    boolean ok = allFinite(weights, k);
    double[] th = new double[mixture.flow().parameterCount()];
    for (int j = 0; j < k && ok; j++) {
      System.arraycopy(theta, mixture.offset(j), th, 0, th.length);
      comps[j] = gaussianPosterior(mixture.flow(), mixture.base(j), th, Diagnostics.none());
      ok = comps[j] != null;
    }
    if (ok) {
      post = new MixturePosterior(comps, weights, c.seed, c.tag, diagnostics);
    }
    return result(restart, VariationalFamily.MIXTURE, stop, st.iterations, 0, elboV, se, post, diagnostics);
  }

  // ----------------------------------------------------------------------------------------------------------

  private void requireStart(ViStart st) {
    if (st.dimension() != n) {
      throw new IllegalArgumentException("the start has dimension " + st.dimension() + ", expected " + n);
    }
  }

  private ViStart jittered(ViStart st, long restart, RandomStream rng) {
    if (!(c.jitter > 0) || restart == 0) {
      return st;
    }
    double[] mu = st.mean();
    for (int i = 0; i < n; i++) {
      mu[i] += c.jitter * rng.nextGaussian();
    }
    return st.withMean(mu);
  }

  private VariationalResult gaussianRun(long restart, ViStart start, FlowObjective obj, RandomStream rng,
      VariationalFamily family) {
    final boolean diag = family == VariationalFamily.MEAN_FIELD;
    obj.setBase(start.preconditioner(diag));
    final int np = obj.parameterCount();
    Arrays.fill(theta, 0, np, 0.0);
    Stage st = optimise(obj, rng, 0, false);
    return finish(restart, family, obj, rng, st, 0, null);
  }

  private VariationalResult flowStage(long restart, ViStart gaussian, RandomStream rng, VariationalResult stage1) {
    final FlowObjective obj = flowObjective;
    obj.setBase(gaussian.preconditioner(false));
    final int np = obj.parameterCount();
    obj.flow().initialise(theta, rng, 1.0);
    double[] identity = Arrays.copyOf(theta, np); // the flow at the Gaussian solution
    final int offset = stage1 == null ? 0 : stage1.iterations;
    Stage st = optimise(obj, rng, offset, true);
    return finish(restart, VariationalFamily.FLOW, obj, rng, st, offset, stage1, identity);
  }

  private VariationalResult finish(long restart, VariationalFamily family, FlowObjective obj, RandomStream rng,
      Stage st, int offset, VariationalResult stage1) {
    return finish(restart, family, obj, rng, st, offset, stage1, null);
  }

  /**
   * The final estimate and the result. For a flow ({@code identity} = its parameters at the Gaussian solution):
   * if its final ELBO is below the Gaussian's by more than 3 combined standard errors, the flow is reverted to the
   * identity — the Gaussian solution, which it contains — and says so ({@code flow_reverted}); the Gaussian's
   * ELBO is the stage-1 one, or (for {@link #runFlow}) estimated after the flow's from M more draws.
   */
  private VariationalResult finish(long restart, VariationalFamily family, FlowObjective obj, RandomStream rng,
      Stage st, int offset, VariationalResult stage1, double[] identity) {
    final int np = obj.parameterCount();
    ViStopReason stop = st.stop;
    int bad = 0;
    double elboV = Double.NEGATIVE_INFINITY;
    double se = 0.0;
    if (stop != ViStopReason.DIVERGED) {
      bad = obj.finalEstimate(theta, rng, c.finalSamples, est);
      if (bad > 0) {
        stop = ViStopReason.DIVERGED;
      } else {
        elboV = est[0];
        se = est[1];
      }
    }
    boolean reverted = false;
    boolean flowDiverged = false;
    double gaussElboV = Double.NaN;
    double gaussSe = Double.NaN;
    if (identity != null && stop == ViStopReason.DIVERGED && stage1 != null && !stage1.diverged()) {
      // the flow stage diverged (e.g. a coupling layer's scale overflowing in a large control): what this
      // restart found is the Gaussian solution the flow started from, its identity — reported as such
      System.arraycopy(identity, 0, theta, 0, np);
      elboV = stage1.elbo - stage1.logDetS;
      se = stage1.elboStdErr;
      gaussElboV = elboV;
      gaussSe = se;
      stop = stage1.stopReason;
      reverted = true;
      flowDiverged = true;
    } else if (identity != null && stop != ViStopReason.DIVERGED) {
      if (stage1 != null) {
        gaussElboV = stage1.elbo - stage1.logDetS;
        gaussSe = stage1.elboStdErr;
      } else if (obj.finalEstimate(identity, rng, c.finalSamples, est) == 0) {
        gaussElboV = est[0];
        gaussSe = est[1];
      }
      if (Double.isFinite(gaussElboV) && elboV < gaussElboV - 3 * Math.hypot(se, gaussSe)) {
        System.arraycopy(identity, 0, theta, 0, np);
        elboV = gaussElboV;
        se = gaussSe;
        reverted = true;
      }
    }
    Diagnostics.Builder d = diagnostics(restart, family, stop, st, elboV, se, bad);
    if (stage1 != null) {
      d.count("gaussian_iterations", stage1.iterations)
          .extra("gaussian_stop_reason", stage1.stopReason.configName());
    }
    if (family == VariationalFamily.FLOW) {
      putFinite(d, "gaussian_elbo", gaussElboV + s.logDet());
      putFinite(d, "gaussian_elbo_stderr", gaussSe);
      d.extra("flow_layers", obj.flow().layers()).extra("flow_hidden", obj.flow().hidden())
          .extra("flow_reverted", reverted).extra("flow_diverged", flowDiverged);
    }
    Diagnostics diagnostics = d.build();
    double[] th = Arrays.copyOf(theta, np);
    Posterior post;
    if (family == VariationalFamily.FLOW) {
      post = allFinite(th, np) ? new FlowPosterior(s, obj.base(), obj.flow(), th, c.seed, c.tag, diagnostics) : null;
    } else {
      post = gaussianPosterior(obj.flow(), obj.base(), th, diagnostics);
    }
    int total = offset + st.iterations;
    return result(restart, family, stop, total, stage1 == null ? 0 : stage1.iterations, elboV, se, post,
        diagnostics);
  }

  private VariationalResult result(long restart, VariationalFamily family, ViStopReason stop, int iterations,
      int gaussianIterations, double elboV, double se, Posterior post, Diagnostics diagnostics) {
    final double logDetS = s.logDet();
    double[] tr = trace == null ? null : Arrays.copyOf(trace, iterations);
    double elbo = stop == ViStopReason.DIVERGED ? Double.NEGATIVE_INFINITY : elboV + logDetS;
    double err = stop == ViStopReason.DIVERGED ? 0.0 : se;
    return new VariationalResult(restart, family, stop, iterations, gaussianIterations, tr, elbo, err, logDetS,
        c.finalSamples, post, diagnostics);
  }

  private Diagnostics.Builder diagnostics(long restart, VariationalFamily family, ViStopReason stop, Stage st,
      double elboV, double se, int bad) {
    final boolean div = stop == ViStopReason.DIVERGED;
    Diagnostics.Builder d = Diagnostics.builder("ELBO")
        .objective(div ? Double.NEGATIVE_INFINITY : elboV + s.logDet(), div ? 0.0 : se)
        .converged(stop == ViStopReason.CONVERGED, CONVERGENCE_MEANING)
        .count("iterations", st.iterations)
        .count("samples_per_step", c.samplesPerStep)
        .count("final_samples", c.finalSamples)
        .count("final_nonfinite", bad)
        .count("diverged", div ? 1 : 0)
        .stopReason(stop.configName())
        .extra("family", family.configName())
        .extra("restart", restart)
        .extra("estimator", c.estimator.configName())
        .extra("schedule", (family == VariationalFamily.FLOW ? c.flowSchedule : c.schedule).toString())
        .extra("window", st.window)
        .extra("log_det_s", s.logDet());
    putFinite(d, "elbo_whitened", elboV);
    putFinite(d, "last_window_change", st.change);
    putFinite(d, "last_window_change_stderr", st.changeStdErr);
    putFinite(d, "final_learning_rate", st.lastRate);
    d.count("plateau_level", st.level).count("averaged_iterations", (long) st.averagedWindows * st.window);
    return d;
  }

  private static void putFinite(Diagnostics.Builder d, String key, double v) {
    if (Double.isFinite(v)) {
      d.extra(key, v);
    }
  }

  /** The Gaussian of a flow with no coupling layer: {@code μ_v = μ0 + P m}, σ_v = p ⊙ e^ρ or L_v = P F. */
  private GaussianPosterior gaussianPosterior(CouplingFlow flow, AffineMap base, double[] th, Diagnostics d) {
    AffineMap g = FlowObjective.recentred(base, flow, th, 0);
    if (g == null) {
      return null;
    }
    double[] mean = new double[n];
    s.toControl(g.shift(), mean);
    if (!allFinite(mean, n)) {
      return null;
    }
    return new GaussianPosterior(mean, s, flow.isDiagonal() ? Factor.DIAGONAL : Factor.LOWER, g.factor(), c.seed,
        c.tag, d);
  }

  // ----------------------------------------------------------------------------------------------------------
  // the optimiser

  /** How one stage of optimisation ended. */
  private static final class Stage {
    int iterations;
    ViStopReason stop;
    int level;
    int averagedWindows;
    int window;
    double change = Double.NaN;
    double changeStdErr = Double.NaN;
    double lastRate = Double.NaN;
  }

  /**
   * Adam ascent on {@code obj} from {@link #theta} (in place): records the ELBO_c trace from {@code traceOffset},
   * runs the convergence test, the iterate averaging and the plateau levels.
   * <ul>
   *   <li>Level 0 (when it is not the last: PLATEAU with J ≥ 1) follows the fit (Gaussian families and
   *       mixtures): at every window's end the coordinates are recentred on the current iterate, and Adam's
   *       moments restart.</li>
   *   <li>Averaging (Polyak &amp; Juditsky 1992): within a level, the iterates of every window after the first
   *       (burn-in) are summed; a window whose ELBO moved significantly from the previous one ({@code |Δ| > 3
   *       se(Δ)}: still travelling) restarts the sum from itself. The level's average is that sum's mean: its
   *       error is the gradient noise over √(iterations averaged) whatever the rate.</li>
   *   <li>At a plateau below the last level (the test passes), θ becomes the level's average, the objective is
   *       recentred on it ({@link StochasticObjective#recenter}), Adam's moments and the test restart and the
   *       rate drops by γ.</li>
   *   <li>At the last level the run has converged when the test passes with at least {@code averageWindows}
   *       windows in the average.</li>
   * </ul>
   * On return {@link #theta} holds the result: the last level's average (when averaging and it has a window),
   * else the last iterate; the last finite iterate when diverged.
   */
  private Stage optimise(StochasticObjective obj, RandomStream rng, int traceOffset, boolean flowStage) {
    final LearningRateSchedule sched = flowStage ? c.flowSchedule : c.schedule;
    test = flowStage ? flowTest : gaussianTest;
    window = test.window();
    final int np = obj.parameterCount();
    final double b1 = c.beta1;
    final double b2 = c.beta2;
    final double a1 = 1.0 - b1;
    final double a2 = 1.0 - b2;
    final double eps = c.epsilon;
    final double logDetS = s.logDet();
    final boolean averaging = c.average;
    Arrays.fill(mom1, 0, np, 0.0);
    Arrays.fill(mom2, 0, np, 0.0);
    Arrays.fill(sum, 0, np, 0.0);
    Arrays.fill(avg, 0, np, 0.0);
    obj.stepScales(stepScale);
    test.reset();
    double b1t = 1.0;
    double b2t = 1.0;
    int level = 0;
    int windowsInLevel = 0;
    int averaged = 0;
    Stage st = new Stage();
    st.stop = ViStopReason.ITERATION_LIMIT;
    int k = 0;
    for (; k < c.maxIterations; k++) {
      double e = obj.estimate(theta, rng, grad);
      if (!Double.isFinite(e) || !allFinite(grad, np)) {
        st.stop = ViStopReason.DIVERGED;
        break;
      }
      if (trace != null) {
        trace[traceOffset + k] = e + logDetS;
      }
      if (averaging) {
        for (int p = 0; p < np; p++) {
          sum[p] += theta[p];
        }
      }
      boolean passed = test.add(e);
      final boolean closed = test.windowClosed();
      final boolean follow = level == 0 && level < sched.levels && obj.canRecenter();
      if (closed) {
        windowsInLevel++;
        st.change = test.lastChange();
        st.changeStdErr = test.lastStdErr();
        if (follow) {
          // level 0 follows the fit: only this window's iterates are in these coordinates
          System.arraycopy(sum, 0, avg, 0, np);
          averaged = 1;
        } else if (averaging && windowsInLevel > 1) {
          boolean moving = Math.abs(st.change) > 3 * test.lastTolerance();
          if (moving || averaged == 0) {
            System.arraycopy(sum, 0, avg, 0, np);
            averaged = 1;
          } else {
            for (int p = 0; p < np; p++) {
              avg[p] += sum[p];
            }
            averaged++;
          }
        }
        Arrays.fill(sum, 0, np, 0.0);
      }
      if (passed) {
        if (level >= sched.levels) {
          if (!averaging || averaged >= c.averageWindows) {
            st.stop = ViStopReason.CONVERGED;
            k++;
            break;
          }
        } else {
          // a plateau: next level, from the level's average, in coordinates recentred on it
          level++;
          if ((averaging || follow) && averaged > 0) {
            levelAverage(np, averaged);
          }
          obj.recenter(theta);
          Arrays.fill(mom1, 0, np, 0.0);
          Arrays.fill(mom2, 0, np, 0.0);
          Arrays.fill(sum, 0, np, 0.0);
          Arrays.fill(avg, 0, np, 0.0);
          b1t = 1.0;
          b2t = 1.0;
          test.reset();
          windowsInLevel = 0;
          averaged = 0;
          continue;
        }
      } else if (closed && follow && obj.recenter(theta)) {
        // level 0: coordinates recentred on the current iterate at every window, so that lr0 is in units of the
        // current fit's scale, not of a poor start's (a tenth of the prior on the talk's data made Adam at
        // lr0 = 0.05 oscillate for 10⁴ iterations without this)
        Arrays.fill(mom1, 0, np, 0.0);
        Arrays.fill(mom2, 0, np, 0.0);
        b1t = 1.0;
        b2t = 1.0;
        continue;
      }
      // Adam step
      b1t *= b1;
      b2t *= b2;
      final double bc1 = 1.0 - b1t;
      final double bc2 = 1.0 - b2t;
      final double lr = sched.rate(k + 1, level);
      st.lastRate = lr;
      System.arraycopy(theta, 0, prev, 0, np);
      for (int p = 0; p < np; p++) {
        final double g = grad[p];
        final double m = b1 * mom1[p] + a1 * g;
        final double v = b2 * mom2[p] + a2 * g * g;
        mom1[p] = m;
        mom2[p] = v;
        theta[p] -= stepScale[p] * lr * (m / bc1) / (Math.sqrt(v / bc2) + eps);
      }
      if (!allFinite(theta, np)) {
        System.arraycopy(prev, 0, theta, 0, np);
        st.stop = ViStopReason.DIVERGED;
        k++;
        break;
      }
    }
    st.iterations = k;
    st.level = level;
    st.averagedWindows = averaged;
    st.window = window;
    if (st.stop != ViStopReason.DIVERGED && averaging && averaged > 0) {
      levelAverage(np, averaged);
    }
    return st;
  }

  /** θ = the mean of the averaged windows' iterates. */
  private void levelAverage(int np, int windows) {
    final double inv = 1.0 / ((double) windows * window);
    for (int p = 0; p < np; p++) {
      theta[p] = avg[p] * inv;
    }
  }

  private static boolean allFinite(double[] a, int len) {
    for (int i = 0; i < len; i++) {
      if (!Double.isFinite(a[i])) {
        return false;
      }
    }
    return true;
  }
}
