package org.vi4dvar.kernels.mcmc;

/**
 * One chain's output: its kept draws of the whitened control v and their −log target values, the frozen step
 * size and metric, and its counts. A plain final class with public final fields and arrays (Kryo), returned by a
 * task; arrays owned by it, not to be modified.
 */
public final class ChainResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The transition kernel. */
  public final SamplerKind sampler;
  /** The chain index (its random streams are {@code (seed, MCMC_CHAIN, 2·chain [+1])}). */
  public final int chain;
  /** Dimension n of v. */
  public final int n;
  /** Kept draws. */
  public final int nDraws;
  /** Thinning: iterations per kept draw. */
  public final int thin;
  /** Kept draws of v, row-major {@code nDraws × n}. */
  public final double[] draws;
  /** {@code f(v)} (−log target, up to a constant) of every kept draw. */
  public final double[] potential;
  /** The start of warm-up, in v. */
  public final double[] start;
  /** The frozen step size. */
  public final double stepSize;
  /** The metric's dense part A of {@code C = A diag(d)} (n×n), or empty for the identity. */
  public final double[] metricMatrix;
  /** The metric's scales d. */
  public final double[] metricScale;
  /** Fraction of sampling iterations whose state changed (MALA, HMC: accepted proposals; NUTS: moves). */
  public final double acceptRate;
  /** Mean acceptance statistic of the sampling iterations (the quantity warm-up steered to the target). */
  public final double meanAcceptStat;
  /** Sampling iterations that diverged: energy error &gt; {@link McmcSampler#MAX_ENERGY_ERROR} or a non-finite value. */
  public final long divergences;
  /** Sampling iterations whose proposal was rejected (MALA, HMC: Metropolis; NUTS: the tree kept the start). */
  public final long rejections;
  /** Proposals or leapfrog steps that met a non-finite f or ∇f (rejected, never propagated), both phases. */
  public final long nonFinite;
  /** NUTS: sampling iterations that stopped at the maximum tree depth (a sign of a too small step size). */
  public final long maxDepthHits;
  /** Mean leapfrog steps (gradients) per sampling iteration. */
  public final double meanSteps;
  /** Warm-up divergences. */
  public final long warmupDivergences;
  /** All gradient evaluations of the chain (warm-up and sampling). */
  public final long gradientEvaluations;
  /** Of which in warm-up. */
  public final long warmupGradientEvaluations;

  ChainResult(SamplerKind sampler, int chain, int n, int nDraws, int thin, double[] draws, double[] potential,
      double[] start, double stepSize, double[] metricMatrix, double[] metricScale, double acceptRate,
      double meanAcceptStat, long divergences, long rejections, long nonFinite, long maxDepthHits,
      double meanSteps, long warmupDivergences, long gradientEvaluations, long warmupGradientEvaluations) {
    this.sampler = sampler;
    this.chain = chain;
    this.n = n;
    this.nDraws = nDraws;
    this.thin = thin;
    this.draws = draws;
    this.potential = potential;
    this.start = start;
    this.stepSize = stepSize;
    this.metricMatrix = metricMatrix;
    this.metricScale = metricScale;
    this.acceptRate = acceptRate;
    this.meanAcceptStat = meanAcceptStat;
    this.divergences = divergences;
    this.rejections = rejections;
    this.nonFinite = nonFinite;
    this.maxDepthHits = maxDepthHits;
    this.meanSteps = meanSteps;
    this.warmupDivergences = warmupDivergences;
    this.gradientEvaluations = gradientEvaluations;
    this.warmupGradientEvaluations = warmupGradientEvaluations;
  }
}
