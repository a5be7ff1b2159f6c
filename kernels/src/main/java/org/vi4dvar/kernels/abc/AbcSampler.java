package org.vi4dvar.kernels.abc;

import java.util.Arrays;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * ABC rejection for the control c (x0; with model errors η and parameters p when the problem has them) over
 * blocks of trials:
 * <pre>
 *   trial i = b·blockSize + s  (block b, s-th trial of the block)
 *   c_i = c_b + S z_i,   S = B½ = problem.background() (strong constraint) | problem.control() (c = (x0, η, p)),
 *          z_i = the next n Gaussians of RandomStream(seed, ABC_BLOCK, b), in component order (n = nx for
 *          strong constraint, so the trials of a strong-constraint problem are those of before)
 *   distance: Jo(c_i) | J(c_i) | Jo(c_i) + log(1 − u_i)   (see {@link AbcDistance}),
 *   J = Jprior + Jo,  Jprior = Jb of the diagonal B (strong constraint, diagonal B: as before, bit for bit)
 *                            | ½‖z_i‖² (dense B or an extended control: the exact prior term, no solve)
 *            u_i = the s-th uniform of RandomStream(seed, ABC_BLOCK, −1 − b) (a stream disjoint from the trials')
 * </pre>
 * Strong constraint: costs are evaluated by {@link FourDVarCost#costBatchRows} (the model batched over trials);
 * an extended control (η, p) by {@link FourDVarCost#costControlsPruned} (one trial at a time through the scalar
 * sweep, with the same exact early rejection), in chunks of {@link AbcConfig#chunk} trials; since the
 * batched cost equals the scalar one bit for bit and z is drawn trial by trial, neither x0 nor the distance
 * depends on the chunking. Per block the sampler keeps the k smallest (distance, index) pairs in a bounded
 * max-heap, the prior sample (indices &lt; nPrior), counts, Welford statistics of the distance, and a histogram
 * ({@link AbcResult}).
 *
 * <p><b>Exact early rejection</b> ({@link AbcConfig#earlyRejection}). Every term of
 * {@code J = Jb + Σ_{t<T} Jo_t} is ≥ 0, so the partial distance after t assimilated states,
 * <pre>
 *   p(t) = e + Σ_{s≤t} Jo_s,   e = 0 (observation) | Jb (full: enters at t = 0) | log(1 − u) (likelihood: known
 *          before integration, ≤ 0, so the partial distance starts below zero)
 * </pre>
 * only grows with t, also in floating point (see {@link FourDVarCost#costBatchRowsPruned}). Each chunk is
 * evaluated by {@code costBatchRowsPruned} with the bound, in the total order {@code (d, i)} of the top-k,
 * <pre>
 *   β = max( β_k, (threshold, +∞) )         (threshold mode; β = β_k without a threshold)
 *   β_k = min( (d, i) of the worst of the k kept so far  [or (+∞, +∞) while fewer than k are kept;
 *              (−∞, −∞) when k = 0],  pilot bound,  shared bound )
 * </pre>
 * and a trial is dropped once {@code β < (p(t), i)} strictly. Why the kept set is exactly the full evaluation's:
 * the final pair is {@code (d, i) ≥ (p(t), i) > β}. If {@code β = β_k}, k trials already seen (or, for the pilot,
 * of the run) are each less than (d, i), so the trial is in no top-k containing them: neither this task's nor
 * the merged one; β_k only decreases as trials are processed, so a bound taken at any earlier moment is weaker.
 * If {@code β = (threshold, +∞)} then also {@code p > threshold}, so {@code d > threshold}: the trial would not
 * be accepted. β is the max of the two needs because a trial must be integrated in full if <em>either</em> could
 * still want it: a trial above the threshold may still enter the top-k, and one worse than β_k may still be
 * accepted. Ties: a trial equal to β is kept, and the index breaks distance ties exactly as {@link TopK#less}
 * and {@link AbcResult#merge} do. A trial that survives was integrated in full with the operations of the full
 * evaluation, so its distance and J are bit for bit the same; dropped trials are never offered to anything.
 * The trials of {@link AbcConfig#fullPrefix()} (the prior sample and the statistics subsample) are never
 * dropped: their chunks are evaluated in full.
 *
 * <p>The unit of work of a Spark task is {@link #runBlocks} over the blocks of its partition (one sampler per
 * partition); partial results merge exactly with {@link AbcResult#merge}. Not thread-safe (owns a
 * {@link FourDVarCost} and workspaces); allocation only per result, not per trial or chunk.
 */
public final class AbcSampler {

  private final AbcConfig c;
  private final FourDVarCost cost;
  private final ControlTransform background;
  private final int nx;
  /** The control dimension n (nx for strong constraint; more with η and parameters). */
  private final int n;
  /** Strong constraint: the batched cost; else the scalar {@link FourDVarCost#costControlsPruned}. */
  private final boolean batched;
  /** Whether the prior term is {@code ½‖z‖²} (dense B or an extended control) rather than the diagonal Jb. */
  private final boolean whitenedPrior;
  private final double[] prior;
  private final int nSteps;
  private final double[] edges;
  private final double[][] x;
  private final double[][] z;
  private final double[] logU;
  private final int[] lane;
  private final double[] jb;
  private final double[] jo;
  private final double[] row;
  private final TopK top;

  /** A sampler for {@code problem} with settings {@code config}. */
  public AbcSampler(FourDVarProblem problem, AbcConfig config) {
    this.c = config;
    this.cost = new FourDVarCost(problem);
    this.nx = problem.nx();
    this.n = problem.controlDimension();
    this.batched = n == nx;
    // strong constraint: the background's own transform (its row kernel; bit for bit the results before the
    // control was extended); else the whole control c = (x0, η, p) = c_b + S z
    this.background = batched ? problem.background() : problem.control();
    this.whitenedPrior = !(batched && problem.background().diagonal());
    this.prior = new double[config.chunk];
    this.nSteps = problem.nAssim() - 1;
    this.edges = config.edgesRaw();
    this.x = new double[n][config.chunk];
    this.z = new double[n][config.chunk];
    this.logU = new double[config.chunk];
    this.lane = new int[config.chunk];
    this.jb = new double[config.chunk];
    this.jo = new double[config.chunk];
    this.row = new double[n];
    this.top = new TopK(config.keep, n);
  }

  /** The settings. */
  public AbcConfig config() {
    return c;
  }

  /** One block; no threshold consumer (accepted trials are only counted). */
  public AbcResult runBlock(long block) {
    return run(new long[] {block}, null, null, null);
  }

  /** {@link #runBlocks(long[], AbcTrialConsumer, AbcBound)} without a pilot bound. */
  public AbcResult runBlocks(long[] blocks, AbcTrialConsumer consumer) {
    return run(blocks, consumer, null, null);
  }

  /**
   * Evaluates the given blocks (distinct, any order) and returns their result.
   *
   * @param blocks block indices in {@code [0, config.blocks())}, not modified
   * @param consumer receives every trial with distance ≤ threshold (may be null: only counted)
   * @param pilot a bound on the run's final k-th kept pair that tightens early rejection from the first chunk
   *     on (see {@link AbcBound}; e.g. {@link AbcResult#bound()} of a first set of blocks), or null. It changes
   *     no complete (merged) result; this partial result keeps those of its k best not worse than the pilot.
   *     Ignored without early rejection.
   * @throws IllegalArgumentException on a block out of range or repeated
   */
  public AbcResult runBlocks(long[] blocks, AbcTrialConsumer consumer, AbcBound pilot) {
    return run(blocks, consumer, pilot, null);
  }

  /**
   * As {@link #runBlocks(long[], AbcTrialConsumer, AbcBound)}, with a bound shared with the other tasks of the
   * run in this JVM: read before every chunk, offered the worst kept pair after every block. Same complete
   * result; this partial result keeps those of its k best not worse than the bound it met.
   *
   * @param shared the run's shared bound (null: none); ignored without early rejection
   */
  public AbcResult runBlocksShared(long[] blocks, AbcTrialConsumer consumer, AbcSharedBound shared) {
    return run(blocks, consumer, null, shared);
  }

  private AbcResult run(long[] blocks, AbcTrialConsumer consumer, AbcBound pilot, AbcSharedBound shared) {
    long[] order = blocks.clone();
    Arrays.sort(order);
    for (int i = 0; i < order.length; i++) {
      if (order[i] < 0 || order[i] >= c.blocks()) {
        throw new IllegalArgumentException("block " + order[i] + " outside [0, " + c.blocks() + ")");
      }
      if (i > 0 && order[i] == order[i - 1]) {
        throw new IllegalArgumentException("block " + order[i] + " given twice");
      }
    }
    final int nBlocks = order.length;
    long[] bCount = new long[nBlocks];
    double[] bMean = new double[nBlocks];
    double[] bM2 = new double[nBlocks];
    double[] bMin = new double[nBlocks];
    double[] bMax = new double[nBlocks];
    long[] hist = new long[edges.length + 1];
    // prior capacity: trials with index < nPrior inside these blocks
    int priorCap = 0;
    for (long b : order) {
      long first = b * c.blockSize;
      if (first < c.nPrior) {
        priorCap += (int) Math.min(c.trialsInBlock(b), c.nPrior - first);
      }
    }
    long[] pIdx = new long[priorCap];
    double[] pDist = new double[priorCap];
    double[] pCost = new double[priorCap];
    double[] pX = new double[priorCap * n];
    int pn = 0;
    long trials = 0;
    long nonFinite = 0;
    long accepted = 0;
    long statsTrials = 0;
    long stepsFull = 0;
    long stepsDone = 0;
    final boolean thresh = c.hasThreshold();
    final double threshold = c.threshold;
    final AbcDistance dist = c.distance;
    final boolean likelihood = dist == AbcDistance.LIKELIHOOD_REJECTION;
    final int chunk = c.chunk;
    final long fullPrefix = c.fullPrefix();
    final long nStats = c.statsTrials;
    final boolean prune = c.earlyRejection;
    for (int bi = 0; bi < nBlocks; bi++) {
      final long b = order[bi];
      final long first = b * c.blockSize;
      final int count = c.trialsInBlock(b);
      RandomStream zs = RandomStream.of(c.seed, Domain.ABC_BLOCK, b);
      RandomStream us = likelihood ? RandomStream.of(c.seed, Domain.ABC_BLOCK, -1 - b) : null;
      long n = 0;
      double mean = 0.0;
      double m2 = 0.0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int s0 = 0; s0 < count; s0 += chunk) {
        final int nb = Math.min(chunk, count - s0);
        final long firstTrial = first + s0;
        zs.fillGaussianColumns(z, this.n, nb);              // z_t = the next n Gaussians, trial after trial
        background.toControlRows(z, nb, x);             // c_t = c_b + S z_t, into the rows
        if (whitenedPrior) {
          whitenedPrior(nb);                            // the prior term ½‖z_t‖²
        }
        if (likelihood) {
          for (int t = 0; t < nb; t++) {
            logU[t] = Math.log1p(-us.nextDouble());     // log(1 − u) ≤ 0, known before integration
          }
        }
        // the bound β in the (distance, index) order; (+∞, +∞) drops nothing
        double bd = Double.POSITIVE_INFINITY;
        long bx = Long.MAX_VALUE;
        if (prune && firstTrial >= fullPrefix) {
          if (top.full()) {
            bd = c.keep == 0 ? Double.NEGATIVE_INFINITY : top.worstDistance();
            bx = c.keep == 0 ? Long.MIN_VALUE : top.worstIndex();
          }
          if (pilot != null && TopK.less(pilot.distance, pilot.index, bd, bx)) {
            bd = pilot.distance;
            bx = pilot.index;
          }
          final AbcBound sb = shared != null ? shared.current() : null;
          if (sb != null && TopK.less(sb.distance, sb.index, bd, bx)) {
            bd = sb.distance;
            bx = sb.index;
          }
          if (thresh && TopK.less(bd, bx, threshold, Long.MAX_VALUE)) {
            bd = threshold;
            bx = Long.MAX_VALUE;
          }
        }
        final int m;
        if (!batched) {
          m = cost.costControlsPruned(x, nb, firstTrial, prior, likelihood ? logU : null, dist == AbcDistance.FULL,
              bd, bx, lane, jb, jo);
          stepsDone += cost.lastBatchSteps();
        } else if (bd == Double.POSITIVE_INFINITY && bx == Long.MAX_VALUE) {
          cost.costBatchRows(x, nb, whitenedPrior ? prior : null, jb, jo);
          for (int t = 0; t < nb; t++) {
            lane[t] = t;
          }
          m = nb;
          stepsDone += (long) nb * nSteps;
        } else {
          m = cost.costBatchRowsPruned(x, nb, firstTrial, whitenedPrior ? prior : null, likelihood ? logU : null,
              dist == AbcDistance.FULL, bd, bx, lane, jb, jo);
          stepsDone += cost.lastBatchSteps();
        }
        for (int r = 0; r < m; r++) {
          final int t = lane[r];
          final long trial = firstTrial + t;
          final double j = jb[r] + jo[r];
          double d;
          switch (dist) {
            case FULL:
              d = j;
              break;
            case LIKELIHOOD_REJECTION:
              d = jo[r] + logU[t];
              break;
            default:
              d = jo[r];
              break;
          }
          if (trial < c.nPrior) {
            pIdx[pn] = trial;
            pDist[pn] = d;
            pCost[pn] = j;
            for (int i = 0; i < this.n; i++) {
              pX[pn * this.n + i] = x[i][t];
            }
            pn++;
          }
          final boolean inStats = trial < nStats;
          if (!Double.isFinite(d)) {
            if (inStats) {
              nonFinite++;
            }
            continue;
          }
          if (inStats) {
            n++;
            double delta = d - mean;
            mean += delta / n;
            m2 += delta * (d - mean);
            if (d < min) {
              min = d;
            }
            if (d > max) {
              max = d;
            }
            hist[bin(d)]++;
          }
          final boolean wanted = top.wants(d, trial);
          final boolean take = thresh && d <= threshold;
          if (wanted || (take && consumer != null)) {
            for (int i = 0; i < this.n; i++) {
              row[i] = x[i][t];
            }
          }
          if (wanted) {
            top.offer(d, trial, j, row, 0, 1);
          }
          if (take) {
            accepted++;
            if (consumer != null) {
              consumer.accept(trial, d, j, row);
            }
          }
        }
      }
      if (shared != null && prune && c.keep > 0 && top.full()) {
        final AbcBound sb = shared.current();
        if (sb == null || TopK.less(top.worstDistance(), top.worstIndex(), sb.distance, sb.index)) {
          shared.offer(new AbcBound(top.worstDistance(), top.worstIndex()));
        }
      }
      trials += count;
      statsTrials += Math.max(0, Math.min(count, nStats - first));
      stepsFull += (long) count * nSteps;
      bCount[bi] = n;
      bMean[bi] = mean;
      bM2[bi] = m2;
      bMin[bi] = min;
      bMax[bi] = max;
    }
    final int k = top.size();
    double[] td = new double[k];
    long[] ti = new long[k];
    double[] tc = new double[k];
    double[] tx = new double[k * this.n];
    top.drainSorted(td, ti, tc, tx);
    return new AbcResult(c, this.n, trials, nonFinite, accepted, td, ti, tc, tx, pIdx, pDist, pCost, pX, order,
        bCount, bMean, bM2, bMin, bMax, hist, statsTrials, stepsFull, stepsDone);
  }

  /**
   * {@code prior[t] = ½ Σ_k z[k][t]²}, the exact prior term of {@code c_t = c_b + S z_t} (B dense or an extended
   * control; summed in component order over whole rows so that the loop vectorises).
   */
  private void whitenedPrior(int nb) {
    final double[] pr = prior;
    java.util.Arrays.fill(pr, 0, nb, 0.0);
    for (int k = 0; k < n; k++) {
      final double[] zk = z[k];
      for (int t = 0; t < nb; t++) {
        pr[t] += zk[t] * zk[t];
      }
    }
    for (int t = 0; t < nb; t++) {
      pr[t] *= 0.5;
    }
  }

  /** Histogram bin of a finite d: the number of edges ≤ d (0 = underflow, edges.length = overflow). */
  private int bin(double d) {
    int lo = 0;
    int hi = edges.length; // answer in [lo, hi]
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (edges[mid] <= d) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
