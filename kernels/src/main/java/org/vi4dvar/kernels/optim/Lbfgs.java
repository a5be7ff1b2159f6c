package org.vi4dvar.kernels.optim;

import java.util.Arrays;
import org.vi4dvar.kernels.linalg.Blas;

/**
 * Limited-memory BFGS (Nocedal &amp; Wright, Numerical Optimization, 2nd ed., alg. 7.4 and 7.5) with a line
 * search for the strong Wolfe conditions (alg. 3.5 and 3.6, cubic interpolation in the zoom).
 * <pre>
 *   d_k = −H_k g_k            two-loop recursion over the last m pairs, H⁰ = (sᵀy / yᵀy) I
 *   x_{k+1} = x_k + α_k d_k    with  f(x+αd) ≤ f + c1 α gᵀd (+ round-off slack)  and  |∇f(x+αd)ᵀd| ≤ c2 |gᵀd|
 *   s = x_{k+1} − x_k,  y = g_{k+1} − g_k,  ρ = 1 / yᵀs   (the pair is kept only if yᵀs &gt; u·yᵀy)
 * </pre>
 * The first trial step is {@code α = 1}, except on a steepest-descent step (no pairs yet, or after a reset),
 * where it is {@code min(1, 1/‖g‖)} so that the first move has length at most 1.
 *
 * <p><b>Robustness.</b> A non-finite value or gradient at a trial point is treated as "too far": the line search
 * backtracks towards the last finite point (to 1/10 of the distance) and stays below that point afterwards,
 * so no non-finite iterate is ever accepted. If the start itself is non-finite the run stops at once with
 * {@link StopReason#DIVERGED} and {@code x} untouched. If a line search fails along a quasi-Newton direction,
 * the memory is cleared and the steepest descent is tried once before {@link StopReason#LINE_SEARCH_FAILED}.
 * When the zoom runs out of evaluations or its interval collapses, a point with sufficient decrease, if found,
 * is accepted (only the curvature condition is missed; its pair is dropped if {@code yᵀs ≤ 0}).
 *
 * <p><b>Stopping</b> (checked after each iteration, and the gradient also at the start):
 * {@code ‖g‖₂ ≤ gradientTolerance}; {@code f_{k−1} − f_k ≤ relativeCostTolerance · max(|f_{k−1}|, |f_k|, 1)};
 * the iteration or evaluation budget.
 *
 * <p>Workspaces are allocated on the first call for a given dimension; no call allocates afterwards except the
 * cost trace copied into the result. Not thread-safe.
 */
public final class Lbfgs implements Minimizer {

  /** On a non-finite trial value, the next trial is at this fraction of the way from the last finite point. */
  private static final double NONFINITE_BACKTRACK = 0.1;
  /** Zoom safeguard: a cubic step closer than this fraction of the interval to an end is replaced by bisection. */
  private static final double ZOOM_SAFEGUARD = 0.1;
  /** Growth factor of the trial step in the bracketing phase (N&amp;W alg. 3.5 allows any α_{i+1} &gt; α_i). */
  private static final double EXTRAPOLATION = 2.0;
  /** A pair (s, y) is kept only if {@code yᵀs > CURVATURE_EPS · yᵀy}. */
  private static final double CURVATURE_EPS = 2.2e-16;
  /** The zoom interval is collapsed when its width is below this fraction of the step. */
  private static final double INTERVAL_EPS = 1e-15;
  /**
   * Round-off slack of the sufficient-decrease test, relative to |f(x_k)|: near a minimum the decrease
   * {@code c1 α gᵀd} falls below the round-off of f (a few ulp, ~1e-15 |f| for a sum of ~10² terms), and an
   * exact Armijo test then rejects the very step that reduces the gradient tenfold. Hager &amp; Zhang (SIAM J.
   * Optim. 16, 2005) relax it by 1e-6 |f| ("approximate Wolfe"); 1e-14 |f| (≈ 45 ulp) suffices here and
   * cannot accept a real increase. A step accepted within the slack ends the run on the cost criterion.
   */
  private static final double ROUNDOFF_SLACK = 1e-14;

  private final LbfgsConfig c;

  private int n = -1;
  private double[] sMem;
  private double[] yMem;
  private double[] rho;
  private double[] alphaTmp;
  private double[] g;
  private double[] d;
  private double[] xTrial;
  private double[] gTrial;
  private double[] xLo;
  private double[] gLo;
  private double[] trace;

  // line-search outputs and state
  private double fTrial;
  private long evaluations;
  private int lsEvals;

