package org.vi4dvar.kernels.var;

import java.util.Arrays;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;

/**
 * The 4D-Var cost of a {@link FourDVarProblem} over its control c (x0; with model errors η and parameters p when
 * the problem has them, see {@link ControlSpace}), its gradient by the adjoint method, a batched cost for many
 * {@code x0} at once (strong constraint), and a many-controls cost through the scalar sweep for any control
 * ({@link #costControlsPruned}; both with exact early rejection, for ABC):
 * <pre>
 *   J(c)   = Jb + Jq + Jp + Jo,   Jb = ½ (x0 − x_b)ᵀ B⁻¹ (x0 − x_b),   Jq = ½ Σ_t ‖η_t − η_t^b‖²_{Q_t⁻¹},
 *            Jp = ½ Σ_k (p_k − p_k^b)² / σ_k²,   Jo = ½ Σ_{t&lt;T} Σ_{j obs} d_{t,j}² / σo_{t,j}²
 *   d_t    = h(D x_t) − y_t,   x_{t+1} = M(x_t; p) + η_t   (η_t = 0 for strong constraint)
 *   λ_{T−1} = H'ᵀ R⁻¹ d_{T−1},   λ_t = M'(x_t)ᵀ λ_{t+1} + H'_tᵀ R_t⁻¹ d_t
 *   ∇_{x0} J = B⁻¹ (x0 − x_b) + λ_0,   ∇_{η_t} J = Q_t⁻¹ (η_t − η_t^b) + λ_{t+1},
 *   ∇_p J = (p − p_b) / σ_p² + Σ_t (∂M/∂p|_{x_t})ᵀ λ_{t+1}
 * </pre>
 * Diagonal B: {@code Jb = ½ Σ (x0_i − x_b,i)² / σ_i²} as before; dense B = U Uᵀ: {@code Jb = ½ ‖U⁻¹(x0 − x_b)‖²}
 * and {@code ∇_{x0} Jb = U⁻ᵀ U⁻¹ (x0 − x_b)} by two triangular solves of the {@link ControlTransform}. In the
 * whitened variable v the prior terms are just {@code ½ ‖v‖²} ({@link WhitenedObjective}, which uses
 * {@link #observationCostAndGradient}). Only the {@code T = nAssim} assimilated states are computed (the
 * forecast states do not enter J). One forward sweep records the trajectory and the model's linearisation data;
 * one backward sweep gives the gradient with respect to every part of c. All workspaces are allocated in the
 * constructor (the batch buffers on the first batch of a given size), so no call allocates. The scalar and
 * batched costs evaluate the same expressions in the same order and agree bit for bit (strong constraint,
 * diagonal B: the batched cost knows neither η, nor the estimated parameters — it runs the model at the values
 * of its {@code ModelSpec} — and takes the Jb of a dense B from the caller, {@code ½‖z‖²}, else it comes out
 * NaN; see {@link #costBatchRows(double[][], int, double[], double[], double[])}). With
 * a strong-constraint problem and diagonal B every number is the one of the strong-constraint cost before the
 * control was extended, bit for bit. Not thread-safe: one instance per task or thread.
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

  // the control beyond x0
  private final ControlSpace control;
  private final ControlTransform background;
  private final boolean denseB;
  private final int dim;
  private final int nEta;
  private final int nPar;
  private final int etaOffset;
  private final int parOffset;
  private final int[] etaIndex;
  private final int[] etaStart;
  private final double[] etaCenter;
  private final double[] etaPrec;
  private final double[] parCenter;
  private final double[] parPrec;
  /** The model of the scalar sweeps: {@link #model} itself, or a second instance when parameters are estimated. */
  private final Model pmodel;

  private final double[] traj;
  private final double[] store;
  private final double[] lambda;
  private final double[] lambdaNext;
  private final double[] dB;
  private final double[] wB;
  private final double[] ap;
  private final double[] tdx;
  private final double[] tdxNext;
  private final double[] tdp;

  private double[][] rowsIn = new double[0][];
  private double[][] rowsA = new double[0][];
  private double[][] rowsB = new double[0][];
  private double[] poolBuf = new double[0];
  private double[] laneBase = new double[0];
  private int[] laneKeep = new int[0];
  private long lastBatchSteps;
  private final double[] laneControl;

  private double lastJb;
  private double lastJq;
  private double lastJp;
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
    this.control = problem.control();
    this.background = control.background();
    this.denseB = !background.diagonal();
    this.dim = control.n();
    this.nEta = control.nEta();
    this.nPar = control.nParameters();
    this.etaOffset = control.etaOffset();
    this.parOffset = control.parameterOffset();
    this.etaIndex = control.etaIndexRaw();
    this.etaStart = control.etaStartRaw();
    this.etaCenter = control.etaCenterRaw();
    this.etaPrec = control.etaPrecRaw();
    this.parCenter = control.paramCenterRaw();
    this.parPrec = control.paramPrecRaw();
    this.pmodel = nPar > 0 ? problem.model().newModel() : model;
    this.traj = new double[nAssim * nx];
    this.store = new double[Math.max(0, nAssim - 1) * storeSize];
    this.lambda = new double[nx];
    this.lambdaNext = new double[nx];
    this.dB = new double[nx];
    this.wB = new double[nx];
    this.ap = new double[nPar];
    this.tdx = new double[nx];
    this.tdxNext = new double[nx];
    this.tdp = new double[nPar];
    this.laneControl = new double[dim];
  }

  /** The problem. */
  public FourDVarProblem problem() {
    return p;
  }

  /** State size. */
  public int nx() {
    return nx;
  }

  /** The dimension of the control c (= nx for strong constraint without parameters). */
  public int dimension() {
    return dim;
  }

  /** Background part Jb (x0) of the last scalar evaluation (0 for {@link #observationCostAndGradient}). */
  public double lastBackgroundCost() {
    return lastJb;
  }

  /** Model-error part Jq of the last scalar evaluation (0 for strong constraint). */
  public double lastModelErrorCost() {
    return lastJq;
  }

  /** Parameter-prior part Jp of the last scalar evaluation (0 without estimated parameters). */
  public double lastParameterCost() {
    return lastJp;
  }

  /** The whole prior part {@code Jb + Jq + Jp} of the last scalar evaluation (= Jb for strong constraint). */
  public double lastPriorCost() {
    double prior = lastJb;
    if (nEta > 0) {
      prior += lastJq;
    }
    if (nPar > 0) {
      prior += lastJp;
    }
    return prior;
  }

  /** Observation part of the last scalar evaluation. */
  public double lastObservationCost() {
    return lastJo;
  }

  /** Number of scalar cost or cost-and-gradient evaluations made by this instance. */
  public long evaluations() {
    return evaluations;
  }

  /** {@code J(c)}; {@link #lastBackgroundCost()} and {@link #lastObservationCost()} give its parts. */
  public double cost(double[] c) {
    return evaluate(c, null, true);
  }

  /**
   * {@code J(c)} and {@code grad = ∇J(c)} (overwritten, {@link #dimension()} values) by one forward and one
   * adjoint sweep.
   *
   * @return J
   */
  public double costAndGradient(double[] c, double[] grad) {
    return evaluate(c, grad, true);
  }

  /**
   * The observation term alone, {@code Jo(c)}, and {@code grad = ∇_c Jo} (overwritten): what the whitened
   * objective {@code f(v) = ½‖v‖² + Jo(c_b + S v)} needs (its prior part is ½‖v‖², computed there).
   *
   * @return Jo
   */
  public double observationCostAndGradient(double[] c, double[] grad) {
    return evaluate(c, grad, false);
  }

  /** The observation term alone, {@code Jo(c)} (one forward sweep). */
  public double observationCost(double[] c) {
    return evaluate(c, null, false);
  }

  private double evaluate(double[] c, double[] grad, boolean prior) {
    if (c.length < dim || (grad != null && grad.length < dim)) {
      throw new IllegalArgumentException("the control has " + dim + " values, got " + c.length
          + (grad != null ? " (gradient " + grad.length + ")" : ""));
    }
    evaluations++;
    final int n = nx;
    double jb = 0.0;
    double jq = 0.0;
    double jp = 0.0;
    if (prior) {
      if (!denseB) {
        for (int i = 0; i < n; i++) {
          double d = c[i] - xb[i];
          jb += d * d * bPrec[i];
        }
      } else {
        for (int i = 0; i < n; i++) {
          dB[i] = c[i] - xb[i];
        }
        background.solve(dB, wB);                  // w = U⁻¹ (x0 − x_b), Jb = ½ ‖w‖²
        for (int i = 0; i < n; i++) {
          jb += wB[i] * wB[i];
        }
      }
      jb *= 0.5;
      for (int k = 0; k < nEta; k++) {
        double d = c[etaOffset + k] - etaCenter[k];
        jq += d * d * etaPrec[k];
      }
      jq *= 0.5;
      for (int k = 0; k < nPar; k++) {
        double d = c[parOffset + k] - parCenter[k];
        jp += d * d * parPrec[k];
      }
      jp *= 0.5;
    }

    final boolean rec = grad != null;
    forward(c, rec);
    double jo = 0.0;
    for (int t = 0; t < nAssim; t++) {
      final int xo = t * n;
      final int yo = t * ny;
      for (int o = obsStart[t]; o < obsStart[t + 1]; o++) {
        final int j = obsIndex[o];
        double d = h.value(obs.pooled(traj, xo, j)) - y[yo + j];
        jo += d * d * rPrec[yo + j];
      }
    }
    jo *= 0.5;
    lastJb = jb;
    lastJq = jq;
    lastJp = jp;
    lastJo = jo;
    final double jPrior = lastPriorCost();
    if (grad == null) {
      return jPrior + jo;
    }

    double[] l0 = backward(null, c, grad, prior);
    if (!prior) {
      System.arraycopy(l0, 0, grad, 0, n);
    } else if (!denseB) {
      for (int i = 0; i < n; i++) {
        grad[i] = (c[i] - xb[i]) * bPrec[i] + l0[i];
      }
    } else {
      background.solveTranspose(wB, dB);           // B⁻¹ (x0 − x_b) = U⁻ᵀ w
      for (int i = 0; i < n; i++) {
        grad[i] = dB[i] + l0[i];
      }
    }
    return jPrior + jo;
  }

  /**
   * The forward sweep from control c: the estimated parameters set, {@code x_{t+1} = M(x_t) + η_t} over the
   * assimilated states into {@link #traj}, recording the linearisation if {@code rec}.
   */
  private void forward(double[] c, boolean rec) {
    final int n = nx;
    if (nPar > 0) {
      control.applyParameters(c, pmodel);
    }
    System.arraycopy(c, 0, traj, 0, n);
    for (int t = 0; t + 1 < nAssim; t++) {
      pmodel.step(traj, t * n, traj, (t + 1) * n, rec ? store : null, t * storeSize);
      if (nEta > 0) {
        for (int k = etaStart[t]; k < etaStart[t + 1]; k++) {
          traj[n + etaIndex[k]] += c[etaOffset + k];   // etaIndex = t·nx + i, x_{t+1,i} = traj[(t+1)·nx + i]
        }
      }
    }
  }

  /**
   * The backward sweep over the recorded forward sweep: {@code λ_{T−1} = a_{T−1}}, {@code λ_t = M'ᵀ λ_{t+1} +
   * a_t}, with {@code a_t = H'ᵀ R⁻¹ d_t} ({@code atraj == null}) or the rows of {@code atraj}. Writes the η and
   * parameter entries of {@code grad} (their prior terms added first when {@code prior}) and returns λ_0 (a
   * workspace view).
   */
  private double[] backward(double[] atraj, double[] c, double[] grad, boolean prior) {
    final int n = nx;
    Arrays.fill(lambdaNext, 0.0);
    addForcing(atraj, nAssim - 1, lambdaNext);
    if (nPar > 0) {
      Arrays.fill(ap, 0.0);
    }
    double[] ln = lambdaNext;
    double[] l = lambda;
    for (int t = nAssim - 2; t >= 0; t--) {
      if (nEta > 0) {                                 // ∇_{η_t} = Q_t⁻¹ (η_t − η_t^b) + λ_{t+1}
        final int o = -t * n;                          // ln[i], i = etaIndex − t·nx
        for (int k = etaStart[t]; k < etaStart[t + 1]; k++) {
          double g = ln[o + etaIndex[k]];
          grad[etaOffset + k] = prior ? (c[etaOffset + k] - etaCenter[k]) * etaPrec[k] + g : g;
        }
      }
      if (nPar > 0) {
        pmodel.stepParameterAdjoint(store, t * storeSize, ln, l, ap);
      } else {
        pmodel.stepAdjoint(store, t * storeSize, ln, l);
      }
      addForcing(atraj, t, l);
      double[] tmp = ln;
      ln = l;
      l = tmp;
    }
    for (int k = 0; k < nPar; k++) {
      grad[parOffset + k] = prior ? (c[parOffset + k] - parCenter[k]) * parPrec[k] + ap[k] : ap[k];
    }
    return ln;
  }

  private void addForcing(double[] atraj, int t, double[] ax) {
    if (atraj == null) {
      addObsAdjoint(t, ax);
      return;
    }
    final int o = t * nx;
    for (int i = 0; i < nx; i++) {
      ax[i] += atraj[o + i];
    }
  }

  /** {@code ax += H'_tᵀ R_t⁻¹ d_t} at the stored state x_t. */
  private void addObsAdjoint(int t, double[] ax) {
    final int xo = t * nx;
    final int yo = t * ny;
    for (int o = obsStart[t]; o < obsStart[t + 1]; o++) {
      final int j = obsIndex[o];
      double pj = obs.pooled(traj, xo, j);
      double d = h.value(pj) - y[yo + j];
      obs.addPooledAdjoint(j, h.derivative(pj) * d * rPrec[yo + j], ax);
    }
  }

  // ---- the tangent-linear model of the whole window and its adjoint (Gauss–Newton, dot-product tests) ----

  /**
   * Runs the forward sweep from control c (not modified), recording what {@link #tangent} and {@link #adjoint}
   * linearise about; {@link #lastTrajectory()} is then the trajectory of c.
   */
  public void linearize(double[] c) {
    if (c.length < dim) {
      throw new IllegalArgumentException("the control has " + dim + " values, got " + c.length);
    }
    forward(c, true);
  }

  /**
   * The tangent of the window at the point of the last {@link #linearize}: the trajectory perturbation
   * {@code dtraj[t·nx + i]} ({@code t < nAssim}) of the control perturbation dc,
   * <pre>
   *   dx_0 = dx0,   dx_{t+1} = M'(x_t) dx_t + (∂M/∂p) dp + dη_t
   * </pre>
   * {@code dc} not modified; {@code dtraj} overwritten.
   */
  public void tangent(double[] dc, double[] dtraj) {
    final int n = nx;
    System.arraycopy(dc, 0, dtraj, 0, n);
    System.arraycopy(dc, parOffset, tdp, 0, nPar);
    for (int t = 0; t + 1 < nAssim; t++) {
      System.arraycopy(dtraj, t * n, tdx, 0, n);
      pmodel.stepTangent(store, t * storeSize, tdx, tdxNext);
      final int o = (t + 1) * n;
      System.arraycopy(tdxNext, 0, dtraj, o, n);
      if (nPar > 0) {
        pmodel.stepParameterTangent(store, t * storeSize, tdp, tdxNext);
        for (int i = 0; i < n; i++) {
          dtraj[o + i] += tdxNext[i];
        }
      }
      for (int k = etaStart[t]; k < etaStart[t + 1]; k++) {
        dtraj[n + etaIndex[k]] += dc[etaOffset + k];
      }
    }
  }

  /**
   * The adjoint of {@link #tangent}: {@code ac = Lᵀ atraj} for a trajectory adjoint {@code atraj[t·nx + i]}
   * ({@code t < nAssim}, not modified); {@code ac} ({@link #dimension()} values) overwritten. The gradient of J
   * is this with {@code atraj_t = H'_tᵀ R_t⁻¹ d_t}, plus the prior terms.
   */
  public void adjoint(double[] atraj, double[] ac) {
    double[] l0 = backward(atraj, null, ac, false);
    System.arraycopy(l0, 0, ac, 0, nx);
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
    costBatchRows(x0, nb, null, jb, jo);
  }

  /**
   * {@link #costBatchRows(double[][], int, double[], double[])} with the background term given per lane
   * ({@code prior[b]}, e.g. {@code ½‖z_b‖²} for {@code x0_b = x_b + B½ z_b}: the exact Jb of a dense B without
   * a solve), or computed from the diagonal B when {@code prior} is null. The observation part is the same.
   */
  public void costBatchRows(double[][] x0, int nb, double[] prior, double[] jb, double[] jo) {
    ensureBatch(nb);
    final int n = nx;
    for (int b = 0; b < nb; b++) {
      jb[b] = 0.0;
      jo[b] = 0.0;
    }
    for (int i = 0; i < n && prior == null; i++) {
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
      jb[b] = prior == null ? 0.5 * jb[b] : prior[b];
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
    return costBatchRowsPruned(x0, nb, firstId, null, base, withBackground, boundDistance, boundIndex, lane, jb,
        jo);
  }

  /**
   * {@link #costBatchRowsPruned(double[][], int, long, double[], boolean, double, long, int[], double[],
   * double[])} with the background term given per lane ({@code prior[b]}, as in
   * {@link #costBatchRows(double[][], int, double[], double[], double[])}), or from the diagonal B when null.
   */
  public int costBatchRowsPruned(double[][] x0, int nb, long firstId, double[] prior, double[] base,
      boolean withBackground, double boundDistance, long boundIndex, int[] lane, double[] jb, double[] jo) {
    ensureBatch(nb);
    final int n = nx;
    final double[] e = laneBase;
    final int[] keep = laneKeep;
    for (int b = 0; b < nb; b++) {
      jb[b] = 0.0;
      jo[b] = 0.0;
      lane[b] = b;
    }
    for (int i = 0; i < n && prior == null; i++) {
      final double xbi = xb[i];
      final double w = bPrec[i];
      final double[] xi = x0[i];
      for (int b = 0; b < nb; b++) {
        double d = xi[b] - xbi;
        jb[b] += d * d * w;
      }
    }
    for (int b = 0; b < nb; b++) {
      jb[b] = prior == null ? 0.5 * jb[b] : prior[b];
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

  /**
   * The costs of {@code nb} whole controls (any control: model errors η, estimated parameters, any B), one
   * control after another through the scalar forward sweep, with the exact early rejection of
   * {@link #costBatchRowsPruned}: the ABC path of a problem that the batched (strong-constraint) cost cannot take.
   * <pre>
   *   c_b = (c[0][b], …, c[n−1][b])          (column b of the rows; n = {@link #dimension()})
   *   jo_b = ½ S_b(T−1),   S_b(t) = Σ_{s≤t} Σ_{j obs} d_{s,j}² / σo²   (the order of {@link #observationCost})
   *   p_b(t) = ½ S_b(t) + e_b,   e_b = prior[b] (withPrior) | base[b] (base given) | 0
   *   lane b (id_b = firstId + b) is dropped after state t &lt; T−1  ⇔  (β_d, β_i) &lt; (p_b(t), id_b)
   * </pre>
   * Exact for the same reason as {@link #costBatchRowsPruned}: every term of S is ≥ 0 (or NaN) and rounding is
   * monotone, so a dropped lane's final pair is strictly worse than β. A surviving lane's {@code jo} equals
   * {@link #observationCost} of its control bit for bit (same forward sweep, same summation order), whatever
   * the bound. The prior term is the caller's: for {@code c = c_b + S z} it is {@code ½‖z‖²}, the exact prior
   * term {@code ½ (c − c_b)ᵀ (S Sᵀ)⁻¹ (c − c_b)} without the round-off of a solve.
   *
   * @param c the controls as rows {@code c[k][b]}, {@code b < nb}; not modified
   * @param nb lanes
   * @param firstId the index of lane 0
   * @param prior the prior term {@code jb[b]} of each lane (copied to the output {@code jb} of the survivors)
   * @param base per-lane offset of the partial distance when not {@code withPrior}, or null
   * @param withPrior whether the partial distance includes the prior term (the full-J distance)
   * @param boundDistance β_d ({@code +∞} with {@code boundIndex = Long.MAX_VALUE} drops nothing)
   * @param boundIndex β_i
   * @param lane output: the input lane of survivor r, increasing
   * @param jb output: the prior term of survivor r
   * @param jo output: Jo of survivor r
   * @return the number of survivors; {@link #lastBatchSteps()} gives the model steps computed
   */
  public int costControlsPruned(double[][] c, int nb, long firstId, double[] prior, double[] base,
      boolean withPrior, double boundDistance, long boundIndex, int[] lane, double[] jb, double[] jo) {
    final int n = nx;
    final double[] cb = laneControl;
    long steps = 0;
    int m = 0;
    for (int b = 0; b < nb; b++) {
      for (int k = 0; k < dim; k++) {
        cb[k] = c[k][b];
      }
      final double e = withPrior ? prior[b] : base != null ? base[b] : 0.0;
      final long id = firstId + b;
      if (nPar > 0) {
        control.applyParameters(cb, pmodel);
      }
      System.arraycopy(cb, 0, traj, 0, n);
      double s = 0.0;
      boolean dropped = false;
      for (int t = 0; t < nAssim; t++) {
        if (t > 0) {
          pmodel.step(traj, (t - 1) * n, traj, t * n, null, 0);
          steps++;
          if (nEta > 0) {
            for (int k = etaStart[t - 1]; k < etaStart[t]; k++) {
              traj[n + etaIndex[k]] += cb[etaOffset + k];
            }
          }
        }
        final int xo = t * n;
        final int yo = t * ny;
        for (int o = obsStart[t]; o < obsStart[t + 1]; o++) {
          final int j = obsIndex[o];
          double d = h.value(obs.pooled(traj, xo, j)) - y[yo + j];
          s += d * d * rPrec[yo + j];
        }
        if (t + 1 < nAssim) {
          final double pt = 0.5 * s + e;
          if (boundDistance < pt || (boundDistance == pt && boundIndex < id)) {
            dropped = true;
            break;
          }
        }
      }
      if (!dropped) {
        lane[m] = b;
        jb[m] = prior[b];
        jo[m] = 0.5 * s;
        m++;
      }
    }
    lastBatchSteps = steps;
    return m;
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
