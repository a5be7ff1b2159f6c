package org.vi4dvar.kernels.var;

import java.util.Arrays;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;

/**
 * The strong-constraint 4D-Var cost of a {@link FourDVarProblem}, its gradient by the adjoint method, and a
 * batched cost for many {@code x0} at once.
 * <pre>
 *   J(x0)  = Jb + Jo,   Jb = ½ Σ_i (x0_i − xb_i)² / σb_i²,   Jo = ½ Σ_{t&lt;T} Σ_{j obs} d_{t,j}² / σo_{t,j}²,
 *   d_t    = h(D x_t) − y_t,   x_{t+1} = M(x_t)
 *   λ_{T−1} = H'ᵀ R⁻¹ d_{T−1},   λ_t = M'(x_t)ᵀ λ_{t+1} + H'_tᵀ R_t⁻¹ d_t,   ∇J = B⁻¹ (x0 − xb) + λ_0
 * </pre>
 * Only the {@code T = nAssim} assimilated states are computed (the forecast states do not enter J). One
 * forward sweep records the trajectory and the model's linearisation data; one backward sweep gives the
 * gradient. All workspaces are allocated in the constructor (the batch buffers on the first batch of a given
 * size), so no call allocates. The scalar and batched costs evaluate the same expressions in the same order
 * and agree bit for bit. Not thread-safe: one instance per task or thread.
 */
public final class FourDVarCost {

  private final FourDVarProblem p;
  private final Model model;
  private final ObservationOperator obs;
  private final Nonlinearity h;
  private final int nx;
  private final int ny;
  private final int nAssim;
  private final int storeSize;
  private final int pool;
  private final double[] xb;
  private final double[] bPrec;
  private final double[] y;
  private final double[] rPrec;
  private final int[] obsStart;
  private final int[] obsIndex;

  private final double[] traj;
  private final double[] store;
  private final double[] lambda;
  private final double[] lambdaNext;

  private double[][] rowsIn = new double[0][];
  private double[][] rowsA = new double[0][];
  private double[][] rowsB = new double[0][];
  private double[] poolBuf = new double[0];
  private double[] laneBase = new double[0];
  private int[] laneKeep = new int[0];
  private long lastBatchSteps;

  private double lastJb;
  private double lastJo;
  private long evaluations;

  /** Builds the cost with its own model instance and workspaces. */
  public FourDVarCost(FourDVarProblem problem) {
    this.p = problem;
    this.model = problem.model().newModel();
    this.obs = problem.obs();
    this.h = obs.nonlinearity();
    this.nx = problem.nx();
    this.ny = problem.ny();
    this.nAssim = problem.nAssim();
    this.storeSize = model.storeSize();
    this.pool = obs.pooling();
    this.xb = problem.xbRaw();
    this.bPrec = problem.bPrecRaw();
    this.y = problem.yRaw();
    this.rPrec = problem.rPrecRaw();
    this.obsStart = problem.obsStartRaw();
    this.obsIndex = problem.obsIndexRaw();
    this.traj = new double[nAssim * nx];
    this.store = new double[Math.max(0, nAssim - 1) * storeSize];
    this.lambda = new double[nx];
    this.lambdaNext = new double[nx];
  }

  /** The problem. */
  public FourDVarProblem problem() {
    return p;
  }

  /** State size. */
  public int nx() {
    return nx;
  }

  /** Background part of the last scalar evaluation. */
  public double lastBackgroundCost() {
    return lastJb;
  }

  /** Observation part of the last scalar evaluation. */
  public double lastObservationCost() {
    return lastJo;
  }

  /** Number of scalar cost or cost-and-gradient evaluations made by this instance. */
  public long evaluations() {
    return evaluations;
  }

  /** {@code J(x0)}; {@link #lastBackgroundCost()} and {@link #lastObservationCost()} give its parts. */
  public double cost(double[] x0) {
    return evaluate(x0, null);
  }

  /**
   * {@code J(x0)} and {@code grad = ∇J(x0)} (overwritten) by one forward and one adjoint sweep.
   *
   * @return J
   */
  public double costAndGradient(double[] x0, double[] grad) {
    return evaluate(x0, grad);
  }

