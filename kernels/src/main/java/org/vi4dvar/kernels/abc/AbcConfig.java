package org.vi4dvar.kernels.abc;

import java.util.Arrays;

/**
 * Settings of an ABC rejection run, shared by all its tasks. Trial {@code i} belongs to block
 * {@code b = i / blockSize}; block b draws from {@code RandomStream(seed, ABC_BLOCK, b)}, so a trial's x0 depends
 * only on (seed, blockSize, i), not on how blocks are grouped into tasks.
 *
 * <p><b>Early rejection</b> ({@link #earlyRejection}, default on) stops integrating a trial as soon as its
 * partial distance is strictly worse than the current bound (see {@link AbcSampler}); it changes no kept trial,
 * distance, cost, count of accepted trials or consumer call, only the work done. The statistics that need every
 * trial's full distance — histogram, per-block distance statistics, count of non-finite distances — therefore
 * cover a deterministic subsample evaluated in full: the trials with index &lt; {@link #statsTrials} (a
 * prefix of the run, so an iid prior sample), whether early rejection is on or off.
 *
 * <p>Defaults ({@link #of(long, long, int)}): block size 65536 (≈ 5 ms of work per block on the talk problem,
 * large enough to amortise a stream, small enough to balance 10⁸ trials over many tasks), the observation
 * distance, no threshold, evaluation in chunks of {@value #DEFAULT_CHUNK} trials, 64 log-spaced histogram bins
 * from 1e-1 to 1e9, statistics over the first {@value #DEFAULT_STATS_TRIALS} trials, early rejection on.
 * Immutable; a plain final class (Kryo, see {@code optim}).
 */
