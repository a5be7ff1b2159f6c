package org.vi4dvar.kernels.mcmc;

import java.util.Arrays;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

/**
 * Runs one MCMC chain on a target given as {@code f(v) = −log π(v) + const} with its gradient (the 4D-Var cost
 * in the whitened control, {@link WhitenedTarget}), preconditioned by a covariance factor C of v
 * ({@link Preconditioner}): the chain moves in {@code u = C⁻¹ v}, with the metric adapted on top of C in warm-up.
 *
 * <p><b>Transitions</b> (in u, identity mass; {@code g_u = Cᵀ ∇f}; see the package comment for the choice):
 * <pre>
 *   MALA   v' = v + C (−(ε²/2) g_u + ε z),  z ~ N(0, I);  accept with
 *          min(1, exp(f(v) − f(v') − ½‖z_rev‖² + ½‖z‖²)),  z_rev = (ε/2)(g_u + g_u') − z
 *   HMC    p ~ N(0, I); L = round(T·U(0.5, 1.5)/ε) leapfrog steps (capped at 2^maxDepth)
 *            p −= (ε/2) g_u;  v += ε C p;  p −= (ε/2) g_u(v)
 *          accept the end point with min(1, exp(H₀ − H)),  H = f(v) + ½‖p‖²
 *   NUTS   Stan's multinomial no-U-turn sampler: the trajectory doubles in a random direction until the
 *          generalised U-turn criterion  p_−·ρ &gt; 0 and p_+·ρ &gt; 0  (ρ = Σ p over the trajectory) fails for the
 *          whole trajectory, a subtree, or a subtree extended by the neighbouring point, or the depth limit is
 *          reached; the next state is drawn from the trajectory with weights exp(−H) (uniform within subtrees,
 *          biased towards the new subtree between them)
 * </pre>
 * (Roberts &amp; Tweedie 1996; Neal 2011; Hoffman &amp; Gelman 2014; Betancourt 2017, "A conceptual introduction to
 * Hamiltonian Monte Carlo", appendix A.) A leapfrog step or proposal that meets a non-finite f or ∇f ends the
 * trajectory and is rejected — the value never propagates into the state; so is an energy error
 * {@code H − H₀ &gt;} {@link #MAX_ENERGY_ERROR} (a divergence).
 *
 * <p><b>Warm-up</b> ({@code mcmc.warmup} iterations, not kept), as Stan's: dual averaging of log ε (Nesterov 2009;
 * Hoffman &amp; Gelman 2014, §3.2; γ = 0.05, t₀ = 10, κ = 0.75, μ = log 10ε₀) towards the target acceptance
 * statistic, after an initial search that doubles or halves ε until one step's acceptance crosses 0.8; metric
 * adaptation ({@link MetricAdaptation}) in windows of 25, 50, 100, … iterations between an initial buffer of 75 and
 * a final one of 50 (15 %/75 %/10 % of the warm-up when it is shorter than 150; none below 20 iterations): at the
 * end of each window the covariance Σ̂ of the window's states in the preconditioner's coordinates, shrunk as
 * {@code (N/(N+5)) Σ̂ + 10⁻³ (5/(N+5)) I}, becomes the metric (its diagonal or Cholesky factor), then ε is searched
 * again and dual averaging restarts. At the end the averaged iterate exp(log ε̄) is frozen with the metric.
 *
 * <p><b>Determinism.</b> A chain is a pure function of (config, chain index, start, f, preconditioner): warm-up draws
 * from {@code RandomStream(seed, MCMC_CHAIN, 2·chain)} and sampling from {@code (seed, MCMC_CHAIN, 2·chain + 1)},
 * so chains can run in any order, on any executor, and a retried task repeats its chain bit for bit.
 *
 * <p>Holds workspaces; not thread-safe (one per task or thread); it may run any number of chains in sequence.
 */
public final class McmcSampler {