  private double evaluate(double[] x0, double[] grad) {
    evaluations++;
    final int n = nx;
    double jb = 0.0;
    for (int i = 0; i < n; i++) {
      double d = x0[i] - xb[i];
      jb += d * d * bPrec[i];
    }
    jb *= 0.5;

    System.arraycopy(x0, 0, traj, 0, n);
    final boolean rec = grad != null;
    for (int t = 0; t + 1 < nAssim; t++) {
      model.step(traj, t * n, traj, (t + 1) * n, rec ? store : null, t * storeSize);
    }
    double jo = 0.0;
    for (int t = 0; t < nAssim; t++) {
      final int xo = t * n;
      final int yo = t * ny;
      for (int c = obsStart[t]; c < obsStart[t + 1]; c++) {
        final int j = obsIndex[c];
        double d = h.value(obs.pooled(traj, xo, j)) - y[yo + j];
        jo += d * d * rPrec[yo + j];
      }
    }
    jo *= 0.5;
    lastJb = jb;
    lastJo = jo;
    if (grad == null) {
      return jb + jo;
    }

    // adjoint sweep: λ_{T-1} = H'ᵀR⁻¹d_{T-1}; λ_t = M'ᵀλ_{t+1} + H'ᵀR⁻¹d_t
    Arrays.fill(lambdaNext, 0.0);
    addObsAdjoint(nAssim - 1, lambdaNext);
    double[] ln = lambdaNext;
    double[] l = lambda;
    for (int t = nAssim - 2; t >= 0; t--) {
      model.stepAdjoint(store, t * storeSize, ln, l);
      addObsAdjoint(t, l);
      double[] tmp = ln;
      ln = l;
      l = tmp;
    }
    for (int i = 0; i < n; i++) {
      grad[i] = (x0[i] - xb[i]) * bPrec[i] + ln[i];
    }
    return jb + jo;
  }

  /** {@code ax += H'_tᵀ R_t⁻¹ d_t} at the stored state x_t. */
  private void addObsAdjoint(int t, double[] ax) {
    final int xo = t * nx;
    final int yo = t * ny;
    for (int c = obsStart[t]; c < obsStart[t + 1]; c++) {
      final int j = obsIndex[c];
      double pj = obs.pooled(traj, xo, j);
      double d = h.value(pj) - y[yo + j];
      obs.addPooledAdjoint(j, h.derivative(pj) * d * rPrec[yo + j], ax);
    }
  }

  /**
   * The trajectory {@code x_t} (t &lt; nAssim) of the last scalar evaluation, {@code traj[t*nx+i]}; a view,
   * valid until the next call.
   */
  public double[] lastTrajectory() {
    return traj;
  }

  /**
   * Batched cost of {@code nb} initial states, state-major {@code x0[i*nb + b]} (not modified). Writes the
   * background and observation parts {@code jb[b]}, {@code jo[b]}; {@code J = jb + jo} equals, bit for bit,
   * {@link #cost} of member b. Needs no gradient and records nothing. The rows are copied into the internal
   * row layout of {@link #costBatchRows}, which callers that fill rows directly can use instead.
   */
  public void costBatch(double[] x0, int nb, double[] jb, double[] jo) {
    ensureBatch(nb);
    for (int i = 0; i < nx; i++) {
      System.arraycopy(x0, i * nb, rowsIn[i], 0, nb);
    }
    costBatchRows(rowsIn, nb, jb, jo);
  }

  /**
   * Batched cost of {@code nb} initial states held as rows, {@code x0[i][b]} for {@code b < nb} (not
   * modified). Same results as {@link #costBatch}. Each inner loop runs over the batch on whole rows, which C2
   * vectorises (see {@link org.vi4dvar.kernels.model.Dynamics#tendencyBatch}).
   */
  public void costBatchRows(double[][] x0, int nb, double[] jb, double[] jo) {
    ensureBatch(nb);
    final int n = nx;
    for (int b = 0; b < nb; b++) {
      jb[b] = 0.0;
      jo[b] = 0.0;
    }
    for (int i = 0; i < n; i++) {
      final double xbi = xb[i];
      final double w = bPrec[i];
      final double[] xi = x0[i];
      for (int b = 0; b < nb; b++) {
        double d = xi[b] - xbi;
        jb[b] += d * d * w;
      }
    }
    double[][] cur = x0;
    double[][] next = rowsA;
    for (int t = 0; t < nAssim; t++) {
      if (t > 0) {
        model.stepBatch(cur, next, nb);
        cur = next;
        next = cur == rowsA ? rowsB : rowsA;
      }
      addObsCostBatch(t, cur, nb, jo);
    }
    for (int b = 0; b < nb; b++) {
      jb[b] *= 0.5;
      jo[b] *= 0.5;
    }
  }