public final class AbcConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Default block size. */
  public static final int DEFAULT_BLOCK_SIZE = 65536;
  /**
   * Default evaluation chunk (trials per batched cost call): with early rejection the later steps run on the
   * survivors only, so a larger chunk keeps their calls long; 512 was the fastest of 256–2048 on the talk problem
   * (2048 spills the L2 cache; the full evaluation is as fast at 256 and 512).
   */
  public static final int DEFAULT_CHUNK = 512;
  /**
   * Default size of the statistics subsample: 2¹⁶ trials give a distance histogram of 64–96 bins with a few
   * hundred trials in its populated bins and a mean to ~0.5 % of a standard deviation, and cost ≈ 16 ms of one
   * core on the talk problem (≈ 0.01 % of a 10⁹-trial run).
   */
  public static final long DEFAULT_STATS_TRIALS = 1L << 16;

  /** Master seed. */
  public final long seed;
  /** Total number of trials (indices 0 … trials−1). */
  public final long trials;
  /** Trials per block. */
  public final int blockSize;
  /** Number k of smallest-distance trials kept (0: none). */
  public final int keep;
  /** Trials with distance ≤ threshold go to the consumer and are counted; NaN disables the threshold. */
  public final double threshold;
  /** The trials with index &lt; nPrior are kept as a prior sample (iid prior draws). */
  public final int nPrior;
  /** The distance. */
  public final AbcDistance distance;
  /** Trials per batched cost evaluation (does not change any result). */
  public final int chunk;
  /** Histogram bin edges, strictly increasing and finite (bins [e_{i−1}, e_i), plus under- and overflow). */
  private final double[] histogramEdges;
  /**
   * The trials with index &lt; statsTrials are evaluated in full and are what the histogram, the per-block
   * distance statistics and the non-finite count cover ({@code Long.MAX_VALUE}: every trial).
   */
  public final long statsTrials;
  /** Whether trials are dropped as soon as their partial distance exceeds the bound (changes no result). */
  public final boolean earlyRejection;

  /**
   * The settings with {@link #DEFAULT_STATS_TRIALS} and early rejection on; see
   * {@link #AbcConfig(long, long, int, int, double, int, AbcDistance, int, double[], long, boolean)}.
   */
  public AbcConfig(long seed, long trials, int blockSize, int keep, double threshold, int nPrior,
      AbcDistance distance, int chunk, double[] histogramEdges) {
    this(seed, trials, blockSize, keep, threshold, nPrior, distance, chunk, histogramEdges, DEFAULT_STATS_TRIALS,
        true);
  }

  /** Validates every field; the message names the field. {@code histogramEdges} is copied. */
  public AbcConfig(long seed, long trials, int blockSize, int keep, double threshold, int nPrior,
      AbcDistance distance, int chunk, double[] histogramEdges, long statsTrials, boolean earlyRejection) {
    if (trials < 0) {
      throw new IllegalArgumentException("trials must be >= 0, got " + trials);
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize must be >= 1, got " + blockSize);
    }
    if (keep < 0) {
      throw new IllegalArgumentException("keep must be >= 0, got " + keep);
    }
    if (Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("threshold must be finite (or NaN to disable), got " + threshold);
    }
    if (nPrior < 0) {
      throw new IllegalArgumentException("nPrior must be >= 0, got " + nPrior);
    }
    if (distance == null) {
      throw new IllegalArgumentException("distance must be given");
    }
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
    }
    if (statsTrials < 0) {
      throw new IllegalArgumentException("statsTrials must be >= 0, got " + statsTrials);
    }
    if (histogramEdges == null || histogramEdges.length < 2) {
      throw new IllegalArgumentException("histogramEdges needs at least 2 edges");
    }
    for (int i = 0; i < histogramEdges.length; i++) {
      if (!Double.isFinite(histogramEdges[i]) || (i > 0 && !(histogramEdges[i] > histogramEdges[i - 1]))) {
        throw new IllegalArgumentException("histogramEdges must be finite and strictly increasing, at " + i);
      }
    }
    this.seed = seed;
    this.trials = trials;
    this.blockSize = blockSize;
    this.keep = keep;
    this.threshold = threshold;
    this.nPrior = nPrior;
    this.distance = distance;
    this.chunk = chunk;
    this.histogramEdges = histogramEdges.clone();
    this.statsTrials = statsTrials;
    this.earlyRejection = earlyRejection;
  }

  /** {@code trials} trials keeping the {@code keep} best by the observation distance; other defaults above. */
  public static AbcConfig of(long seed, long trials, int keep) {
    return new AbcConfig(seed, trials, DEFAULT_BLOCK_SIZE, keep, Double.NaN, 0, AbcDistance.OBSERVATION,
        DEFAULT_CHUNK, logEdges(1e-1, 1e9, 64));
  }

  /** {@code bins + 1} log-spaced edges {@code lo · (hi/lo)^(i/bins)}, {@code 0 < lo < hi}. */
  public static double[] logEdges(double lo, double hi, int bins) {
    if (!(lo > 0 && hi > lo) || bins < 1) {
      throw new IllegalArgumentException("logEdges needs 0 < lo < hi and bins >= 1");
    }
    double[] e = new double[bins + 1];
    double r = Math.log(hi / lo);
    for (int i = 0; i <= bins; i++) {
      e[i] = lo * Math.exp(r * i / bins);
    }
    e[0] = lo;
    e[bins] = hi;
    return e;
  }

  /** {@code k = max(1, round(fraction × trials))}, the talk's "keep 0.1 %". */
  public static int keepCount(double fraction, long trials) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("keep fraction must be in (0, 1], got " + fraction);
    }
    long k = Math.max(1L, Math.round(fraction * trials));
    if (k > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("keep count " + k + " too large");
    }
    return (int) k;
  }

  /** Number of blocks {@code ⌈trials / blockSize⌉}. */
  public long blocks() {
    return (trials + blockSize - 1) / blockSize;
  }

  /** Trials in block b (blockSize, or fewer in the last block). */
  public int trialsInBlock(long b) {
    if (b < 0 || b >= blocks()) {
      throw new IllegalArgumentException("block " + b + " outside [0, " + blocks() + ")");
    }
    return (int) Math.min(blockSize, trials - b * blockSize);
  }

  /** Whether a threshold is set. */
  public boolean hasThreshold() {
    return !Double.isNaN(threshold);
  }

  /** The histogram edges (copy). */
  public double[] histogramEdges() {
    return histogramEdges.clone();
  }

  int histogramBins() {
    return histogramEdges.length - 1;
  }

  double[] edgesRaw() {
    return histogramEdges;
  }

  /** A copy with another number of trials. */
  public AbcConfig withTrials(long n) {
    return new AbcConfig(seed, n, blockSize, keep, threshold, nPrior, distance, chunk, histogramEdges,
        statsTrials, earlyRejection);
  }

  /** A copy with another block size. */
  public AbcConfig withBlockSize(int b) {
    return new AbcConfig(seed, trials, b, keep, threshold, nPrior, distance, chunk, histogramEdges,
        statsTrials, earlyRejection);
  }

  /** A copy with another k. */
  public AbcConfig withKeep(int k) {
    return new AbcConfig(seed, trials, blockSize, k, threshold, nPrior, distance, chunk, histogramEdges,
        statsTrials, earlyRejection);
  }

  /** A copy with a threshold (NaN disables it). */
  public AbcConfig withThreshold(double t) {
    return new AbcConfig(seed, trials, blockSize, keep, t, nPrior, distance, chunk, histogramEdges,
        statsTrials, earlyRejection);
  }

  /** A copy with another prior-sample size. */
  public AbcConfig withPrior(int n) {
    return new AbcConfig(seed, trials, blockSize, keep, threshold, n, distance, chunk, histogramEdges,
        statsTrials, earlyRejection);
  }

  /** A copy with another distance. */
  public AbcConfig withDistance(AbcDistance d) {
    return new AbcConfig(seed, trials, blockSize, keep, threshold, nPrior, d, chunk, histogramEdges,
        statsTrials, earlyRejection);
  }

  /** A copy with another evaluation chunk. */
  public AbcConfig withChunk(int c) {
    return new AbcConfig(seed, trials, blockSize, keep, threshold, nPrior, distance, c, histogramEdges,
        statsTrials, earlyRejection);
  }

  /** A copy with other histogram edges. */
  public AbcConfig withHistogramEdges(double[] edges) {
    return new AbcConfig(seed, trials, blockSize, keep, threshold, nPrior, distance, chunk, edges,
        statsTrials, earlyRejection);
  }

  /** A copy with another statistics subsample: the trials with index &lt; n ({@code Long.MAX_VALUE}: all). */
  public AbcConfig withStatsTrials(long n) {
    return new AbcConfig(seed, trials, blockSize, keep, threshold, nPrior, distance, chunk, histogramEdges, n,
        earlyRejection);
  }

  /** A copy with early rejection on or off (no result changes, only the work done). */
  public AbcConfig withEarlyRejection(boolean on) {
    return new AbcConfig(seed, trials, blockSize, keep, threshold, nPrior, distance, chunk, histogramEdges,
        statsTrials, on);
  }

  /**
   * The trials evaluated in full whatever the bound, {@code [0, max(nPrior, statsTrials))}: the prior sample
   * and the statistics subsample.
   */
  public long fullPrefix() {
    return Math.max(nPrior, statsTrials);
  }

  @Override
  public String toString() {
    return "AbcConfig[seed=" + seed + ", trials=" + trials + ", blockSize=" + blockSize + ", keep=" + keep
        + ", threshold=" + threshold + ", nPrior=" + nPrior + ", " + distance + ", chunk=" + chunk + ", bins="
        + histogramBins() + " in [" + histogramEdges[0] + ", " + histogramEdges[histogramEdges.length - 1]
        + "], statsTrials=" + statsTrials + ", earlyRejection=" + earlyRejection + "]";
  }

  /**
   * Same trials, distance, k, prior size, histogram and statistics subsample (what a merge requires); the chunk
   * and early rejection change no result and may differ.
   */
  boolean compatible(AbcConfig o) {
    return seed == o.seed && trials == o.trials && blockSize == o.blockSize && keep == o.keep
        && nPrior == o.nPrior && distance == o.distance && statsTrials == o.statsTrials
        && Double.doubleToLongBits(threshold) == Double.doubleToLongBits(o.threshold)
        && Arrays.equals(histogramEdges, o.histogramEdges);
  }
}
