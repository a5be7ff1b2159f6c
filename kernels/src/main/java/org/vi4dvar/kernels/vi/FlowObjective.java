package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.flow.AffineMap;
import org.vi4dvar.kernels.flow.CouplingFlow;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.rng.RandomStream;

/**
 * The ELBO of one q in v — mean-field, full-rank (a {@link CouplingFlow} with no coupling layer) or a flow — and
 * its reparameterised gradient:
 * <pre>
 *   v = μ0 + P w,   w = T_θ(ε),   ε ~ N(0, I)                        (P, μ0: the start's preconditioner)
 *   h(ε) = −f(v) − log q_θ(v),   log q_θ(v) = log N(ε) − log|det ∂T/∂ε| − log|det P|,   ELBO_v = E[h]
 *   PATH:   ∇_θ(−ELBO) ≈ (1/S) Σ_s (∂w/∂θ)ᵀ (Pᵀ ∇f(v_s) + ∇_w log q_θ(w_s))        (θ fixed inside log q)
 *   TOTAL:  ∇_θ(−ELBO) ≈ (1/S) Σ_s [(∂w/∂θ)ᵀ Pᵀ ∇f(v_s) − ∂ log|det ∂T/∂ε| / ∂θ]
 * </pre>
 * For the Gaussian families this is {@code ∂/∂μ = a}, {@code ∂/∂L_ij = a_i ε_j}, {@code ∂/∂ρ_i = a_i ε_i L_ii}
 * with {@code a = Pᵀ∇f − L⁻ᵀ ε} (PATH) — {@code a = Pᵀ∇f} and {@code ∂/∂ρ_i −= 1} (TOTAL) — in the
 * preconditioned coordinates. Sample s of a step takes n Gaussians of the stream, in component order; with
 * antithetic pairs (S even) the odd samples are the negatives of the even ones ({@code ε, −ε}: for a quadratic f
 * the noise of the mean's gradient, linear in ε, cancels within each pair — Geweke 1988; Ren et al. 2019 for
 * reparameterisation gradients), so a step takes S/2 · n Gaussians.
 * Workspaces allocated once; not thread-safe.
 */
final class FlowObjective implements StochasticObjective {

  private final DifferentiableFunction f;
  private final CouplingFlow flow;
  private final CouplingFlow.Workspace ws;
  private final int n;
  private final int samples;
  private final GradientEstimator estimator;
  private AffineMap base;
  private final double[] z;
  private final double[] w;
  private final double[] v;
  private final double[] gv;
  private final double[] gw;
  private final double[] glq;

  private final boolean antithetic;

  FlowObjective(DifferentiableFunction f, CouplingFlow flow, int samples, GradientEstimator estimator,
      boolean antithetic) {
    this.antithetic = antithetic && samples % 2 == 0;
    this.f = f;
    this.flow = flow;
    this.ws = flow.newWorkspace();
    this.n = flow.dimension();
    this.samples = samples;
    this.estimator = estimator;
    this.z = new double[n];
    this.w = new double[n];
    this.v = new double[n];
    this.gv = new double[n];
    this.gw = new double[n];
    this.glq = new double[n];
  }

  /** The preconditioner of the next run. */
  void setBase(AffineMap b) {
    if (b.n() != n) {
      throw new IllegalArgumentException("start dimension " + b.n() + " != " + n);
    }
    this.base = b;
  }

  AffineMap base() {
    return base;
  }

  CouplingFlow flow() {
    return flow;
  }

  @Override
  public int parameterCount() {
    return flow.parameterCount();
  }

  @Override
  public void stepScales(double[] out) {
    flow.stepScales(out, 0);
  }