  /**
   * Batched cost with <b>exact early rejection</b>: the rows of {@link #costBatchRows}, but after the observation
   * term of each assimilated state {@code t < T−1} the lanes whose partial distance is already strictly worse
   * than a bound are dropped, and the surviving lanes are compacted to the front of the rows (stable, so they
   * stay in input order), so every later step and observation loop runs on full vectors of survivors only.
   * Compaction waits until at least a quarter of the lanes are dead (until then they are carried along), so a
   * few lanes beyond the bound may come out as survivors, evaluated in full like any other.
   * <pre>
   *   S_b(t) = Σ_{s≤t} Σ_{j obs} (h(D x_s)_j − y_{s,j})² / σo²   (costBatchRows's running sum, same order)
   *   p_b(t) = ½ S_b(t) + e_b,   e_b = Jb_b (withBackground) | base[b] (base given) | 0
   *   lane b (trial id_b = firstId + b) is dropped after state t  ⇔  (β_d, β_i) &lt; (p_b(t), id_b)
   *   in the total order (d, i) &lt; (d', i') ⇔ d &lt; d' ∨ (d = d' ∧ i &lt; i')
   * </pre>
   * Why this is exact: every term added to S is {@code d·d·w ≥ 0} (or NaN), and IEEE round-to-nearest is
   * monotone, so in floating point {@code S(t) ≤ S(T−1)}, hence {@code p(t) ≤ p(T−1)}, and {@code p(T−1)} is,
   * bit for bit, the final {@code Jo + e} ({@code jo} is {@code ½ S}; {@code jb + jo} is commutative). A dropped
   * lane's final pair is therefore strictly worse than β too: every lane whose final pair is not worse than β
   * survives (the converse need not hold). A lane equal to β is kept; a lane whose partial
   * is NaN is never dropped (NaN compares false). The kept lanes never leave the rows, and every per-lane
   * operation is the one {@link #costBatchRows} does (the batched step is lane-wise), so their {@code jb},
   * {@code jo} equal {@link #costBatchRows}'s bit for bit whatever was dropped around them.
   *
   * @param x0 initial states as rows {@code x0[i][b]}, {@code b < nb}; not modified
   * @param nb lanes
   * @param firstId the index of lane 0 (lane b has index {@code firstId + b}; ties with β are broken by it)
   * @param base the per-lane offset e_b of the partial distance (e.g. the likelihood distance's
   *     {@code log(1 − u)}), or null; not modified; ignored when {@code withBackground}
   * @param withBackground whether the partial distance includes Jb (the full-J distance)
   * @param boundDistance β_d ({@code +∞} with {@code boundIndex = Long.MAX_VALUE} drops nothing)
   * @param boundIndex β_i
   * @param lane output: {@code lane[r]}, {@code r <} the returned count, is the input lane of survivor r,
   *     increasing; modified
   * @param jb output: Jb of survivor r at {@code jb[r]}; modified
   * @param jo output: Jo of survivor r at {@code jo[r]}; modified
   * @return the number of surviving lanes; {@link #lastBatchSteps()} gives the model steps computed
   */
  public int costBatchRowsPruned(double[][] x0, int nb, long firstId, double[] base, boolean withBackground,
      double boundDistance, long boundIndex, int[] lane, double[] jb, double[] jo) {
    ensureBatch(nb);
    final int n = nx;
    final double[] e = laneBase;
    final int[] keep = laneKeep;
    for (int b = 0; b < nb; b++) {
      jb[b] = 0.0;
      jo[b] = 0.0;
      lane[b] = b;
    }
    for (int i = 0; i < n; i++) {
      final double xbi = xb[i];
      final double w = bPrec[i];
      final double[] xi = x0[i];
      for (int b = 0; b < nb; b++) {
        double d = xi[b] - xbi;
        jb[b] += d * d * w;
      }
    }
    for (int b = 0; b < nb; b++) {
      jb[b] *= 0.5;
      e[b] = withBackground ? jb[b] : base != null ? base[b] : 0.0;
    }
    final double bd = boundDistance;
    final long bi = boundIndex;
    double[][] cur = x0;
    double[][] next = rowsA;
    int live = nb;
    long steps = 0;
    for (int t = 0; t < nAssim && live > 0; t++) {
      if (t > 0) {
        model.stepBatch(cur, next, live);
        steps += live;
        cur = next;
        next = cur == rowsA ? rowsB : rowsA;
      }
      addObsCostBatch(t, cur, live, jo);
      if (t + 1 == nAssim) {
        break;
      }
      // a vectorised pre-test: if no partial distance reaches the bound, no lane can be dropped (max is exact)
      double pmax = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < live; r++) {
        pmax = Math.max(pmax, 0.5 * jo[r] + e[r]);
      }
      if (pmax < bd) {
        continue;
      }
      int m = 0;
      for (int r = 0; r < live; r++) {
        final double p = 0.5 * jo[r] + e[r];
        final long id = firstId + lane[r];
        final boolean drop = bd < p | (bd == p & bi < id);   // non-short-circuit: no branch to mispredict
        keep[m] = r;
        m += drop ? 0 : 1;
      }
      if (4 * (live - m) < live) {
        // fewer than a quarter of the lanes are dead: carry them one more step rather than move the survivors
        // (a compaction moves nx + 4 values per survivor; a dead lane costs a step; measured on the talk problem:
        // −5 % time for +7 % steps); they are dropped again at the next check, or come out as survivors,
        // which is harmless: a survivor is only ever a trial evaluated in full
        continue;
      }
      // compact the survivors to the front (keep[q] ≥ q and increasing: an in-place forward gather is safe);
      // the caller's x0 is never written: the first compaction out of it goes to rowsIn
      final double[][] dst = cur == x0 ? rowsIn : cur;
      for (int i = 0; i < n; i++) {
        final double[] src = cur[i];
        final double[] di = dst[i];
        for (int q = 0; q < m; q++) {
          di[q] = src[keep[q]];
        }
      }
      for (int q = 0; q < m; q++) {
        final int r = keep[q];
        jb[q] = jb[r];
        jo[q] = jo[r];
        e[q] = e[r];
        lane[q] = lane[r];
      }
      cur = dst;
      live = m;
    }
    for (int r = 0; r < live; r++) {
      jo[r] *= 0.5;
    }
    lastBatchSteps = steps;
    return live;
  }

  /** Model steps (lanes × steps) computed by the last {@link #costBatchRowsPruned} call. */
  public long lastBatchSteps() {
    return lastBatchSteps;
  }

  private void ensureBatch(int nb) {
    if (rowsA.length < nx || rowsA[0].length < nb) {
      rowsIn = new double[nx][nb];
      rowsA = new double[nx][nb];
      rowsB = new double[nx][nb];
      poolBuf = new double[nb];
      laneBase = new double[nb];
      laneKeep = new int[nb];
    }
  }

  private void addObsCostBatch(int t, double[][] x, int nb, double[] jo) {
    final int yo = t * ny;
    final int r = pool;
    for (int c = obsStart[t]; c < obsStart[t + 1]; c++) {
      final int j = obsIndex[c];
      final double yj = y[yo + j];
      final double w = rPrec[yo + j];
      if (r == 1) {
        addObsTermBatch(x[j], yj, w, nb, jo);
      } else {
        addObsTermBatch(batchPool(x, j * r, r, nb), yj, w, nb, jo);
      }
    }
  }

  /** The pooled row {@code (Σ_{k<r} x[i0+k][b]) / r}, in the scalar {@link ObservationOperator#pooled} order. */
  private double[] batchPool(double[][] x, int i0, int r, int nb) {
    final double[] s = poolBuf;
    System.arraycopy(x[i0], 0, s, 0, nb);
    for (int k = 1; k < r; k++) {
      final double[] xk = x[i0 + k];
      for (int b = 0; b < nb; b++) {
        s[b] += xk[b];
      }
    }
    for (int b = 0; b < nb; b++) {
      s[b] = s[b] / r;
    }
    return s;
  }

  /** {@code jo[b] += (h(p[b]) − y)² w}, one loop per nonlinearity so that each vectorises. */
  private void addObsTermBatch(double[] p, double yj, double w, int nb, double[] jo) {
    switch (h) {
      case IDENTITY:
        for (int b = 0; b < nb; b++) {
          double d = p[b] - yj;
          jo[b] += d * d * w;
        }
        break;
      case SQUARE:
        for (int b = 0; b < nb; b++) {
          double v = p[b];
          double d = v * v - yj;
          jo[b] += d * d * w;
        }
        break;
      case CUBE:
        for (int b = 0; b < nb; b++) {
          double v = p[b];
          double d = v * v * v - yj;
          jo[b] += d * d * w;
        }
        break;
      default:
        for (int b = 0; b < nb; b++) {
          double d = h.value(p[b]) - yj;
          jo[b] += d * d * w;
        }
        break;
    }
  }
}