  /** Energy error above which a trajectory diverges (Stan's {@code max_deltaH}). */
  public static final double MAX_ENERGY_ERROR = 1000.0;
  /** Dual-averaging parameters (Hoffman &amp; Gelman 2014, §3.2; Stan's defaults). */
  static final double DA_GAMMA = 0.05;
  static final double DA_T0 = 10.0;
  static final double DA_KAPPA = 0.75;
  /** Stan's warm-up windows. */
  static final int INIT_BUFFER = 75;
  static final int TERM_BUFFER = 50;
  static final int BASE_WINDOW = 25;
  /** Shrinkage of the window covariance: N/(N + 5) towards 10⁻³ I (Stan). */
  static final double SHRINK_N = 5.0;
  static final double SHRINK_TARGET = 1e-3;
  /** The step-size search's acceptance level (Stan's {@code init_stepsize}: log 0.8). */
  static final double SEARCH_LOG_ACCEPT = Math.log(0.8);
  /** Bounds of the step-size search. */
  static final double MIN_STEP = 1e-12;
  static final double MAX_STEP = 1e7;
  static final int MAX_SEARCH = 100;

  private final DifferentiableFunction f;
  private final Preconditioner pre;
  private final McmcConfig cfg;
  private final int n;

  // per-chain state
  private Metric metric;
  private RandomStream rng;
  private double eps;
  private long grads;
  private long nonFinite;

  // workspaces
  private final Point cur;
  private final Point prop;
  private final Point left;
  private final Point right;
  private final Point cursor;
  private final Point sample;
  private final double[] z;
  private final double[] tmp;
  private final double[] tmp2;
  private final double[] rho;
  private final double[] rhoExt;
  private final Slot[] slotA;
  private final Slot[] slotB;
  private final Slot top;
  private final double[] w;
  private final double[] wMean;
  private final double[] wM2;

  // transition outputs
  private boolean proposalFinite;
  private double acceptStat;
  private boolean moved;
  private boolean divergent;
  private int steps;
  private boolean depthHit;
  // NUTS tree state
  private double h0;
  private double sumAccept;
  private int nLeap;

  /** A sampler of {@code f} preconditioned by {@code pre}. */
  public McmcSampler(DifferentiableFunction f, Preconditioner pre, McmcConfig cfg) {
    this.n = f.dimension();
    if (pre.n != n) {
      throw new IllegalArgumentException("preconditioner dimension " + pre.n + " != target dimension " + n);
    }
    this.f = f;
    this.pre = pre;
    this.cfg = cfg;
    this.cur = new Point(n);
    this.prop = new Point(n);
    this.left = new Point(n);
    this.right = new Point(n);
    this.cursor = new Point(n);
    this.sample = new Point(n);
    this.z = new double[n];
    this.tmp = new double[n];
    this.tmp2 = new double[n];
    this.rho = new double[n];
    this.rhoExt = new double[n];
    int depth = cfg.sampler == SamplerKind.NUTS ? cfg.maxDepth + 1 : 0;
    this.slotA = new Slot[depth];
    this.slotB = new Slot[depth];
    for (int d = 0; d < depth; d++) {
      slotA[d] = new Slot(n);
      slotB[d] = new Slot(n);
    }
    this.top = new Slot(n);
    this.w = new double[n];
    this.wMean = new double[n];
    this.wM2 = new double[cfg.metric == MetricAdaptation.DENSE ? n * n : n];
  }

  /** A sampler of {@code f} in its own coordinates (identity preconditioner: v ~ N(0, I) under the prior). */
  public McmcSampler(DifferentiableFunction f, McmcConfig cfg) {
    this(f, Preconditioner.identity(f.dimension()), cfg);
  }

  /** The configuration. */
  public McmcConfig config() {
    return cfg;
  }

  /** Warm-up then sampling: chain {@code chain} from {@code start} (v, not modified). */
  public ChainResult run(int chain, double[] start) {
    return sample(warmup(chain, start));
  }

  // ============================================================================================ warm-up

