package org.vi4dvar.kernels.map;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.optim.Lbfgs;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * 4D-Var MAP estimate and Laplace approximation: minimise J by {@link Lbfgs} from a start, then
 * <pre>
 *   finite differences:  H_{:,j} = (∇J(x* + h_j e_j) − ∇J(x* − h_j e_j)) / 2h_j,   H ← (H + Hᵀ)/2
 *   Gauss–Newton:        H = B⁻¹ + Σ_t G_tᵀ R_t⁻¹ G_t,   G_t = H'_t(x_t) M'_{0→t}   (rows: observed points)
 * </pre>
 * and {@code Σ = H⁻¹} by Cholesky ({@link LaplaceResult}). The unit of work of one Spark task is one
 * {@link #run(double[])} from one start (multi-start: starts from {@link #jitteredStart} or from the lowest-J
 * ABC trials). Deterministic. Not thread-safe (owns a {@link FourDVarCost} and workspaces): one per task.
 */
public final class MapLaplace {

  private final FourDVarProblem problem;
  private final LaplaceConfig config;
  private final FourDVarCost cost;
  private final FourDVarObjective objective;
  private final Lbfgs lbfgs;
  private final int nx;
  private final double[] gPlus;
  private final double[] gMinus;
  private final double[] xh;

  /** A MAP/Laplace kernel for {@code problem}. */
  public MapLaplace(FourDVarProblem problem, LaplaceConfig config) {
    this.problem = problem;
    this.config = config;
    this.cost = new FourDVarCost(problem);
    this.objective = new FourDVarObjective(cost);
    this.lbfgs = new Lbfgs(config.lbfgs);
    this.nx = problem.nx();
    this.gPlus = new double[nx];
    this.gMinus = new double[nx];
    this.xh = new double[nx];
  }

  /** The problem. */
  public FourDVarProblem problem() {
    return problem;
  }

  /** Minimises from the background, then the Laplace approximation. */
  public LaplaceResult runFromBackground() {
    return run(problem.xb());
  }

  /**
   * Minimises J from {@code start} (not modified), then forms the Hessian at the minimiser. Never throws on a
   * non-positive-definite Hessian (see {@link LaplaceResult#positiveDefinite}); the minimiser never returns a
   * non-finite x (if J is not finite at the start, the result is at the start, {@code DIVERGED}, not PD).
   */
  public LaplaceResult run(double[] start) {
    requireLength(start);
    double[] x = start.clone();
    OptimResult r = lbfgs.minimize(objective, x);
    return laplace(start.clone(), x, r);
  }

  /** The Laplace approximation at a given point, without minimising. */
  public LaplaceResult laplaceAt(double[] x0) {
    requireLength(x0);
    return laplace(x0.clone(), x0.clone(), null);
  }

  private LaplaceResult laplace(double[] start, double[] x, OptimResult r) {
    double j = cost.cost(x);
    double jb = cost.lastBackgroundCost();
    double jo = cost.lastObservationCost();
    double[] h = new double[nx * nx];
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
    double[] l = new double[nx * nx];
    boolean pd = finite && Cholesky.decompose(nx, h, l);
    double[] cov = null;
    if (pd) {
      cov = new double[nx * nx];
      Cholesky.inverse(nx, l, cov);
    } else {
      l = null;
    }
    return new LaplaceResult(nx, start, x, j, jb, jo, r, config.hessian, h, asym, pd, l, cov);
  }

  /**
   * Central-difference Hessian of J at x (symmetrised) into {@code out}, with {@code h_j = fdStep · σb_j}.
   *
   * @return the relative asymmetry before symmetrising
   */
  public double finiteDifferenceHessian(double[] x, double[] out) {
    final int n = nx;
    System.arraycopy(x, 0, xh, 0, n);
    for (int j = 0; j < n; j++) {
      double step = config.fdStep * problem.bStd(j);
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
   * Gauss–Newton Hessian {@code B⁻¹ + Σ_t G_tᵀ R_t⁻¹ G_t} at x into {@code out}: one forward sweep recording
   * the linearisation, then the tangent-linear image of each unit vector e_j through the window.
   */
  public void gaussNewtonHessian(double[] x, double[] out) {
    final int n = nx;
    final int nAssim = problem.nAssim();
    final int ny = problem.ny();
    final ObservationOperator obs = problem.obs();
    final Nonlinearity hh = obs.nonlinearity();
    final double[] obsStd = problem.obsStd();
    Model model = problem.model().newModel();
    final int ss = model.storeSize();
    double[] traj = new double[nAssim * n];
    double[] store = new double[Math.max(1, (nAssim - 1) * ss)];
    System.arraycopy(x, 0, traj, 0, n);
    for (int t = 0; t + 1 < nAssim; t++) {
      model.step(traj, t * n, traj, (t + 1) * n, store, t * ss);
    }
    final int nObs = problem.nObs();
    double[] g = new double[nObs * n]; // G, one row per observed (t, j)
    double[] w = new double[nObs];
    double[] dx = new double[n];
    double[] dxNext = new double[n];
    for (int c = 0; c < n; c++) {
      java.util.Arrays.fill(dx, 0.0);
      dx[c] = 1.0;
      int row = 0;
      for (int t = 0; t < nAssim; t++) {
        if (t > 0) {
          model.stepTangent(store, (t - 1) * ss, dx, dxNext);
          double[] tmp = dx;
          dx = dxNext;
          dxNext = tmp;
        }
        for (int j = 0; j < ny; j++) {
          if (!problem.observed(t, j)) {
            continue;
          }
          double p = obs.pooled(traj, t * n, j);
          g[row * n + c] = hh.derivative(p) * obs.pooled(dx, 0, j);
          double s = obsStd[t * ny + j];
          w[row] = 1.0 / (s * s);
          row++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0.0;
        for (int r = 0; r < nObs; r++) {
          s += g[r * n + i] * w[r] * g[r * n + j];
        }
        if (i == j) {
          double b = problem.bStd(i);
          s += 1.0 / (b * b);
        }
        out[i * n + j] = s;
      }
    }
  }

  /**
   * A multi-start point {@code center + scale · σb ⊙ z}, z from stream {@code (seed, MAP_START, index)}
   * (n Gaussians in component order). With {@code center = x_b} and {@code scale = 1} it is a prior draw.
   */
  public static double[] jitteredStart(FourDVarProblem problem, double[] center, double scale, long seed,
      long index) {
    final int n = problem.nx();
    if (center.length != n) {
      throw new IllegalArgumentException("center must have " + n + " values, got " + center.length);
    }
    RandomStream r = RandomStream.of(seed, RandomStream.Domain.MAP_START, index);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = center[i] + scale * problem.bStd(i) * r.nextGaussian();
    }
    return x;
  }

  private void requireLength(double[] x) {
    if (x.length != nx) {
      throw new IllegalArgumentException("x0 must have " + nx + " values, got " + x.length);
    }
  }
}
