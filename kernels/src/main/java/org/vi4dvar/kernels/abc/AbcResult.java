package org.vi4dvar.kernels.abc;

import org.vi4dvar.kernels.stats.RunningStats;

/**
 * The (partial) result of ABC over a set of blocks: everything needed for the final answer, in O(k + nPrior +
 * blocks + bins) memory.
 * <ul>
 *   <li>the k kept trials, sorted by (distance, trial index) ascending: distance, index, full J, x0 —
 *       over <b>every</b> trial of the blocks;</li>
 *   <li>the count of trials accepted by the threshold (distance ≤ threshold) — over every trial;</li>
 *   <li>the prior sample: the trials with index &lt; nPrior seen, sorted by index;</li>
 *   <li>the <b>statistics subsample</b>: the trials with index &lt; {@link AbcConfig#statsTrials}, evaluated in
 *       full whatever the bound ({@link #statsTrials} says how many of them this result covers). Only over it:
 *       the count of non-finite distances ({@link #nonFinite}), the per-block statistics of the finite
 *       distances (count, mean, M2, min, max), sorted by block index — folded in block order by
 *       {@link #distanceStats()}, never merged in arrival order (floating sums are not associative) — and the
 *       histogram of the finite distances on the configured edges: {@code [0]} below the first edge, {@code [i]}
 *       in {@code [e_{i−1}, e_i)}, the last entry at or above the last edge. With early rejection the other
 *       trials' full distances are never computed, so no statistic of all distances exists; the subsample is a
 *       prefix of the run, hence an iid prior sample like the whole run, and it does not depend on whether
 *       early rejection is on;</li>
 *   <li>the work: model steps a full evaluation of the trials needs ({@link #stepsFull}) and those early
 *       rejection actually computed ({@link #stepsDone}).</li>
 * </ul>
 * {@link #merge} of results of disjoint block sets is exact (integer counts, selections by a total order,
 * per-block data kept apart), so any grouping and merge order gives bit for bit the result of one sequential
 * pass, and early rejection on or off gives bit for bit the same result. The exception is {@link #stepsDone}:
 * how many trials a bound rejects, and how early, depends on which trials a task saw before (on the grouping and
 * block order); it is an exact count of the work done, and it adds up exactly. A partial result computed with a
 * pilot bound ({@link AbcSampler#runBlocks(long[], AbcTrialConsumer, AbcBound)}) may hold fewer kept trials
 * (it has all of its best k that are not worse than the pilot); the complete merge is the same.
 * A plain final class with public final fields (Kryo); arrays have exactly their content's length and must not
 * be modified.
 */