  /**
   * The warm-up of chain {@code chain} from {@code start} (v, finite f): adapts the step size and metric.
   *
   * @throws IllegalArgumentException if f or ∇f is not finite at the start
   */
  public WarmupResult warmup(int chain, double[] start) {
    if (chain < 0) {
      throw new IllegalArgumentException("chain must be >= 0, got " + chain);
    }
    if (start.length != n) {
      throw new IllegalArgumentException("start must have " + n + " values, got " + start.length);
    }
    rng = RandomStream.of(cfg.seed, Domain.MCMC_CHAIN, 2L * chain);
    grads = 0;
    nonFinite = 0;
    metric = Metric.of(pre);
    System.arraycopy(start, 0, cur.v, 0, n);
    if (!eval(cur)) {
      throw new IllegalArgumentException("chain " + chain + ": f or its gradient is not finite at the start "
          + "point");
    }
    eps = searchStepSize(cfg.stepSize);
    DualAveraging da = new DualAveraging(cfg.targetAccept, eps);
    final int warm = cfg.warmup;
    int[][] windows = windows(warm, cfg.metric);
    int win = 0;
    long divergences = 0;
    resetWindow();
    int inWindow = 0;
    for (int it = 0; it < warm; it++) {
      transition();
      if (divergent) {
        divergences++;
      }
      eps = da.learn(acceptStat);
      if (win < windows.length && it >= windows[win][0] && it < windows[win][1]) {
        addToWindow(inWindow++);
        if (it == windows[win][1] - 1) {
          updateMetric(inWindow);
          metric.applyTranspose(cur.g, cur.gu);
          eps = searchStepSize(eps);
          da.restart(eps);
          resetWindow();
          inWindow = 0;
          win++;
        }
      }
    }
    eps = da.finalStepSize();
    return new WarmupResult(chain, start.clone(), cur.v.clone(), cur.f, cur.g.clone(), eps,
        metric.a == null ? new double[0] : metric.a.clone(), metric.d.clone(), divergences, nonFinite, grads);
  }

  /**
   * Stan's windows {@code [start, end)} of metric adaptation for a warm-up of {@code warm} iterations (none for
   * {@link MetricAdaptation#NONE} or fewer than 20 iterations).
   */
  static int[][] windows(int warm, MetricAdaptation m) {
    if (m == MetricAdaptation.NONE || warm < 20) {
      return new int[0][];
    }
    int init = INIT_BUFFER;
    int term = TERM_BUFFER;
    int base = BASE_WINDOW;
    if (init + term + base > warm) {
      init = (int) (0.15 * warm);
      term = (int) (0.1 * warm);
      base = warm - init - term;
    }
    java.util.List<int[]> out = new java.util.ArrayList<>();
    int startIt = init;
    int size = base;
    final int last = warm - term;
    while (startIt < last) {
      int end = startIt + size;
      if (end + 2 * size > last) {
        end = last;
      }
      out.add(new int[] {startIt, end});
      startIt = end;
      size *= 2;
    }
    return out.toArray(new int[0][]);
  }

  private void resetWindow() {
    Arrays.fill(wMean, 0.0);
    Arrays.fill(wM2, 0.0);
  }

