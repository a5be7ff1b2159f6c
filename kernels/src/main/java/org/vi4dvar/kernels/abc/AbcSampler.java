package org.vi4dvar.kernels.abc;

import java.util.Arrays;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * ABC rejection for x0 over blocks of trials:
 * <pre>
 *   trial i = b·blockSize + s  (block b, s-th trial of the block)
 *   x0_i = x_b + σ_b ⊙ z_i,   z_i = the next nx Gaussians of RandomStream(seed, ABC_BLOCK, b), in component order
 *   distance: Jo(x0_i) | J(x0_i) | Jo(x0_i) + log(1 − u_i)   (see {@link AbcDistance}),
 *            u_i = the s-th uniform of RandomStream(seed, ABC_BLOCK, −1 − b) (a stream disjoint from the trials')
 * </pre>
 * Costs are evaluated by {@link FourDVarCost#costBatchRows} in chunks of {@link AbcConfig#chunk} trials; since the
 * batched cost equals the scalar one bit for bit and z is drawn trial by trial, neither x0 nor the distance
 * depends on the chunking. Per block the sampler keeps the k smallest (distance, index) pairs in a bounded
 * max-heap, the prior sample (indices &lt; nPrior), counts, Welford statistics of the distance, and a histogram
 * ({@link AbcResult}).
 *
 * <p>The unit of work of a Spark task is {@link #runBlocks} over the blocks of its partition (one sampler per
 * partition); partial results merge exactly with {@link AbcResult#merge}. Not thread-safe (owns a
 * {@link FourDVarCost} and workspaces); allocation only per result, not per trial or chunk.
 */
public final class AbcSampler {

  private final AbcConfig c;
  private final FourDVarCost cost;
  private final int nx;
  private final double[] xb;
  private final double[] bStd;
  private final double[] edges;
  private final double[][] x;
  private final double[] jb;
  private final double[] jo;
  private final double[] row;
  private final TopK top;

  /** A sampler for {@code problem} with settings {@code config}. */
  public AbcSampler(FourDVarProblem problem, AbcConfig config) {
    this.c = config;
    this.cost = new FourDVarCost(problem.requireStrongDiagonal("ABC"));
    this.nx = problem.nx();
    this.xb = problem.xb();
    this.bStd = problem.bStd();
    this.edges = config.edgesRaw();
    this.x = new double[nx][config.chunk];
    this.jb = new double[config.chunk];
    this.jo = new double[config.chunk];
    this.row = new double[nx];
    this.top = new TopK(config.keep, nx);
  }

  /** The settings. */
  public AbcConfig config() {
    return c;
  }

  /** One block; no threshold consumer (accepted trials are only counted). */
  public AbcResult runBlock(long block) {
    return runBlocks(new long[] {block}, null);
  }

  /**
   * Evaluates the given blocks (distinct, any order) and returns their result.
   *
   * @param blocks block indices in {@code [0, config.blocks())}, not modified
   * @param consumer receives every trial with distance ≤ threshold (may be null: only counted)
   * @throws IllegalArgumentException on a block out of range or repeated
   */
  public AbcResult runBlocks(long[] blocks, AbcTrialConsumer consumer) {
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
    double[] pX = new double[priorCap * nx];
    int pn = 0;
    long trials = 0;
    long nonFinite = 0;
    long accepted = 0;
    final boolean thresh = c.hasThreshold();
    final double threshold = c.threshold;
    final AbcDistance dist = c.distance;
    final int chunk = c.chunk;
    for (int bi = 0; bi < nBlocks; bi++) {
      final long b = order[bi];
      final long first = b * c.blockSize;
      final int count = c.trialsInBlock(b);
      RandomStream z = RandomStream.of(c.seed, Domain.ABC_BLOCK, b);
      RandomStream u = dist == AbcDistance.LIKELIHOOD_REJECTION
          ? RandomStream.of(c.seed, Domain.ABC_BLOCK, -1 - b) : null;
      long n = 0;
      double mean = 0.0;
      double m2 = 0.0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int s0 = 0; s0 < count; s0 += chunk) {
        final int nb = Math.min(chunk, count - s0);
        for (int t = 0; t < nb; t++) {
          for (int i = 0; i < nx; i++) {
            x[i][t] = xb[i] + bStd[i] * z.nextGaussian();
          }
        }
        cost.costBatchRows(x, nb, jb, jo);
        for (int t = 0; t < nb; t++) {
          final long trial = first + s0 + t;
          final double j = jb[t] + jo[t];
          double d;
          switch (dist) {
            case FULL:
              d = j;
              break;
            case LIKELIHOOD_REJECTION:
              d = jo[t] + Math.log1p(-u.nextDouble());
              break;
            default:
              d = jo[t];
              break;
          }
          if (trial < c.nPrior) {
            pIdx[pn] = trial;
            pDist[pn] = d;
            pCost[pn] = j;
            for (int i = 0; i < nx; i++) {
              pX[pn * nx + i] = x[i][t];
            }
            pn++;
          }
          if (!Double.isFinite(d)) {
            nonFinite++;
            continue;
          }
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
          final boolean wanted = top.wants(d, trial);
          final boolean take = thresh && d <= threshold;
          if (wanted || (take && consumer != null)) {
            for (int i = 0; i < nx; i++) {
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
      trials += count;
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
    double[] tx = new double[k * nx];
    top.drainSorted(td, ti, tc, tx);
    return new AbcResult(c, nx, trials, nonFinite, accepted, td, ti, tc, tx, pIdx, pDist, pCost, pX, order,
        bCount, bMean, bM2, bMin, bMax, hist);
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
