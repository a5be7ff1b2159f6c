package org.vi4dvar.kernels.mcmc;

/**
 * Settings of the MCMC chains. Every constructor argument is validated with a message that starts with its
 * configuration key ({@code mcmc.chains must be >= 2 (R-hat needs two chains), got 1}). Defaults
 * ({@link #defaults(long)}): NUTS, 4 chains of 1000 warm-up iterations and 1000 kept draws, no thinning, target
 * acceptance 0.8, maximum tree depth 10 — Stan's defaults (Stan Reference Manual, "MCMC sampling"), whose 4 × 1000
 * draws give the ≥ 400 bulk and tail ESS the diagnostics ask for when the chains mix — but a <b>dense</b> metric
 * adapted in Stan's windows (Stan's default is diagonal; on the talk's posterior dense is ~4× cheaper per
 * effective draw, see the package comment), and an initial step size of 0.25 (warm-up searches it anyway).
 * Immutable; a plain final class (Kryo).
 */
public final class McmcConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Stan's default of the warm-up length. */
  public static final int DEFAULT_WARMUP = 1000;
  /** Stan's default of the kept draws per chain. */
  public static final int DEFAULT_DRAWS = 1000;
  /** Stan's default number of chains. */
  public static final int DEFAULT_CHAINS = 4;
  /** Stan's default maximum tree depth (NUTS: at most 2¹⁰ − 1 leapfrog steps per iteration). */
  public static final int DEFAULT_MAX_DEPTH = 10;
  /** The initial step size before the warm-up's search (in units of the metric: the posterior scale ≈ 1). */
  public static final double DEFAULT_STEP_SIZE = 0.25;
  /**
   * HMC's integration time: a quarter period of the Hamiltonian flow of a unit Gaussian, which maps a draw to an
   * independent one when the adapted metric has whitened the target (Neal 2011, §5.4.2.4).
   */
  public static final double DEFAULT_PATH_LENGTH = Math.PI / 2;

  /** Master seed: chain c draws from {@code RandomStream(seed, MCMC_CHAIN, 2c)} and {@code (…, 2c + 1)}. */
  public final long seed;
  /** {@code mcmc.sampler}. */
  public final SamplerKind sampler;
  /** {@code mcmc.chains}, ≥ 2. */
  public final int chains;
  /** {@code mcmc.warmup}: warm-up iterations per chain, &gt; 0 (not kept). */
  public final int warmup;
  /** {@code mcmc.draws}: kept draws per chain, &gt; 0; the chain runs {@code draws · thin} iterations after warm-up. */
  public final int draws;
  /** {@code mcmc.thin}: keep every thin-th iteration, ≥ 1. */
  public final int thin;
  /** {@code mcmc.step-size}: the initial step size, finite and &gt; 0 (adapted during warm-up). */
  public final double stepSize;
  /** {@code mcmc.target-accept}: the target of the step-size adaptation, in (0, 1). */
  public final double targetAccept;
  /** {@code mcmc.metric}. */
  public final MetricAdaptation metric;
  /** {@code mcmc.max-depth}: NUTS's tree depth limit; HMC's steps are capped at 2^maxDepth. In [1, 20]. */
  public final int maxDepth;
  /** {@code mcmc.path-length}: HMC's mean integration time, finite and &gt; 0. */
  public final double pathLength;

  /** Validates every argument; messages start with the configuration key. */
  public McmcConfig(long seed, SamplerKind sampler, int chains, int warmup, int draws, int thin, double stepSize,
      double targetAccept, MetricAdaptation metric, int maxDepth, double pathLength) {
    if (sampler == null) {
      throw new IllegalArgumentException("mcmc.sampler must be one of mala, hmc, nuts, got null");
    }
    if (chains < 2) {
      throw new IllegalArgumentException("mcmc.chains must be >= 2 (R-hat needs two chains), got " + chains);
    }
    if (warmup < 1) {
      throw new IllegalArgumentException("mcmc.warmup must be > 0 (the step size is adapted in warm-up), got "
          + warmup);
    }
    if (draws < 1) {
      throw new IllegalArgumentException("mcmc.draws must be > 0, got " + draws);
    }
    if (thin < 1) {
      throw new IllegalArgumentException("mcmc.thin must be >= 1, got " + thin);
    }
    if ((long) draws * thin > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("mcmc.draws x mcmc.thin must be < 2^31, got " + draws + " x " + thin);
    }
    if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
      throw new IllegalArgumentException("mcmc.step-size must be finite and > 0, got " + stepSize);
    }
    if (!(targetAccept > 0 && targetAccept < 1)) {
      throw new IllegalArgumentException("mcmc.target-accept must be in (0, 1), got " + targetAccept);
    }
    if (metric == null) {
      throw new IllegalArgumentException("mcmc.metric must be one of none, diag, dense, got null");
    }
    if (maxDepth < 1 || maxDepth > 20) {
      throw new IllegalArgumentException("mcmc.max-depth must be in [1, 20], got " + maxDepth);
    }
    if (!(pathLength > 0) || !Double.isFinite(pathLength)) {
      throw new IllegalArgumentException("mcmc.path-length must be finite and > 0, got " + pathLength);
    }
    this.seed = seed;
    this.sampler = sampler;
    this.chains = chains;
    this.warmup = warmup;
    this.draws = draws;
    this.thin = thin;
    this.stepSize = stepSize;
    this.targetAccept = targetAccept;
    this.metric = metric;
    this.maxDepth = maxDepth;
    this.pathLength = pathLength;
  }

  /** The defaults (class comment). */
  public static McmcConfig defaults(long seed) {
    return new McmcConfig(seed, SamplerKind.NUTS, DEFAULT_CHAINS, DEFAULT_WARMUP, DEFAULT_DRAWS, 1,
        DEFAULT_STEP_SIZE, SamplerKind.NUTS.defaultTargetAccept(), MetricAdaptation.DENSE, DEFAULT_MAX_DEPTH,
        DEFAULT_PATH_LENGTH);
  }

  /** A copy with another sampler and that sampler's default target acceptance. */
  public McmcConfig withSampler(SamplerKind s) {
    return new McmcConfig(seed, s, chains, warmup, draws, thin, stepSize,
        s == null ? targetAccept : s.defaultTargetAccept(), metric, maxDepth, pathLength);
  }

  /** A copy with other chain counts and lengths. */
  public McmcConfig withChains(int nChains, int nWarmup, int nDraws) {
    return new McmcConfig(seed, sampler, nChains, nWarmup, nDraws, thin, stepSize, targetAccept, metric,
        maxDepth, pathLength);
  }

  /** A copy with another thinning. */
  public McmcConfig withThin(int t) {
    return new McmcConfig(seed, sampler, chains, warmup, draws, t, stepSize, targetAccept, metric, maxDepth,
        pathLength);
  }

  /** A copy with another initial step size. */
  public McmcConfig withStepSize(double e) {
    return new McmcConfig(seed, sampler, chains, warmup, draws, thin, e, targetAccept, metric, maxDepth,
        pathLength);
  }

  /** A copy with another target acceptance. */
  public McmcConfig withTargetAccept(double a) {
    return new McmcConfig(seed, sampler, chains, warmup, draws, thin, stepSize, a, metric, maxDepth, pathLength);
  }

  /** A copy with another metric adaptation. */
  public McmcConfig withMetric(MetricAdaptation m) {
    return new McmcConfig(seed, sampler, chains, warmup, draws, thin, stepSize, targetAccept, m, maxDepth,
        pathLength);
  }

  /** A copy with another maximum tree depth. */
  public McmcConfig withMaxDepth(int d) {
    return new McmcConfig(seed, sampler, chains, warmup, draws, thin, stepSize, targetAccept, metric, d,
        pathLength);
  }

  /** A copy with another HMC integration time. */
  public McmcConfig withPathLength(double t) {
    return new McmcConfig(seed, sampler, chains, warmup, draws, thin, stepSize, targetAccept, metric, maxDepth, t);
  }

  /** A copy with another seed. */
  public McmcConfig withSeed(long s) {
    return new McmcConfig(s, sampler, chains, warmup, draws, thin, stepSize, targetAccept, metric, maxDepth,
        pathLength);
  }

  @Override
  public String toString() {
    return "McmcConfig[" + sampler.configName() + ", chains=" + chains + ", warmup=" + warmup + ", draws="
        + draws + ", thin=" + thin + ", step=" + stepSize + ", accept=" + targetAccept + ", metric="
        + metric.configName() + ", depth=" + maxDepth + ", path=" + pathLength + ", seed=" + seed + "]";
  }
}