  /** An L-BFGS minimiser with the given settings. */
  public Lbfgs(LbfgsConfig config) {
    this.c = config;
  }

  /** An L-BFGS minimiser with {@link LbfgsConfig#defaults()}. */
  public Lbfgs() {
    this(LbfgsConfig.defaults());
  }

  /** The settings. */
  public LbfgsConfig config() {
    return c;
  }

  private void ensure(int dim) {
    if (dim == n) {
      return;
    }
    n = dim;
    final int m = c.memory;
    sMem = new double[m * dim];
    yMem = new double[m * dim];
    rho = new double[m];
    alphaTmp = new double[m];
    g = new double[dim];
    d = new double[dim];
    xTrial = new double[dim];
    gTrial = new double[dim];
    xLo = new double[dim];
    gLo = new double[dim];
    trace = c.recordTrace ? new double[c.maxIterations + 1] : null;
  }

  @Override
  public OptimResult minimize(DifferentiableFunction f, double[] x) {
    final int dim = f.dimension();
    if (x.length < dim) {
      throw new IllegalArgumentException("x has " + x.length + " entries, the function needs " + dim);
    }
    ensure(dim);
    final int m = c.memory;
    evaluations = 1;
    double fx = f.valueAndGradient(x, g);
    if (!Double.isFinite(fx) || !Blas.allFinite(dim, g)) {
      return result(StopReason.DIVERGED, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }
    if (trace != null) {
      trace[0] = fx;
    }
    double gnorm = Blas.nrm2(dim, g);
    if (gnorm <= c.gradientTolerance) {
      return result(StopReason.GRADIENT_TOLERANCE, 0, fx, gnorm);
    }
    if (c.maxIterations == 0) {
      return result(StopReason.MAX_ITERATIONS, 0, fx, gnorm);
    }
    int stored = 0; // pairs in memory
    int newest = -1; // ring index of the newest pair
    int iter = 0;
    boolean retriedSteepest = false;
    while (true) {
      // direction d = −H g
      double dg = 0.0;
      boolean steepest = stored == 0;
      if (!steepest) {
        twoLoop(dim, stored, newest);
        dg = Blas.dot(dim, d, g);
        if (!(dg < 0) || !Double.isFinite(dg)) {
          stored = 0; // not a descent direction (round-off): restart from steepest descent
          steepest = true;
        }
      }
      if (steepest) {
        for (int i = 0; i < dim; i++) {
          d[i] = -g[i];
        }
        dg = -gnorm * gnorm;
        if (!(dg < 0)) { // gnorm² underflowed: nothing left to do
          return result(StopReason.GRADIENT_TOLERANCE, iter, fx, gnorm);
        }
      }
      double alpha0 = steepest ? Math.min(1.0, 1.0 / gnorm) : 1.0;
      if (evaluations >= c.maxEvaluations) {
        return result(StopReason.MAX_EVALUATIONS, iter, fx, gnorm);
      }
      boolean ok = lineSearch(f, x, fx, dg, alpha0, dim);
      if (!ok) {
        if (evaluations >= c.maxEvaluations) {
          return result(StopReason.MAX_EVALUATIONS, iter, fx, gnorm);
        }
        if (!steepest && !retriedSteepest) {
          stored = 0;
          retriedSteepest = true;
          continue;
        }
        return result(StopReason.LINE_SEARCH_FAILED, iter, fx, gnorm);
      }
      retriedSteepest = false;
      // new pair s = xTrial − x, y = gTrial − g, into the ring
      int slot = (newest + 1) % m;
      final int o = slot * dim;
      double sy = 0.0;
      double yy = 0.0;
      for (int i = 0; i < dim; i++) {
        double si = xTrial[i] - x[i];
        double yi = gTrial[i] - g[i];
        sMem[o + i] = si;
        yMem[o + i] = yi;
        sy += si * yi;
        yy += yi * yi;
      }
      if (sy > CURVATURE_EPS * yy && yy > 0) {
        rho[slot] = 1.0 / sy;
        newest = slot;
        stored = Math.min(stored + 1, m);
      }
      System.arraycopy(xTrial, 0, x, 0, dim);
      System.arraycopy(gTrial, 0, g, 0, dim);
      double fPrev = fx;
      fx = fTrial;
      iter++;
      if (trace != null) {
        trace[iter] = fx;
      }
      gnorm = Blas.nrm2(dim, g);
      if (gnorm <= c.gradientTolerance) {
        return result(StopReason.GRADIENT_TOLERANCE, iter, fx, gnorm);
      }
      if (fPrev - fx <= c.relativeCostTolerance * Math.max(Math.max(Math.abs(fPrev), Math.abs(fx)), 1.0)) {
        return result(StopReason.COST_TOLERANCE, iter, fx, gnorm);
      }
      if (iter >= c.maxIterations) {
        return result(StopReason.MAX_ITERATIONS, iter, fx, gnorm);
      }
      if (evaluations >= c.maxEvaluations) {
        return result(StopReason.MAX_EVALUATIONS, iter, fx, gnorm);
      }
    }
  }

  private OptimResult result(StopReason why, int iter, double fx, double gnorm) {
    double[] tr = trace == null ? null : Arrays.copyOf(trace, iter + 1);
    if (tr != null && iter == 0) {
      tr[0] = fx;
    }
    return new OptimResult(why, iter, evaluations, fx, gnorm, tr);
  }

  /** {@code d = −H g} by the two-loop recursion over {@code stored} pairs ending at {@code newest}. */
  private void twoLoop(int dim, int stored, int newest) {
    final int m = c.memory;
    System.arraycopy(g, 0, d, 0, dim);
    int k = newest;
    for (int j = 0; j < stored; j++) {
      final int o = k * dim;
      double a = 0.0;
      for (int i = 0; i < dim; i++) {
        a += sMem[o + i] * d[i];
      }
      a *= rho[k];
      alphaTmp[k] = a;
      for (int i = 0; i < dim; i++) {
        d[i] -= a * yMem[o + i];
      }
      k = k == 0 ? m - 1 : k - 1;
    }
    // H⁰ = γ I with γ = sᵀy / yᵀy of the newest pair
    final int on = newest * dim;
    double yy = 0.0;
    for (int i = 0; i < dim; i++) {
      yy += yMem[on + i] * yMem[on + i];
    }
    double gamma = 1.0 / (rho[newest] * yy);
    for (int i = 0; i < dim; i++) {
      d[i] *= gamma;
    }
    for (int j = 0; j < stored; j++) {
      k = k == m - 1 ? 0 : k + 1;
      final int o = k * dim;
      double b = 0.0;
      for (int i = 0; i < dim; i++) {
        b += yMem[o + i] * d[i];
      }
      b *= rho[k];
      double coef = alphaTmp[k] - b;
      for (int i = 0; i < dim; i++) {
        d[i] += coef * sMem[o + i];
      }
    }
    for (int i = 0; i < dim; i++) {
      d[i] = -d[i];
    }
  }

  /** Evaluates φ(α) = f(x + α d) into xTrial/gTrial/fTrial; returns whether value and gradient are finite. */
  private boolean evalTrial(DifferentiableFunction f, double[] x, double alpha, int dim) {
    for (int i = 0; i < dim; i++) {
      xTrial[i] = x[i] + alpha * d[i];
    }
    evaluations++;
    lsEvals++;
    fTrial = f.valueAndGradient(xTrial, gTrial);
    return Double.isFinite(fTrial) && Blas.allFinite(dim, gTrial);
  }

  private boolean budgetLeft() {
    return lsEvals < c.maxLineSearchEvaluations && evaluations < c.maxEvaluations;
  }

  /**
   * Strong-Wolfe line search (N&amp;W alg. 3.5). On success the accepted point is in xTrial/gTrial/fTrial.
   *
   * @return whether a step was accepted
   */
  private boolean lineSearch(DifferentiableFunction f, double[] x, double f0, double dg0, double alpha0,
      int dim) {
    lsEvals = 0;
    final double c1 = c.c1;
    final double c2 = c.c2;
    final double slack = ROUNDOFF_SLACK * Math.abs(f0);
    double aPrev = 0.0;
    double fPrev = f0;
    double dPrev = dg0;
    double alpha = alpha0;
    double aBad = Double.POSITIVE_INFINITY; // smallest step known to give a non-finite value
    boolean first = true;
    while (budgetLeft()) {
      if (!evalTrial(f, x, alpha, dim)) {
        aBad = alpha;
        alpha = aPrev + NONFINITE_BACKTRACK * (alpha - aPrev);
        if (!(alpha > aPrev) || alpha - aPrev <= INTERVAL_EPS * alpha) {
          break;
        }
        continue;
      }
      double fa = fTrial;
      double da = Blas.dot(dim, gTrial, d);
      if (fa > f0 + c1 * alpha * dg0 + slack || (!first && fa >= fPrev)) {
        return zoom(f, x, f0, dg0, aPrev, fPrev, dPrev, false, alpha, fa, da, true, dim);
      }
      if (Math.abs(da) <= -c2 * dg0) {
        return true;
      }
      if (da >= 0) {
        return zoom(f, x, f0, dg0, alpha, fa, da, true, aPrev, fPrev, dPrev, true, dim);
      }
      // sufficient decrease, still descending: remember and extrapolate (below any known non-finite step)
      aPrev = alpha;
      fPrev = fa;
      dPrev = da;
      System.arraycopy(xTrial, 0, xLo, 0, dim);
      System.arraycopy(gTrial, 0, gLo, 0, dim);
      first = false;
      double next = EXTRAPOLATION * alpha;
      if (next >= aBad) {
        next = alpha + 0.5 * (aBad - alpha);
      }
      alpha = next;
    }
    // budget exhausted while extrapolating: accept the last sufficient-decrease point, if any
    return acceptLo(aPrev, fPrev, dim);
  }

  private boolean acceptLo(double aLo, double fLo, int dim) {
    if (aLo > 0) {
      System.arraycopy(xLo, 0, xTrial, 0, dim);
      System.arraycopy(gLo, 0, gTrial, 0, dim);
      fTrial = fLo;
      return true;
    }
    return false;
  }

  /**
   * N&amp;W alg. 3.6: the interval between {@code lo} (sufficient decrease, lowest value so far) and {@code hi}
   * contains a strong-Wolfe step; shrink it by safeguarded cubic interpolation. {@code hiSmooth} false means φ
   * was not finite at {@code hi} (no value or slope to interpolate): bisect instead. xLo/gLo hold the point at
   * {@code lo} whenever {@code lo > 0}.
   */
  private boolean zoom(DifferentiableFunction f, double[] x, double f0, double dg0,
      double lo, double fLo, double dLo, boolean loIsTrial,
      double hi, double fHi, double dHi, boolean hiSmooth, int dim) {
    final double c1 = c.c1;
    final double c2 = c.c2;
    final double slack = ROUNDOFF_SLACK * Math.abs(f0);
    // xLo must hold the point at lo: when lo is the trial just evaluated, copy it (otherwise lo is the previous
    // bracketing point, already in xLo, or 0)
    if (loIsTrial) {
      System.arraycopy(xTrial, 0, xLo, 0, dim);
      System.arraycopy(gTrial, 0, gLo, 0, dim);
    }
    while (budgetLeft()) {
      double width = Math.abs(hi - lo);
      if (width <= INTERVAL_EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
        break;
      }
      double alpha = hiSmooth ? cubicMinimizer(lo, fLo, dLo, hi, fHi, dHi) : Double.NaN;
      double left = Math.min(lo, hi) + ZOOM_SAFEGUARD * width;
      double right = Math.max(lo, hi) - ZOOM_SAFEGUARD * width;
      if (!(alpha >= left && alpha <= right)) {
        alpha = hiSmooth ? 0.5 * (lo + hi) : lo + NONFINITE_BACKTRACK * (hi - lo);
      }
      if (!evalTrial(f, x, alpha, dim)) {
        hi = alpha;
        hiSmooth = false;
        continue;
      }
      double fa = fTrial;
      double da = Blas.dot(dim, gTrial, d);
      if (fa > f0 + c1 * alpha * dg0 + slack || (lo > 0 && fa >= fLo)) {
        hi = alpha;
        fHi = fa;
        dHi = da;
        hiSmooth = true;
      } else {
        if (Math.abs(da) <= -c2 * dg0) {
          return true;
        }
        if (da * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dHi = dLo;
          hiSmooth = true;
        }
        lo = alpha;
        fLo = fa;
        dLo = da;
        System.arraycopy(xTrial, 0, xLo, 0, dim);
        System.arraycopy(gTrial, 0, gLo, 0, dim);
      }
    }
    return acceptLo(lo, fLo, dim);
  }

  /**
   * Minimiser of the cubic interpolating φ and φ' at a and b (N&amp;W eq. 3.59); NaN if it does not exist.
   */
  static double cubicMinimizer(double a, double fa, double da, double b, double fb, double db) {
    double d1 = da + db - 3.0 * (fa - fb) / (a - b);
    double disc = d1 * d1 - da * db;
    if (!(disc >= 0)) {
      return Double.NaN;
    }
    double d2 = Math.copySign(Math.sqrt(disc), b - a);
    double denom = db - da + 2.0 * d2;
    if (denom == 0.0) {
      return Double.NaN;
    }
    double r = b - (b - a) * ((db + d2 - d1) / denom);
    return Double.isFinite(r) ? r : Double.NaN;
  }
}
