package org.vi4dvar.kernels.stats;

import java.util.ArrayList;
import java.util.List;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Parallel;
import org.vi4dvar.kernels.experiment.Parallel.Part;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.experiment.TaskProgress;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.var.ControlPropagator;

/**
 * Trajectory statistics of a posterior, computed in tasks and exact: the posterior's draws 0 … S−1 are
 * propagated through the whole window, and every statistic is a sequential computation over all S draws in draw
 * order, done by the one task that owns it:
 * <ul>
 *   <li>a <em>unit</em> owns a block of rows {@code [a, b)} of one state t: the points (t, a … b−1) — their mean,
 *       standard deviation, quantiles and scores need all their draws, which the task keeps ({@code S × (b − a)}
 *       doubles) — and, when t is a covariance time, the rows a … b−1 of the covariance of x_t, accumulated by
 *       the weighted Welford update (West 1979: {@code W += w, δ = x − m, m += (w/W) δ, C += w δ (x − m)ᵀ});</li>
 *   <li>for a posterior without exact moments (a flow), further units own row blocks of the covariance of the
 *       control itself;</li>
 *   <li>a task takes a contiguous range of units, regenerates every draw once (draw i is a pure function of the
 *       posterior and i) and fills the units it owns; the first task also keeps the first
 *       {@code keepTrajectories} finite trajectories.</li>
 * </ul>
 * Scores are pooled over points in point order on the caller's side. So every number is the same, bit for bit,
 * for any number of tasks, any partitioning and after retries — and equals a direct computation over all draws
 * (tested). A task's memory is bounded by {@code taskMemory} (units are sized from it and the number of draws),
 * never by the driver: the driver holds O(nStates · nx) numbers plus the covariances (O(nx²) per covariance
 * time). A draw whose weight or trajectory is not finite anywhere is excluded from every statistic and counted.
 */
public final class TrajectoryStatistics {

  /** The reported quantile levels. */
  public static final double[] PROBS = {0.05, 0.25, 0.5, 0.75, 0.95};
  /** Default bound on one task's working memory: 128 MiB. */
  public static final long DEFAULT_TASK_MEMORY = 128L << 20;
  /** Default number of rank-histogram bins (issue 10: 10–20 bins, so that sampling noise is visible). */
  public static final int DEFAULT_RANK_BINS = 20;

  private TrajectoryStatistics() {
  }

  /** What to compute, and how units are laid out; shipped with the tasks. */
  public static final class Plan implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final int nx;
    final int nStates;
    final int nAssim;
    final int n;
    final long draws;
    final int[] covTimes;
    final boolean[] isCovTime;
    final int rankBins;
    final int keepTrajectories;
    final boolean controlMoments;
    final int covPoints;
    final int rows;
    final int blocksPerState;
    final int controlRows;
    final int controlBlocks;
    final long maxUnitsPerTask;

    /**
     * @param nx state size
     * @param nStates window length
     * @param nAssim assimilated states
     * @param n control dimension
     * @param draws S, the draws to use
     * @param covTimes states whose covariance is computed
     * @param rankBins rank-histogram bins (≥ 1)
     * @param keepTrajectories how many first finite trajectories to return
     * @param controlMoments whether to compute the control's sample moments
     * @param taskMemory bound on a task's working memory, bytes
     */
    public Plan(int nx, int nStates, int nAssim, int n, long draws, int[] covTimes, int rankBins,
        int keepTrajectories, boolean controlMoments, long taskMemory) {
      this(nx, nStates, nAssim, n, draws, covTimes, nx, rankBins, keepTrajectories, controlMoments, taskMemory);
    }