  /** Welford: the k-th (0-based) state of the window, in the preconditioner's coordinates. */
  private void addToWindow(int k) {
    pre.solve(cur.v, w);
    final double inv = 1.0 / (k + 1);
    if (cfg.metric == MetricAdaptation.DENSE) {
      for (int i = 0; i < n; i++) {
        tmp[i] = w[i] - wMean[i]; // x − old mean
        wMean[i] += tmp[i] * inv;
      }
      for (int i = 0; i < n; i++) {
        final double di = w[i] - wMean[i]; // x − new mean
        final int o = i * n;
        for (int j = 0; j < n; j++) {
          wM2[o + j] += di * tmp[j];
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        double d = w[i] - wMean[i];
        wMean[i] += d * inv;
        wM2[i] += d * (w[i] - wMean[i]);
      }
    }
  }

  /** The metric from the window's N states: C = C_pre · diag(s) or C_pre · chol(Σ). */
  private void updateMetric(int count) {
    if (count < 2) {
      return;
    }
    final double shrink = count / (count + SHRINK_N);
    final double floor = SHRINK_TARGET * SHRINK_N / (count + SHRINK_N);
    Metric base = Metric.of(pre);
    if (cfg.metric == MetricAdaptation.DIAGONAL) {
      for (int i = 0; i < n; i++) {
        double var = shrink * wM2[i] / (count - 1) + floor;
        metric.d[i] = base.d[i] * Math.sqrt(var);
      }
      metric.a = base.a;
      return;
    }
    double[] sigma = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        sigma[i * n + j] = shrink * 0.5 * (wM2[i * n + j] + wM2[j * n + i]) / (count - 1) + (i == j ? floor : 0);
      }
    }
    double[] l = new double[n * n];
    if (!Cholesky.decompose(n, sigma, l)) {
      // not positive definite numerically: keep the diagonal
      for (int i = 0; i < n; i++) {
        metric.d[i] = base.d[i] * Math.sqrt(sigma[i * n + i]);
      }
      metric.a = base.a;
      return;
    }
    // A = A_b diag(d_b) L  (A_b = I when absent), d = 1
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        // (diag(d_b) L)_{ij}
        a[i * n + j] = base.d[i] * l[i * n + j];
      }
    }
    if (base.a != null) {
      double[] prod = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
          final double bik = base.a[i * n + k];
          if (bik == 0.0) {
            continue;
          }
          for (int j = 0; j <= k; j++) {
            prod[i * n + j] += bik * a[k * n + j];
          }
        }
      }
      a = prod;
    }
    metric.a = a;
    Arrays.fill(metric.d, 1.0);
  }

  /**
   * Stan's {@code init_stepsize}: from ε0, double (or halve) ε while one step's log acceptance stays above (below)
   * log 0.8; the state is not changed.
   */
  private double searchStepSize(double eps0) {
    double e = eps0;
    double la = trialLogAccept(e);
    final int dir = la > SEARCH_LOG_ACCEPT ? 1 : -1;
    for (int k = 0; k < MAX_SEARCH; k++) {
      double next = dir > 0 ? 2 * e : 0.5 * e;
      if (next < MIN_STEP || next > MAX_STEP) {
        break;
      }
      e = next;
      la = trialLogAccept(e);
      if (dir > 0 ? !(la > SEARCH_LOG_ACCEPT) : !(la < SEARCH_LOG_ACCEPT)) {
        break;
      }
    }
    return e;
  }

  /** The log acceptance of one trial step from the current state (not changed); −∞ for a non-finite value. */
  private double trialLogAccept(double e) {
    rng.fillGaussian(z, 0, n);
    double la;
    if (cfg.sampler == SamplerKind.MALA) {
      la = malaProposal(e);
    } else {
      prop.copyFrom(cur);
      System.arraycopy(z, 0, prop.p, 0, n);
      double hStart = cur.f + kinetic(prop.p);
      la = leapfrog(prop, e) ? hStart - (prop.f + kinetic(prop.p)) : Double.NEGATIVE_INFINITY;
    }
    return Double.isNaN(la) ? Double.NEGATIVE_INFINITY : la;
  }

  // ============================================================================================ sampling

  /**
   * The sampling phase after {@code w} (its chain, state, step size and metric): {@code draws · thin} iterations,
   * every thin-th kept.
   */
  public ChainResult sample(WarmupResult w) {
    if (w.v.length != n) {
      throw new IllegalArgumentException("warm-up state has dimension " + w.v.length + ", expected " + n);
    }
    rng = RandomStream.of(cfg.seed, Domain.MCMC_CHAIN, 2L * w.chain + 1);
    final long warmGrads = w.gradientEvaluations;
    grads = 0;
    nonFinite = 0;
    metric = new Metric(n, w.metricMatrix.length == 0 ? null : w.metricMatrix.clone(), w.metricScale.clone());
    eps = w.stepSize;
    System.arraycopy(w.v, 0, cur.v, 0, n);
    System.arraycopy(w.grad, 0, cur.g, 0, n);
    cur.f = w.f;
    metric.applyTranspose(cur.g, cur.gu);
    final int kept = cfg.draws;
    final int thin = cfg.thin;
    double[] draws = new double[kept * n];
    double[] pot = new double[kept];
    long accepted = 0;
    long divergences = 0;
    long rejections = 0;
    long depthHits = 0;
    long totalSteps = 0;
    double sumStat = 0.0;
    final long iters = (long) kept * thin;
    int k = 0;
    for (long it = 0; it < iters; it++) {
      transition();
      sumStat += acceptStat;
      totalSteps += steps;
      if (moved) {
        accepted++;
      } else {
        rejections++;
      }
      if (divergent) {
        divergences++;
      }
      if (depthHit) {
        depthHits++;
      }
      if ((it + 1) % thin == 0) {
        System.arraycopy(cur.v, 0, draws, k * n, n);
        pot[k] = cur.f;
        k++;
      }
    }
    long nf = nonFinite + w.nonFinite;
    return new ChainResult(cfg.sampler, w.chain, n, kept, thin, draws, pot, w.start.clone(), eps,
        metric.a == null ? new double[0] : metric.a.clone(), metric.d.clone(), (double) accepted / iters,
        sumStat / iters, divergences, rejections, nf, depthHits, (double) totalSteps / iters, w.divergences,
        warmGrads + grads, warmGrads);
  }

  // ============================================================================================ transitions

  private void transition() {
    divergent = false;
    moved = false;
    depthHit = false;
    switch (cfg.sampler) {
      case MALA:
        mala();
        break;
      case HMC:
        hmc();
        break;
      default:
        nuts();
        break;
    }
  }

  /** One MALA proposal from {@code cur} into {@code prop} with the noise in {@code z}: its log MH ratio. */
  private double malaProposal(double e) {
    for (int i = 0; i < n; i++) {
      tmp2[i] = -0.5 * e * e * cur.gu[i] + e * z[i];
    }
    metric.apply(tmp2, tmp, rhoExt);
    for (int i = 0; i < n; i++) {
      prop.v[i] = cur.v[i] + tmp[i];
    }
    proposalFinite = eval(prop);
    if (!proposalFinite) {
      return Double.NEGATIVE_INFINITY;
    }
    double fwd = 0.0;
    double rev = 0.0;
    for (int i = 0; i < n; i++) {
      double zr = 0.5 * e * (cur.gu[i] + prop.gu[i]) - z[i];
      rev += zr * zr;
      fwd += z[i] * z[i];
    }
    return cur.f - prop.f - 0.5 * rev + 0.5 * fwd;
  }

  private void mala() {
    rng.fillGaussian(z, 0, n);
    double la = malaProposal(eps);
    steps = 1;
    double u = rng.nextDouble();
    if (!proposalFinite) {
      divergent = true;
      acceptStat = 0.0;
      return;
    }
    acceptStat = la >= 0 ? 1.0 : Double.isNaN(la) ? 0.0 : Math.exp(la);
    if (u < acceptStat) {
      cur.copyFrom(prop);
      moved = true;
    }
  }

  private void hmc() {
    rng.fillGaussian(cur.p, 0, n);
    final double hStart = cur.f + kinetic(cur.p);
    final double jitter = 0.5 + rng.nextDouble();
    long l = Math.round(cfg.pathLength * jitter / eps);
    final int cap = 1 << cfg.maxDepth;
    final int nSteps = (int) Math.max(1, Math.min(cap, l));
    prop.copyFrom(cur);
    steps = 0;
    double h = hStart;
    for (int s = 0; s < nSteps; s++) {
      steps++;
      if (!leapfrog(prop, eps)) {
        divergent = true;
        break;
      }
      h = prop.f + kinetic(prop.p);
      if (!(h - hStart <= MAX_ENERGY_ERROR)) {
        divergent = true;
        break;
      }
    }
    double u = rng.nextDouble();
    if (divergent) {
      acceptStat = 0.0;
      return;
    }
    double la = hStart - h;
    acceptStat = la >= 0 ? 1.0 : Math.exp(la);
    if (u < acceptStat) {
      cur.copyFrom(prop);
      moved = true;
    }
  }

  private void nuts() {
    rng.fillGaussian(cur.p, 0, n);
    h0 = cur.f + kinetic(cur.p);
    left.copyFrom(cur);
    right.copyFrom(cur);
    sample.copyFrom(cur);
    System.arraycopy(cur.p, 0, rho, 0, n);
    double lsw = 0.0;
    sumAccept = 0.0;
    nLeap = 0;
    int depth = 0;
    boolean newSample = false;
    while (depth < cfg.maxDepth) {
      final boolean forward = rng.nextDouble() > 0.5;
      final Point end = forward ? right : left;
      final Point other = forward ? left : right;
      cursor.copyFrom(end);
      boolean valid = build(depth, forward ? eps : -eps, top);
      if (!valid) {
        break;
      }
      depth++;
      // biased progressive sampling between the old trajectory and the new subtree
      if (top.lsw > lsw) {
        sample.copyState(top.prop);
        newSample = true;
      } else if (rng.nextDouble() < Math.exp(top.lsw - lsw)) {
        sample.copyState(top.prop);
        newSample = true;
      }
      lsw = logSumExp(lsw, top.lsw);
      // U-turn checks on the merged trajectory: whole, old + the new inner point, new + the old inner point
      boolean ok;
      for (int i = 0; i < n; i++) {
        rhoExt[i] = rho[i] + top.pStart[i];
      }
      ok = criterion(top.pStart, other.p, rhoExt);
      for (int i = 0; i < n; i++) {
        rhoExt[i] = top.rho[i] + end.p[i];
      }
      ok &= criterion(top.pEnd, end.p, rhoExt);
      for (int i = 0; i < n; i++) {
        rho[i] += top.rho[i];
      }
      ok &= criterion(top.pEnd, other.p, rho);
      end.copyFrom(cursor);
      if (!ok) {
        break;
      }
    }
    depthHit = depth >= cfg.maxDepth;
    steps = nLeap;
    acceptStat = nLeap > 0 ? sumAccept / nLeap : 0.0;
    if (newSample) {
      cur.copyState(sample);
      moved = true;
    }
  }

  /**
   * Builds a subtree of {@code 2^depth} leapfrog steps of size {@code e} (signed) from {@code cursor} (left at
   * its outer end) into {@code out}; false if it diverged or contains a U-turn.
   */
  private boolean build(int depth, double e, Slot out) {
    if (depth == 0) {
      nLeap++;
      if (!leapfrog(cursor, e)) {
        divergent = true;
        return false;
      }
      double dh = cursor.f + kinetic(cursor.p) - h0;
      if (!(dh <= MAX_ENERGY_ERROR)) {
        divergent = true;
        return false;
      }
      out.lsw = -dh;
      sumAccept += dh <= 0 ? 1.0 : Math.exp(-dh);
      System.arraycopy(cursor.p, 0, out.rho, 0, n);
      System.arraycopy(cursor.p, 0, out.pStart, 0, n);
      System.arraycopy(cursor.p, 0, out.pEnd, 0, n);
      out.prop.copyState(cursor);
      return true;
    }
    final Slot a = slotA[depth];
    final Slot b = slotB[depth];
    if (!build(depth - 1, e, a)) {
      return false;
    }
    if (!build(depth - 1, e, b)) {
      return false;
    }
    out.lsw = logSumExp(a.lsw, b.lsw);
    if (rng.nextDouble() < Math.exp(b.lsw - out.lsw)) {
      out.prop.copyState(b.prop);
    } else {
      out.prop.copyState(a.prop);
    }
    for (int i = 0; i < n; i++) {
      out.rho[i] = a.rho[i] + b.rho[i];
    }
    System.arraycopy(a.pStart, 0, out.pStart, 0, n);
    System.arraycopy(b.pEnd, 0, out.pEnd, 0, n);
    boolean ok = criterion(a.pStart, b.pEnd, out.rho);
    for (int i = 0; i < n; i++) {
      rhoExt[i] = a.rho[i] + b.pStart[i];
    }
    ok &= criterion(a.pStart, b.pStart, rhoExt);
    for (int i = 0; i < n; i++) {
      rhoExt[i] = b.rho[i] + a.pEnd[i];
    }
    ok &= criterion(a.pEnd, b.pEnd, rhoExt);
    return ok;
  }

  /** No U-turn between the ends with momenta {@code pa}, {@code pb} of a segment with momentum sum ρ. */
  private boolean criterion(double[] pa, double[] pb, double[] r) {
    double sa = 0.0;
    double sb = 0.0;
    for (int i = 0; i < n; i++) {
      sa += pa[i] * r[i];
      sb += pb[i] * r[i];
    }
    return sa > 0 && sb > 0;
  }

  // ============================================================================================ primitives

  /** One leapfrog step of size e on q (v, p, g, gu, f); false (q garbage) if f or ∇f is not finite. */
  private boolean leapfrog(Point q, double e) {
    final double half = 0.5 * e;
    for (int i = 0; i < n; i++) {
      q.p[i] -= half * q.gu[i];
    }
    metric.apply(q.p, tmp, tmp2);
    for (int i = 0; i < n; i++) {
      q.v[i] += e * tmp[i];
    }
    if (!eval(q)) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      q.p[i] -= half * q.gu[i];
    }
    return true;
  }

  /** f and ∇f at q.v, then g_u = Cᵀ ∇f; false (counted) if any is not finite. */
  private boolean eval(Point q) {
    grads++;
    double val = f.valueAndGradient(q.v, q.g);
    boolean ok = Double.isFinite(val);
    for (int i = 0; ok && i < n; i++) {
      ok = Double.isFinite(q.g[i]);
    }
    if (!ok) {
      nonFinite++;
      q.f = Double.POSITIVE_INFINITY;
      return false;
    }
    q.f = val;
    metric.applyTranspose(q.g, q.gu);
    return true;
  }

  private double kinetic(double[] p) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += p[i] * p[i];
    }
    return 0.5 * s;
  }

  static double logSumExp(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
  }

  /** A phase-space point: position v, momentum p (in u), ∇f, Cᵀ∇f, f. */
  private static final class Point {
    final double[] v;
    final double[] p;
    final double[] g;
    final double[] gu;
    double f;

    Point(int n) {
      v = new double[n];
      p = new double[n];
      g = new double[n];
      gu = new double[n];
    }

    void copyFrom(Point o) {
      copyState(o);
      System.arraycopy(o.p, 0, p, 0, p.length);
    }

    /** Everything but the momentum. */
    void copyState(Point o) {
      System.arraycopy(o.v, 0, v, 0, v.length);
      System.arraycopy(o.g, 0, g, 0, g.length);
      System.arraycopy(o.gu, 0, gu, 0, gu.length);
      f = o.f;
    }
  }

  /** A NUTS subtree: momentum sum, end momenta, log-sum of weights, and its multinomial proposal. */
  private static final class Slot {
    final double[] rho;
    final double[] pStart;
    final double[] pEnd;
    final Point prop;
    double lsw;

    Slot(int n) {
      rho = new double[n];
      pStart = new double[n];
      pEnd = new double[n];
      prop = new Point(n);
    }
  }

  /**
   * Dual averaging of log ε (Nesterov 2009; Hoffman &amp; Gelman 2014, alg. 5):
   * <pre>
   *   H̄_m = (1 − 1/(m + t₀)) H̄_{m−1} + (δ − α_m)/(m + t₀),   log ε_m = μ − √m H̄_m / γ,
   *   log ε̄_m = m^−κ log ε_m + (1 − m^−κ) log ε̄_{m−1}
   * </pre>
   */
  static final class DualAveraging {
    private final double delta;
    private double mu;
    private double hBar;
    private double xBar;
    private int m;

    DualAveraging(double delta, double eps0) {
      this.delta = delta;
      restart(eps0);
    }

    void restart(double eps0) {
      mu = Math.log(10 * eps0);
      hBar = 0.0;
      xBar = 0.0;
      m = 0;
    }

    /** Learns from one acceptance statistic; returns the next ε. */
    double learn(double alpha) {
      m++;
      double a = alpha > 1 ? 1 : alpha >= 0 ? alpha : 0;
      double eta = 1.0 / (m + DA_T0);
      hBar = (1 - eta) * hBar + eta * (delta - a);
      double x = mu - hBar * Math.sqrt(m) / DA_GAMMA;
      double xEta = Math.pow(m, -DA_KAPPA);
      xBar = xEta * x + (1 - xEta) * xBar;
      return Math.exp(x);
    }

    /** The frozen step size exp(log ε̄). */
    double finalStepSize() {
      return Math.exp(xBar);
    }
  }
}
