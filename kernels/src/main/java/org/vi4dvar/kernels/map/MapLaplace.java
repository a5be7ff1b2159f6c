package org.vi4dvar.kernels.map;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.optim.Lbfgs;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.optim.StopReason;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.var.ControlSpace;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.MinimizationSpace;
import org.vi4dvar.kernels.var.WhitenedObjective;

/**
 * 4D-Var MAP estimate and Laplace approximation over the problem's control c (x0; plus the model errors and
 * parameters when the control has them, {@link ControlSpace}): minimise J by {@link Lbfgs} from a start — in
 * the whitened variable v, {@code c = c_b + S v} ({@link WhitenedObjective}, the default) or in c itself
 * ({@link MinimizationSpace#CONTROL}, the behaviour before issue 12) — then
 * <pre>
 *   finite differences:  (H S)_{:,j} = (∇J(c* + h s_j) − ∇J(c* − h s_j)) / 2h,   s_j = S e_j (column j of S)
 *                        H_v = Sᵀ (H S), symmetrised;   H = S⁻ᵀ H_v S⁻¹
 *   Gauss–Newton:        H = S⁻ᵀ S⁻¹ + Σ_t G_tᵀ R_t⁻¹ G_t,   G_t = H'_t(x_t) ∂x_t/∂c   (rows: observed points)
 * </pre>
 * and {@code Σ = H⁻¹} by Cholesky ({@link LaplaceResult}; {@link LaplaceResult#whitenedHessian} gives H_v).
 *
 * <p><b>Finite-difference steps: along the columns of S.</b> A step of h along s_j is a step of h in v_j: the
 * same fraction of the prior std in every direction of the prior, whatever the correlations, and it yields the
 * Hessian in v, {@code H_v = I + Sᵀ H_o S} (eigenvalues ≥ 1), which is what a posterior held in v
 * (the Laplace factor of {@code GaussianPosterior}) uses. Per-component steps scaled by {@code scale(i)} would
 * give H in c, whose conversion to v multiplies its finite-difference error by ‖S‖² and which is ill-conditioned
 * with correlated B. For diagonal S the two coincide — {@code s_j = σ_j e_j}, the step {@code h σ_j} along
 * e_j — and that case runs exactly the computation of before (same steps, same quotients, same bits).
 *
 * <p>The unit of work of one Spark task is one {@link #run(double[])} from one start (multi-start: starts from
 * {@link #jitteredStart} or from the lowest-J ABC trials). Deterministic. Not thread-safe (owns a
 * {@link FourDVarCost} and workspaces): one per task.
 */
public final class MapLaplace {

  private final FourDVarProblem problem;
  private final LaplaceConfig config;
  private final FourDVarCost cost;
  private final FourDVarObjective objective;
  private final WhitenedObjective whitened;
  private final ControlSpace control;
  private final Lbfgs lbfgs;
  private final int n;
  private final double[] gPlus;
  private final double[] gMinus;
  private final double[] xh;

  /** A MAP/Laplace kernel for {@code problem}. */
  public MapLaplace(FourDVarProblem problem, LaplaceConfig config) {
    this.problem = problem;
    this.config = config;
    this.cost = new FourDVarCost(problem);
    this.objective = new FourDVarObjective(cost);
    this.whitened = new WhitenedObjective(cost);
    this.control = problem.control();
    this.lbfgs = new Lbfgs(config.lbfgs);
    this.n = problem.dimension();
    this.gPlus = new double[n];
    this.gMinus = new double[n];
    this.xh = new double[n];
  }

  /** The problem. */
  public FourDVarProblem problem() {
    return problem;
  }

  /** Minimises from the prior mean of the control (the background), then the Laplace approximation. */
  public LaplaceResult runFromBackground() {
    return run(control.centerVector());
  }

  /**
   * Minimises J from {@code start} (a control vector, not modified), then forms the Hessian at the minimiser.
   * Never throws on a non-positive-definite Hessian (see {@link LaplaceResult#positiveDefinite}); the minimiser
   * never returns a non-finite point (if J is not finite at the start, the result is at the start,
   * {@code DIVERGED}, not PD). In v the result is mapped back, {@code c* = c_b + S v*}; the {@link OptimResult}
   * then reports f(v) and ‖∇_v f‖.
   */
  public LaplaceResult run(double[] start) {
    requireLength(start);
    double[] x = start.clone();
    OptimResult r;
    if (config.space == MinimizationSpace.WHITENED) {
      double[] v = new double[n];
      whitened.toWhitened(start, v);
      r = lbfgs.minimize(whitened, v);
      if (!(r.stopReason == StopReason.DIVERGED && r.iterations == 0)) {
        whitened.toControl(v, x);
      }
    } else {
      r = lbfgs.minimize(objective, x);
    }
    return laplace(start.clone(), x, r);
  }