    /**
     * As the other constructor, with covariances of the grid points {@code 0 … covPoints−1} only.
     *
     * @param covPoints points of the covariances, in [1, nx]
     */
    public Plan(int nx, int nStates, int nAssim, int n, long draws, int[] covTimes, int covPoints, int rankBins,
        int keepTrajectories, boolean controlMoments, long taskMemory) {
      if (covPoints < 1 || covPoints > nx) {
        throw new IllegalArgumentException("covPoints must be in [1, " + nx + "], got " + covPoints);
      }
      this.covPoints = covPoints;
      if (draws < 1 || draws > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("draws must be in [1, 2^31 − 9], got " + draws);
      }
      if (rankBins < 1) {
        throw new IllegalArgumentException("rankBins must be >= 1, got " + rankBins);
      }
      this.nx = nx;
      this.nStates = nStates;
      this.nAssim = nAssim;
      this.n = n;
      this.draws = draws;
      this.covTimes = covTimes.clone();
      this.isCovTime = new boolean[nStates];
      for (int t : covTimes) {
        if (t < 0 || t >= nStates) {
          throw new IllegalArgumentException("covariance time " + t + " outside [0, " + nStates + ")");
        }
        isCovTime[t] = true;
      }
      this.rankBins = rankBins;
      this.keepTrajectories = keepTrajectories;
      this.controlMoments = controlMoments;
      // bytes per point kept: S doubles; the per-point workspace (5 arrays of S) is shared by the task
      long perPoint = 8L * draws + 8L * nx;
      long free = Math.max(perPoint, taskMemory - 40L * draws);
      // a task's values are one array indexed by int: at most 2^31 − 9 of them
      long pointsPerTask = Math.max(1, Math.min(free / perPoint, (Integer.MAX_VALUE - 8L) / draws));
      this.rows = (int) Math.min(nx, pointsPerTask);
      this.blocksPerState = (nx + rows - 1) / rows;
      this.controlRows = (int) Math.max(1, Math.min(n, Math.max(1, taskMemory / (16L * Math.max(1, n)))));
      this.controlBlocks = controlMoments ? (n + controlRows - 1) / controlRows : 0;
      this.maxUnitsPerTask = Math.max(1, pointsPerTask / rows);
    }

    /** Number of units. */
    public long units() {
      return (long) nStates * blocksPerState + controlBlocks;
    }