public final class AbcResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The run's settings. */
  public final AbcConfig config;
  /** State size. */
  public final int nx;
  /** Trials evaluated. */
  public final long trials;
  /**
   * Trials of the statistics subsample whose distance was not finite. Non-finite trials are excluded from
   * everything (selection, threshold, statistics), in the subsample or not.
   */
  public final long nonFinite;
  /** Trials with distance ≤ threshold (handed to the consumer). */
  public final long accepted;

  /** Kept distances, ascending (ties by index). */
  public final double[] topDistance;
  /** Kept trial indices. */
  public final long[] topIndex;
  /** Full J of the kept trials. */
  public final double[] topCost;
  /** x0 of the kept trials, row-major {@code [r*nx + i]}. */
  public final double[] topX;

  /** Prior-sample trial indices, ascending. */
  public final long[] priorIndex;
  /** Prior-sample distances (non-finite ones included as they are). */
  public final double[] priorDistance;
  /** Prior-sample full J. */
  public final double[] priorCost;
  /** Prior-sample x0, row-major. */
  public final double[] priorX;

  /** Blocks evaluated, ascending. */
  public final long[] blockIndex;
  /** Finite distances per block. */
  public final long[] blockCount;
  /** Mean distance per block. */
  public final double[] blockMean;
  /** Sum of squared deviations per block. */
  public final double[] blockM2;
  /** Smallest distance per block. */
  public final double[] blockMin;
  /** Largest distance per block. */
  public final double[] blockMax;

  /** Histogram counts, {@code bins + 2} entries (under- and overflow at the ends), of the statistics subsample. */
  public final long[] histogram;

  /**
   * Trials of the statistics subsample (index &lt; {@link AbcConfig#statsTrials}) in these blocks: what
   * {@link #nonFinite}, the block statistics and the histogram cover ({@code nonFinite + distanceStats().count()
   * = statsTrials}).
   */
  public final long statsTrials;
  /** Model steps (trial × step) a full evaluation of these trials needs: {@code trials × (nAssim − 1)}. */
  public final long stepsFull;
  /** Model steps actually computed (≤ {@link #stepsFull}; depends on the grouping, see the class comment). */
  public final long stepsDone;

  /** Builds a result; arrays are kept, not copied. */
  public AbcResult(AbcConfig config, int nx, long trials, long nonFinite, long accepted, double[] topDistance,
      long[] topIndex, double[] topCost, double[] topX, long[] priorIndex, double[] priorDistance,
      double[] priorCost, double[] priorX, long[] blockIndex, long[] blockCount, double[] blockMean,
      double[] blockM2, double[] blockMin, double[] blockMax, long[] histogram, long statsTrials, long stepsFull,
      long stepsDone) {
    this.config = config;
    this.nx = nx;
    this.trials = trials;
    this.nonFinite = nonFinite;
    this.accepted = accepted;
    this.topDistance = topDistance;
    this.topIndex = topIndex;
    this.topCost = topCost;
    this.topX = topX;
    this.priorIndex = priorIndex;
    this.priorDistance = priorDistance;
    this.priorCost = priorCost;
    this.priorX = priorX;
    this.blockIndex = blockIndex;
    this.blockCount = blockCount;
    this.blockMean = blockMean;
    this.blockM2 = blockM2;
    this.blockMin = blockMin;
    this.blockMax = blockMax;
    this.histogram = histogram;
    this.statsTrials = statsTrials;
    this.stepsFull = stepsFull;
    this.stepsDone = stepsDone;
  }

  /** The result of no block (the identity of {@link #merge}). */
  public static AbcResult empty(AbcConfig config, int nx) {
    return new AbcResult(config, nx, 0, 0, 0, new double[0], new long[0], new double[0], new double[0],
        new long[0], new double[0], new double[0], new double[0], new long[0], new long[0], new double[0],
        new double[0], new double[0], new double[0], new long[config.histogramBins() + 2], 0, 0, 0);
  }

  /** Number of kept trials ({@code min(k, finite trials)}). */
  public int kept() {
    return topIndex.length;
  }

  /** Whether this result covers every block of the run. */
  public boolean complete() {
    return blockIndex.length == config.blocks();
  }

  /**
   * The k-th kept pair as a pilot bound for other tasks of the same run ({@link AbcBound}), or null when fewer
   * than k trials are kept (then nothing bounds the run's k-th best).
   */
  public AbcBound bound() {
    final int k = config.keep;
    return k > 0 && kept() == k ? new AbcBound(topDistance[k - 1], topIndex[k - 1]) : null;
  }

  /** Fraction of the model steps that early rejection saved, {@code 1 − stepsDone / stepsFull} (0 if none). */
  public double stepsSaved() {
    return stepsFull == 0 ? 0.0 : 1.0 - (double) stepsDone / stepsFull;
  }

  /**
   * Statistics of the finite distances of the statistics subsample: the per-block statistics folded in block
   * order.
   */
  public RunningStats distanceStats() {
    RunningStats s = new RunningStats();
    for (int b = 0; b < blockIndex.length; b++) {
      s.merge(new RunningStats(blockCount[b], blockMean[b], blockM2[b], blockMin[b], blockMax[b]));
    }
    return s;
  }

  /**
   * Positions (into the kept arrays) of the kept trials ordered by full J ascending, ties by trial index: the
   * lowest-J trials are the starts offered to MAP, VI and the ensemble.
   */
  public int[] keptByCost() {
    final int k = kept();
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> {
      int c = Double.compare(topCost[a], topCost[b]);
      return c != 0 ? c : Long.compare(topIndex[a], topIndex[b]);
    });
    int[] r = new int[k];
    for (int i = 0; i < k; i++) {
      r[i] = order[i];
    }
    return r;
  }

  /** x0 of kept trial {@code r} (new array). */
  public double[] keptX(int r) {
    return java.util.Arrays.copyOfRange(topX, r * nx, (r + 1) * nx);
  }

  /**
   * Merges two results of disjoint block sets into a new one (neither is modified). Exact and
   * order-independent: {@code merge(a, b)} equals {@code merge(b, a)} bit for bit.
   *
   * @throws IllegalArgumentException if the settings differ or a block appears in both
   */
  public static AbcResult merge(AbcResult a, AbcResult b) {
    if (a.nx != b.nx || !a.config.compatible(b.config)) {
      throw new IllegalArgumentException("cannot merge ABC results of different runs: " + a.config + " vs "
          + b.config);
    }
    final int nx = a.nx;
    final int k = a.config.keep;
    // top-k: merge of two sorted lists, cut at k
    int na = a.topIndex.length;
    int nb = b.topIndex.length;
    int nk = Math.min(k, na + nb);
    double[] td = new double[nk];
    long[] ti = new long[nk];
    double[] tc = new double[nk];
    double[] tx = new double[nk * nx];
    int ia = 0;
    int ib = 0;
    for (int r = 0; r < nk; r++) {
      boolean takeA;
      if (ia == na) {
        takeA = false;
      } else if (ib == nb) {
        takeA = true;
      } else {
        if (a.topIndex[ia] == b.topIndex[ib]) {
          throw new IllegalArgumentException("trial " + a.topIndex[ia] + " is in both results");
        }
        takeA = TopK.less(a.topDistance[ia], a.topIndex[ia], b.topDistance[ib], b.topIndex[ib]);
      }
      AbcResult s = takeA ? a : b;
      int i = takeA ? ia++ : ib++;
      td[r] = s.topDistance[i];
      ti[r] = s.topIndex[i];
      tc[r] = s.topCost[i];
      System.arraycopy(s.topX, i * nx, tx, r * nx, nx);
    }
    // prior: merge by index
    int pa = a.priorIndex.length;
    int pb = b.priorIndex.length;
    long[] pi = new long[pa + pb];
    double[] pd = new double[pa + pb];
    double[] pc = new double[pa + pb];
    double[] px = new double[(pa + pb) * nx];
    ia = 0;
    ib = 0;
    for (int r = 0; r < pa + pb; r++) {
      boolean takeA;
      if (ia == pa) {
        takeA = false;
      } else if (ib == pb) {
        takeA = true;
      } else {
        if (a.priorIndex[ia] == b.priorIndex[ib]) {
          throw new IllegalArgumentException("prior trial " + a.priorIndex[ia] + " is in both results");
        }
        takeA = a.priorIndex[ia] < b.priorIndex[ib];
      }
      AbcResult s = takeA ? a : b;
      int i = takeA ? ia++ : ib++;
      pi[r] = s.priorIndex[i];
      pd[r] = s.priorDistance[i];
      pc[r] = s.priorCost[i];
      System.arraycopy(s.priorX, i * nx, px, r * nx, nx);
    }
    // blocks: merge by block index
    int ba = a.blockIndex.length;
    int bb = b.blockIndex.length;
    int nbk = ba + bb;
    long[] bi = new long[nbk];
    long[] bc = new long[nbk];
    double[] bm = new double[nbk];
    double[] b2 = new double[nbk];
    double[] bmin = new double[nbk];
    double[] bmax = new double[nbk];
    ia = 0;
    ib = 0;
    for (int r = 0; r < nbk; r++) {
      boolean takeA;
      if (ia == ba) {
        takeA = false;
      } else if (ib == bb) {
        takeA = true;
      } else {
        if (a.blockIndex[ia] == b.blockIndex[ib]) {
          throw new IllegalArgumentException("block " + a.blockIndex[ia] + " is in both results");
        }
        takeA = a.blockIndex[ia] < b.blockIndex[ib];
      }
      AbcResult s = takeA ? a : b;
      int i = takeA ? ia++ : ib++;
      bi[r] = s.blockIndex[i];
      bc[r] = s.blockCount[i];
      bm[r] = s.blockMean[i];
      b2[r] = s.blockM2[i];
      bmin[r] = s.blockMin[i];
      bmax[r] = s.blockMax[i];
    }
    long[] h = new long[a.histogram.length];
    for (int i = 0; i < h.length; i++) {
      h[i] = a.histogram[i] + b.histogram[i];
    }
    return new AbcResult(a.config, nx, a.trials + b.trials, a.nonFinite + b.nonFinite, a.accepted + b.accepted,
        td, ti, tc, tx, pi, pd, pc, px, bi, bc, bm, b2, bmin, bmax, h, a.statsTrials + b.statsTrials,
        a.stepsFull + b.stepsFull, a.stepsDone + b.stepsDone);
  }

  @Override
  public String toString() {
    return "AbcResult[trials=" + trials + ", blocks=" + blockIndex.length + "/" + config.blocks() + ", kept="
        + kept() + (kept() > 0 ? " (distance " + topDistance[0] + " .. " + topDistance[kept() - 1] + ")" : "")
        + ", accepted=" + accepted + ", nonFinite=" + nonFinite + ", prior=" + priorIndex.length + ", statsTrials="
        + statsTrials + ", steps=" + stepsDone + "/" + stepsFull + "]";
  }
}