  /** The Laplace approximation at a given point, without minimising. */
  public LaplaceResult laplaceAt(double[] x0) {
    requireLength(x0);
    return laplace(x0.clone(), x0.clone(), null);
  }

  private LaplaceResult laplace(double[] start, double[] x, OptimResult r) {
    double j = cost.cost(x);
    double jb = cost.lastPriorCost();
    double jo = cost.lastObservationCost();
    double[] h = new double[n * n];
    double asym = 0.0;
    boolean finite = Double.isFinite(j);
    if (finite) {
      if (config.hessian == HessianMethod.GAUSS_NEWTON) {
        gaussNewtonHessian(x, h);
      } else {
        asym = finiteDifferenceHessian(x, h);
      }
      for (double v : h) {
        finite &= Double.isFinite(v);
      }
    }
    double[] l = new double[n * n];
    boolean pd = finite && Cholesky.decompose(n, h, l);
    double[] cov = null;
    if (pd) {
      cov = new double[n * n];
      Cholesky.inverse(n, l, cov);
    } else {
      l = null;
    }
    return new LaplaceResult(n, start, x, j, jb, jo, r, config.hessian, h, asym, pd, l, cov);
  }

  /**
   * Central-difference Hessian of J at the control x (symmetrised) into {@code out} (n×n), with steps
   * {@code fdStep} along the columns of S (see the class comment; for diagonal S: {@code fdStep · σ_j} along
   * e_j).
   *
   * @return the relative asymmetry before symmetrising (of H_v for a non-diagonal S)
   */
  public double finiteDifferenceHessian(double[] x, double[] out) {
    return control.diagonal() ? finiteDifferenceDiagonal(x, out) : finiteDifferenceWhitened(x, out);
  }

  private double finiteDifferenceDiagonal(double[] x, double[] out) {
    System.arraycopy(x, 0, xh, 0, n);
    for (int j = 0; j < n; j++) {
      double step = config.fdStep * control.scale(j);
      xh[j] = x[j] + step;
      cost.costAndGradient(xh, gPlus);
      xh[j] = x[j] - step;
      cost.costAndGradient(xh, gMinus);
      xh[j] = x[j];
      // the actual steps after rounding of x ± step, so the quotient is exact up to the gradients' error
      double width = (x[j] + step) - (x[j] - step);
      for (int i = 0; i < n; i++) {
        out[i * n + j] = (gPlus[i] - gMinus[i]) / width;
      }
    }
    return symmetrise(out);
  }

  /** Steps along s_j = S e_j: H_v column by column, symmetrised, then H = S⁻ᵀ H_v S⁻¹. */
  private double finiteDifferenceWhitened(double[] x, double[] out) {
    final double hstep = config.fdStep;
    double[] e = new double[n];
    double[] sj = new double[n];
    double[] col = new double[n];
    double[] hv = new double[n * n];
    for (int j = 0; j < n; j++) {
      e[j] = 1.0;
      control.apply(e, sj);
      e[j] = 0.0;
      for (int i = 0; i < n; i++) {
        xh[i] = x[i] + hstep * sj[i];
      }
      cost.costAndGradient(xh, gPlus);
      for (int i = 0; i < n; i++) {
        xh[i] = x[i] - hstep * sj[i];
      }
      cost.costAndGradient(xh, gMinus);
      for (int i = 0; i < n; i++) {
        gPlus[i] = (gPlus[i] - gMinus[i]) / (2.0 * hstep);   // (H S) e_j
      }
      control.applyTranspose(gPlus, col);                   // H_v e_j = Sᵀ H S e_j
      for (int i = 0; i < n; i++) {
        hv[i * n + j] = col[i];
      }
    }
    double asym = symmetrise(hv);
    fromWhitened(control, hv, out);
    return asym;
  }

  /** {@code out = S⁻ᵀ hv S⁻¹} (hv symmetric), symmetrised. */
  static void fromWhitened(ControlTransform s, double[] hv, double[] out) {
    final int n = s.n();
    double[] col = new double[n];
    double[] res = new double[n];
    double[] y = new double[n * n];
    for (int j = 0; j < n; j++) {                  // Y = S⁻ᵀ H_v, column by column
      for (int i = 0; i < n; i++) {
        col[i] = hv[i * n + j];
      }
      s.solveTranspose(col, res);
      for (int i = 0; i < n; i++) {
        y[i * n + j] = res[i];
      }
    }
    for (int i = 0; i < n; i++) {                  // H = Y S⁻¹: row i of H is S⁻ᵀ (row i of Y) (H symmetric)
      System.arraycopy(y, i * n, col, 0, n);
      s.solveTranspose(col, res);
      System.arraycopy(res, 0, out, i * n, n);
    }
    symmetrise(out);
  }