    /** Points per state unit (the last block of a state may be shorter). */
    public int rows() {
      return rows;
    }
  }

  /** What one unit computed; per point arrays of its rows. */
  public static final class UnitResult implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    boolean control;
    int t;
    int row0;
    int count;
    double[] mean;
    double[] std;
    double[] quantiles;
    double[] err;
    double[] crps;
    byte[] covered;
    int[] rankBin;
    double[] cov;
    double[] controlMean;
    // the task totals (the same in every task) and, in the first task, the first trajectories
    long used;
    long nonFinite;
    double wSum;
    double w2Sum;
    double[] traj;
    long[] trajDraws;
  }

  /**
   * Computes the statistics of {@code posterior}'s first {@code plan.draws} draws.
   *
   * @param parallel where the tasks run
   * @param inputs the experiment's shared inputs (problem, truth)
   * @param posterior the posterior, shared
   * @param plan what to compute
   * @param label the method's name, for the job's description
   * @return the summary; {@link TrajectorySummary#used} is 0 when every draw was non-finite
   */
  public static TrajectorySummary compute(Parallel parallel, Shared<ExperimentInputs> inputs,
      Shared<Posterior> posterior, Plan plan, String label) {
    final Plan pl = plan;
    Job job = new Job("statistics", label + ": trajectory statistics of " + plan.draws + " draws", "units", 1,
        plan.maxUnitsPerTask, 1);
    List<Part<ArrayList<UnitResult>>> parts = parallel.run(job, posterior, plan.units(),
        (post, lo, hi, progress) -> runUnits(inputs.get(), post, pl, lo, hi, progress));
    return assemble(inputs.get(), plan, parts);
  }

  /**
   * The trajectories of draws {@code [first, first + count)}, computed in tasks (units of draws), for writing
   * every sampled trajectory ({@code output.trajectory-samples = all}) chunk by chunk without holding them.
   *
   * @return {@code [s*dim + t*nx + i]}, and NaN everywhere in the rows of draws whose trajectory or weight is not
   *     finite (the statistics exclude them)
   */
  public static double[] trajectories(Parallel parallel, Shared<ExperimentInputs> inputs,
      Shared<Posterior> posterior, long first, int count, String label) {
    final long f0 = first;
    Job job = new Job("statistics", label + ": trajectories of draws " + first + "–" + (first + count - 1),
        "draws", 1, Math.max(1, count / Math.max(1, parallel.parallelism())), 1);
    List<Part<double[]>> parts = parallel.run(job, posterior, count, (post, lo, hi, progress) -> {
      ControlPropagator prop = inputs.get().problem().newPropagator();
      Posterior.Sampler sm = post.sampler();
      int dim = prop.trajectorySize();
      double[] c = new double[post.dimension()];
      double[] traj = new double[dim];
      double[] out = new double[(int) (hi - lo) * dim];
      for (long i = lo; i < hi; i++) {
        double w = sm.draw(f0 + i, c);
        boolean ok = Double.isFinite(w) && w >= 0 && prop.trajectory(c, traj);
        int o = (int) (i - lo) * dim;
        if (ok) {
          System.arraycopy(traj, 0, out, o, dim);
        } else {
          java.util.Arrays.fill(out, o, o + dim, Double.NaN);
        }
        progress.add(1);
      }
      return out;
    });
    int dim = inputs.get().problem().nStates() * inputs.get().problem().nx();
    double[] all = new double[count * dim];
    for (Part<double[]> p : parts) {
      System.arraycopy(p.value, 0, all, (int) p.lo * dim, p.value.length);
    }
    return all;
  }

  /** One task: units [lo, hi). */
  static ArrayList<UnitResult> runUnits(ExperimentInputs in, Posterior post, Plan p, long lo, long hi,
      TaskProgress progress) {
    final int nx = p.nx;
    final int nStates = p.nStates;
    final int s = (int) p.draws;
    final int first = (int) lo;
    final int count = (int) (hi - lo);
    ArrayList<UnitResult> out = new ArrayList<>(count);
    // lay out the units
    int points = 0;
    int[] pointOffset = new int[count];
    UnitResult[] units = new UnitResult[count];
    final long stateUnits = (long) nStates * p.blocksPerState;
    for (int u = 0; u < count; u++) {
      long id = first + u;
      UnitResult r = new UnitResult();
      if (id < stateUnits) {
        r.t = (int) (id / p.blocksPerState);
        r.row0 = (int) (id % p.blocksPerState) * p.rows;
        r.count = Math.min(p.rows, nx - r.row0);
        pointOffset[u] = points;
        points += r.count;
        if (p.isCovTime[r.t] && r.row0 < p.covPoints) {
          r.cov = new double[Math.min(r.count, p.covPoints - r.row0) * p.covPoints];
        }
      } else {
        r.control = true;
        r.t = -1;
        r.row0 = (int) (id - stateUnits) * p.controlRows;
        r.count = Math.min(p.controlRows, p.n - r.row0);
        r.cov = new double[r.count * p.n];
        pointOffset[u] = -1;
      }
      units[u] = r;
      out.add(r);
    }
    // running means of x_t for the covariance times this task owns rows of, and of the control
    double[][] covMean = new double[nStates][];
    boolean needControlMean = false;
    for (UnitResult r : units) {
      if (r.control) {
        needControlMean = true;
      } else if (r.cov != null && covMean[r.t] == null) {
        covMean[r.t] = new double[p.covPoints];
      }
    }
    double[] controlMean = needControlMean ? new double[p.n] : null;
    double[] delta = new double[Math.max(nx, p.n)];

    double[] vals = new double[Math.max(1, points) * s];
    double[] weights = new double[s];
    Posterior.Sampler sampler = DrawCache.sampler(post, s);
    ControlPropagator prop = in.problem().newPropagator();
    final int dim = prop.trajectorySize();
    double[] c = new double[p.n];
    double[] traj = new double[dim];
    final boolean keep = first == 0 && p.keepTrajectories > 0;
    double[] kept = keep ? new double[Math.min(p.keepTrajectories, s) * dim] : null;
    long[] keptDraws = keep ? new long[Math.min(p.keepTrajectories, s)] : null;
    int nKept = 0;
    int used = 0;
    long nonFinite = 0;
    double wSum = 0.0;
    double w2Sum = 0.0;
    for (int i = 0; i < s; i++) {
      double w = sampler.draw(i, c);
      boolean ok = Double.isFinite(w) && w >= 0 && prop.trajectory(c, traj);
      if (ok) {
        for (int k = 0; k < p.n; k++) {
          ok &= Double.isFinite(c[k]);
        }
      }
      if (!ok) {
        nonFinite++;
        continue;
      }
      final int j = used++;
      weights[j] = w;
      wSum += w;
      w2Sum += w * w;
      final double f = wSum > 0 ? w / wSum : 0.0;
      for (int u = 0; u < count; u++) {
        UnitResult r = units[u];
        if (r.control) {
          continue;
        }
        final int base = r.t * nx + r.row0;
        final int po = pointOffset[u];
        for (int q = 0; q < r.count; q++) {
          vals[(po + q) * s + j] = traj[base + q];
        }
      }
      // covariance rows (weighted Welford): means first, then the owned rows
      for (int t = 0; t < nStates; t++) {
        double[] m = covMean[t];
        if (m == null) {
          continue;
        }
        final int o = t * nx;
        final int cp = p.covPoints;
        for (int k = 0; k < cp; k++) {
          double d = traj[o + k] - m[k];
          delta[k] = d;
          m[k] += f * d;
        }
        for (UnitResult r : units) {
          if (r.control || r.t != t || r.cov == null) {
            continue;
          }
          final int rows = r.cov.length / cp;
          for (int q = 0; q < rows; q++) {
            final double wd = w * delta[r.row0 + q];
            final int ro = q * cp;
            for (int k = 0; k < cp; k++) {
              r.cov[ro + k] += wd * (traj[o + k] - m[k]);
            }
          }
        }
      }
      if (controlMean != null) {
        for (int k = 0; k < p.n; k++) {
          double d = c[k] - controlMean[k];
          delta[k] = d;
          controlMean[k] += f * d;
        }
        for (UnitResult r : units) {
          if (!r.control) {
            continue;
          }
          for (int q = 0; q < r.count; q++) {
            final double wd = w * delta[r.row0 + q];
            final int ro = q * p.n;
            for (int k = 0; k < p.n; k++) {
              r.cov[ro + k] += wd * (c[k] - controlMean[k]);
            }
          }
        }
      }
      if (keep && nKept < kept.length / dim) {
        System.arraycopy(traj, 0, kept, nKept * dim, dim);
        keptDraws[nKept++] = i;
      }
    }
    final double denom = wSum - (w2Sum > 0 ? w2Sum / wSum : 0.0);
    final double inv = denom > 0 ? 1.0 / denom : 0.0;
    final boolean weighted = post.weighted();
    final double[] truth = in.truth();
    PointSample ps = used > 0 ? new PointSample(used) : null;
    for (int u = 0; u < count; u++) {
      UnitResult r = units[u];
      r.used = used;
      r.nonFinite = nonFinite;
      r.wSum = wSum;
      r.w2Sum = w2Sum;
      if (r.cov != null) {
        for (int k = 0; k < r.cov.length; k++) {
          r.cov[k] *= inv;
        }
      }
      if (r.control) {
        r.controlMean = java.util.Arrays.copyOfRange(controlMean, r.row0, r.row0 + r.count);
        continue;
      }
      r.mean = new double[r.count];
      r.std = new double[r.count];
      r.quantiles = new double[PROBS.length * r.count];
      if (truth != null) {
        r.err = new double[r.count];
        r.crps = new double[r.count];
        r.covered = new byte[r.count];
        r.rankBin = new int[r.count];
      }
      if (used == 0) {
        continue;
      }
      for (int q = 0; q < r.count; q++) {
        ps.load(vals, (pointOffset[u] + q) * s, 1, used, weighted ? weights : null);
        double mu = ps.mean();
        r.mean[q] = mu;
        r.std[q] = ps.std(mu);
        for (int l = 0; l < PROBS.length; l++) {
          r.quantiles[l * r.count + q] = ps.quantile(PROBS[l]);
        }
        if (truth != null) {
          double y = truth[r.t * nx + r.row0 + q];
          r.err[q] = mu - y;
          r.crps[q] = ps.crps(y);
          r.covered[q] = (byte) ((ps.covered(y, 0.5) ? 1 : 0) | (ps.covered(y, 0.9) ? 2 : 0));
          r.rankBin[q] = ps.rankBin(y, p.rankBins);
        }
      }
      progress.add(1);
    }
    if (keep && count > 0) {
      units[0].traj = java.util.Arrays.copyOf(kept, nKept * dim);
      units[0].trajDraws = java.util.Arrays.copyOf(keptDraws, nKept);
    }
    return out;
  }

  static TrajectorySummary assemble(ExperimentInputs in, Plan p, List<Part<ArrayList<UnitResult>>> parts) {
    final int nx = p.nx;
    final int dim = nx * p.nStates;
    double[] mean = new double[dim];
    double[] std = new double[dim];
    double[][] q = new double[PROBS.length][dim];
    double[][] cov = new double[p.covTimes.length][];
    int[] covIndex = new int[p.nStates];
    java.util.Arrays.fill(covIndex, -1);
    for (int c = 0; c < p.covTimes.length; c++) {
      cov[c] = new double[p.covPoints * p.covPoints];
      covIndex[p.covTimes[c]] = c;
    }
    boolean truth = in.hasTruth();
    double[] err = truth ? new double[dim] : null;
    double[] crps = truth ? new double[dim] : null;
    byte[] covered = truth ? new byte[dim] : null;
    int[] bins = truth ? new int[dim] : null;
    double[] controlMean = p.controlMoments ? new double[p.n] : null;
    double[] controlCov = p.controlMoments ? new double[p.n * p.n] : null;
    long used = -1;
    long nonFinite = 0;
    double wSum = 0;
    double w2Sum = 0;
    double[] traj = new double[0];
    long[] trajDraws = new long[0];
    for (Part<ArrayList<UnitResult>> part : parts) {
      for (UnitResult r : part.value) {
        used = r.used;
        nonFinite = r.nonFinite;
        wSum = r.wSum;
        w2Sum = r.w2Sum;
        if (r.traj != null) {
          traj = r.traj;
          trajDraws = r.trajDraws;
        }
        if (r.control) {
          System.arraycopy(r.controlMean, 0, controlMean, r.row0, r.count);
          System.arraycopy(r.cov, 0, controlCov, r.row0 * p.n, r.count * p.n);
          continue;
        }
        final int base = r.t * nx + r.row0;
        System.arraycopy(r.mean, 0, mean, base, r.count);
        System.arraycopy(r.std, 0, std, base, r.count);
        for (int l = 0; l < PROBS.length; l++) {
          System.arraycopy(r.quantiles, l * r.count, q[l], base, r.count);
        }
        if (truth) {
          System.arraycopy(r.err, 0, err, base, r.count);
          System.arraycopy(r.crps, 0, crps, base, r.count);
          System.arraycopy(r.covered, 0, covered, base, r.count);
          System.arraycopy(r.rankBin, 0, bins, base, r.count);
        }
        if (r.cov != null) {
          System.arraycopy(r.cov, 0, cov[covIndex[r.t]], r.row0 * p.covPoints, r.cov.length);
        }
      }
    }
    for (double[] c : cov) {
      symmetrize(c, p.covPoints);
    }
    if (controlCov != null) {
      symmetrize(controlCov, p.n);
    }
    TrajectorySummary.Part a = null;
    TrajectorySummary.Part f = null;
    TrajectorySummary.Part x0 = null;
    if (truth) {
      double[] expected = PointSample.expectedRankBins((int) Math.max(1, used), p.rankBins);
      a = part(0, p.nAssim * nx, err, std, crps, covered, bins, p.rankBins, expected);
      f = part(p.nAssim * nx, dim, err, std, crps, covered, bins, p.rankBins, expected);
      x0 = part(0, nx, err, std, crps, covered, bins, p.rankBins, expected);
    }
    double ess = w2Sum > 0 ? wSum * wSum / w2Sum : 0.0;
    return new TrajectorySummary(nx, p.nStates, p.nAssim, p.draws, Math.max(0, used), nonFinite, ess, mean, std,
        q, p.covTimes.clone(), p.covPoints, cov, a, f, traj, trajDraws, controlMean, controlCov, x0, bins);
  }

  private static void symmetrize(double[] c, int n) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = 0.5 * (c[i * n + j] + c[j * n + i]);
        c[i * n + j] = v;
        c[j * n + i] = v;
      }
    }
  }

  /** Scores pooled over points [from, to) in point order. */
  private static TrajectorySummary.Part part(int from, int to, double[] err, double[] std, double[] crps,
      byte[] covered, int[] bins, int rankBins, double[] expected) {
    TrajectorySummary.Part p = new TrajectorySummary.Part();
    int n = to - from;
    p.points = n;
    p.rankHistogram = new long[n > 0 ? rankBins : 0];
    p.rankExpected = n > 0 ? expected.clone() : new double[0];
    if (n == 0) {
      return p;
    }
    double se = 0;
    double sp = 0;
    double cr = 0;
    long c50 = 0;
    long c90 = 0;
    for (int k = from; k < to; k++) {
      se += err[k] * err[k];
      sp += std[k];
      cr += crps[k];
      c50 += covered[k] & 1;
      c90 += (covered[k] >> 1) & 1;
      p.rankHistogram[bins[k]]++;
    }
    p.rmse = Math.sqrt(se / n);
    p.spread = sp / n;
    p.spreadSkill = p.spread / p.rmse;
    p.crps = cr / n;
    p.coverage50 = (double) c50 / n;
    p.coverage90 = (double) c90 / n;
    return p;
  }
}