  @Override
  public double estimate(double[] theta, RandomStream rng, double[] grad) {
    final int np = flow.parameterCount();
    java.util.Arrays.fill(grad, 0, np, 0.0);
    final boolean path = estimator == GradientEstimator.PATH;
    double sum = 0.0;
    for (int s = 0; s < samples; s++) {
      if (antithetic && (s & 1) == 1) {
        for (int i = 0; i < n; i++) {
          z[i] = -z[i];
        }
      } else {
        rng.fillGaussian(z, 0, n);
      }
      double h = sample(theta);
      if (!Double.isFinite(h)) {
        return h;
      }
      sum += h;
      if (path) {
        flow.gradLogDensity(theta, ws, glq);
        for (int i = 0; i < n; i++) {
          gw[i] += glq[i];
        }
        flow.backward(theta, gw, 0.0, grad, null, ws);
      } else {
        flow.backward(theta, gw, -1.0, grad, null, ws);
      }
    }
    final double inv = 1.0 / samples;
    for (int k = 0; k < np; k++) {
      grad[k] *= inv;
    }
    return sum * inv;
  }

  /** h at the base point in z; leaves gw = Pᵀ∇f(v) and the flow's state at the point. */
  private double sample(double[] theta) {
    double logDet = flow.forward(theta, z, w, ws);
    base.apply(w, v);
    double fv = f.valueAndGradient(v, gv);
    if (!Double.isFinite(fv)) {
      return Double.NaN;
    }
    base.applyTranspose(gv, gw);
    return -fv - (flow.logBase(z) - logDet - base.logDet());
  }

  /** The h of one sample from the given base point (tests). */
  double value(double[] theta, double[] z0) {
    System.arraycopy(z0, 0, z, 0, n);
    return sample(theta);
  }

  @Override
  public boolean canRecenter() {
    return flow.layers() == 0;
  }

  @Override
  public boolean recenter(double[] theta) {
    if (flow.layers() > 0) {
      return false;
    }
    AffineMap b = recentred(base, flow, theta, 0);
    if (b == null) {
      return false;
    }
    base = b;
    java.util.Arrays.fill(theta, 0, flow.parameterCount(), 0.0);
    return true;
  }

  /**
   * The preconditioner equal to the Gaussian with parameters {@code theta[off..)} of a coupling-free flow over
   * {@code base}: shift μ0 + P m, factor p ⊙ e^ρ (diagonal) or P F (lower); null when not finite and positive.
   */
  static AffineMap recentred(AffineMap base, CouplingFlow flow, double[] theta, int off) {
    final int n = flow.dimension();
    double[] m = java.util.Arrays.copyOfRange(theta, off, off + n);
    double[] shift = new double[n];
    base.apply(m, shift);
    double[] factor;
    if (flow.isDiagonal()) {
      if (!base.isDiagonal()) {
        throw new IllegalStateException("a diagonal family needs a diagonal preconditioner");
      }
      double[] p = base.factor();
      factor = new double[n];
      for (int i = 0; i < n; i++) {
        factor[i] = p[i] * Math.exp(theta[off + n + i]);
      }
    } else {
      double[] p = base.denseFactor();
      factor = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          double v = 0.0;
          for (int k = j; k <= i; k++) {
            double fkj = k == j ? Math.exp(theta[off + n + k]) : theta[off + flow.lowerIndex(k, j)];
            v += p[i * n + k] * fkj;
          }
          factor[i * n + j] = v;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(shift[i])) {
        return null;
      }
      double d = flow.isDiagonal() ? factor[i] : factor[i * n + i];
      if (!(d > 0) || !Double.isFinite(d)) {
        return null;
      }
    }
    for (double v : factor) {
      if (!Double.isFinite(v)) {
        return null;
      }
    }
    return flow.isDiagonal() ? AffineMap.diagonal(shift, factor) : AffineMap.lower(shift, factor);
  }

  @Override
  public int finalEstimate(double[] theta, RandomStream rng, int m, double[] out) {
    double mean = 0.0;
    double m2 = 0.0;
    int bad = 0;
    for (int s = 0; s < m; s++) {
      rng.fillGaussian(z, 0, n);
      double logDet = flow.forward(theta, z, w, ws);
      base.apply(w, v);
      double fv = f.valueAndGradient(v, gv);
      double h = -fv - (flow.logBase(z) - logDet - base.logDet());
      if (!Double.isFinite(h)) {
        bad++;
        continue;
      }
      double d = h - mean;
      mean += d / (s + 1 - bad);
      m2 += d * (h - mean);
    }
    int k = m - bad;
    out[0] = mean;
    out[1] = k > 1 ? Math.sqrt(m2 / (k - 1) / k) : Double.NaN;
    return bad;
  }
}