  /** Symmetrises in place; returns {@code max |H_ij − H_ji| / max |H_ij|} before. */
  private static double symmetrise(double[] out) {
    final int n = (int) Math.round(Math.sqrt(out.length));
    double maxAbs = 0.0;
    double maxAsym = 0.0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        maxAbs = Math.max(maxAbs, Math.abs(out[i * n + j]));
      }
      for (int j = 0; j < i; j++) {
        double a = out[i * n + j];
        double b = out[j * n + i];
        maxAsym = Math.max(maxAsym, Math.abs(a - b));
        double s = 0.5 * (a + b);
        out[i * n + j] = s;
        out[j * n + i] = s;
      }
    }
    return maxAbs > 0 ? maxAsym / maxAbs : 0.0;
  }

  /**
   * Gauss–Newton Hessian {@code S⁻ᵀ S⁻¹ + Σ_t G_tᵀ R_t⁻¹ G_t} at the control x into {@code out}: one forward
   * sweep recording the linearisation, then the tangent-linear image of each unit vector e_j of the control
   * through the window ({@link FourDVarCost#tangent}: x0, η and parameter directions alike).
   */
  public void gaussNewtonHessian(double[] x, double[] out) {
    final int nx = problem.nx();
    final int nAssim = problem.nAssim();
    final int ny = problem.ny();
    final ObservationOperator obs = problem.obs();
    final Nonlinearity hh = obs.nonlinearity();
    final double[] obsStd = problem.obsStd();
    FourDVarCost lin = new FourDVarCost(problem);
    lin.linearize(x);
    final double[] traj = lin.lastTrajectory();
    final int nObs = problem.nObs();
    double[] g = new double[nObs * n]; // G, one row per observed (t, j)
    double[] w = new double[nObs];
    double[] dc = new double[n];
    double[] dtraj = new double[nAssim * nx];
    for (int c = 0; c < n; c++) {
      java.util.Arrays.fill(dc, 0.0);
      dc[c] = 1.0;
      lin.tangent(dc, dtraj);
      int row = 0;
      for (int t = 0; t < nAssim; t++) {
        for (int j = 0; j < ny; j++) {
          if (!problem.observed(t, j)) {
            continue;
          }
          double p = obs.pooled(traj, t * nx, j);
          g[row * n + c] = hh.derivative(p) * obs.pooled(dtraj, t * nx, j);
          double s = obsStd[t * ny + j];
          w[row] = 1.0 / (s * s);
          row++;
        }
      }
    }
    // Gᵀ W G as a sum of rank-one terms w_r g_r g_rᵀ over the observed rows r, in row order, over the non-zero
    // entries of g_r only: a row of G is the tangent image of one observation, which in Lorenz96 reaches a band of
    // components around the observed point (the RK4 stencil widens it by a few points per step), so at large nx
    // this costs O(nObs · band²) instead of O(nObs · n²). Each entry's sum visits the same rows in the same order
    // as the dense triple loop, and the skipped terms are exact zeros, so the result is the same bit for bit.
    java.util.Arrays.fill(out, 0, n * n, 0.0);
    int[] nz = new int[n];
    for (int r = 0; r < nObs; r++) {
      final int o = r * n;
      int m = 0;
      for (int k = 0; k < n; k++) {
        if (g[o + k] != 0.0) {
          nz[m++] = k;
        }
      }
      final double wr = w[r];
      for (int a = 0; a < m; a++) {
        final int i = nz[a];
        final double gi = g[o + i] * wr;
        final int oi = i * n;
        for (int b = 0; b < m; b++) {
          final int j = nz[b];
          out[oi + j] += gi * g[o + j];
        }
      }
    }
    if (control.diagonal()) {
      for (int i = 0; i < n; i++) {
        double s = control.scale(i);
        out[i * n + i] += 1.0 / (s * s);
      }
    } else {
      final double[] prec = control.precisionMatrix();
      for (int k = 0; k < n * n; k++) {
        out[k] += prec[k];
      }
    }
  }

  /**
   * A multi-start point {@code center + scale · S z} (a control vector), z from stream
   * {@code (seed, MAP_START, index)} (n Gaussians in component order); for diagonal S it is
   * {@code center_i + scale σ_i z_i} as before. With {@code center = c_b} and {@code scale = 1} it is a prior
   * draw.
   */
  public static double[] jitteredStart(FourDVarProblem problem, double[] center, double scale, long seed,
      long index) {
    final ControlSpace s = problem.control();
    final int n = s.n();
    if (center.length != n) {
      throw new IllegalArgumentException("center must have " + n + " values, got " + center.length);
    }
    RandomStream r = RandomStream.of(seed, RandomStream.Domain.MAP_START, index);
    double[] z = new double[n];
    r.fillGaussian(z, 0, n);
    double[] x = new double[n];
    s.perturb(center, scale, z, x);
    return x;
  }

  private void requireLength(double[] x) {
    if (x.length != n) {
      throw new IllegalArgumentException("x0 must have " + n + " values, got " + x.length);
    }
  }
}
