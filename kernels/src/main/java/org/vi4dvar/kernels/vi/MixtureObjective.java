package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.flow.AffineMap;
import org.vi4dvar.kernels.flow.CouplingFlow;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.rng.RandomStream;

/**
 * The ELBO of a K-component Gaussian mixture in v and its gradient, reparameterised per component:
 * <pre>
 *   q(v) = Σ_k w_k q_k(v),   w = softmax(α),   q_k: v = μ0_k + P_k w,  w = m_k + F_k ε   (one start each)
 *   ELBO = Σ_k w_k E_{q_k}[h],   h(v) = −f(v) − log q(v)
 *   ∂(−ELBO)/∂θ_k ≈ (w_k/S) Σ_s (∂v/∂θ_k)ᵀ (∇f(v_s) + ∇_v log q(v_s)),
 *       ∇_v log q = Σ_j r_j(v) ∇_v log q_j(v),   r_j = w_j q_j(v) / q(v)            (θ fixed inside log q)
 *   ∂(−ELBO)/∂α_k = −w_k (Ĥ_k − Σ_j w_j Ĥ_j),   Ĥ_k = (1/S) Σ_s h(v_{k,s})
 * </pre>
 * The θ-gradient is the path-derivative ("sticking the landing") estimator of Roeder, Wu &amp; Duvenaud (2017) for
 * mixtures: the dropped term {@code Σ_j w_j E_j[∂_θk log q(v)]} is {@code ∂_θk ∫ q = 0}. The weights' gradient
 * needs no score function: the sum over components is explicit ({@code ∂ELBO/∂w_k = E_{q_k}[h] − 1} and the −1
 * cancels under the softmax). θ = (α_1..α_K, θ_1, …, θ_K). Each step draws S·n Gaussians per component, component
 * by component (S/2 · n with antithetic pairs {@code ε, −ε}). The final estimate is stratified: {@code ⌈M/K⌉} samples per component,
 * {@code se² = Σ_k w_k² s_k² / M_k}. Workspaces allocated once; not thread-safe.
 */
final class MixtureObjective implements StochasticObjective {

  private final DifferentiableFunction f;
  private final CouplingFlow flow;
  private final int k;
  private final int n;
  private final int pc;
  private final int samples;
  private final CouplingFlow.Workspace[] ws;
  private final AffineMap[] base;
  private final double[] weights;
  private final double[] logW;
  private final double[] logQ;
  private final double[] gLog;
  private final double[] hk;
  private final double[] z;
  private final double[] w;
  private final double[] wj;
  private final double[] v;
  private final double[] gv;
  private final double[] av;
  private final double[] aw;
  private final double[] gw;
  private final double[] thetaK;
  private final double[] gradK;

  private final boolean antithetic;

  MixtureObjective(DifferentiableFunction f, CouplingFlow flow, int components, int samples, boolean antithetic) {
    this.antithetic = antithetic && samples % 2 == 0;
    this.f = f;
    this.flow = flow;
    this.k = components;
    this.n = flow.dimension();
    this.pc = flow.parameterCount();
    this.samples = samples;
    this.ws = new CouplingFlow.Workspace[components];
    for (int j = 0; j < components; j++) {
      ws[j] = flow.newWorkspace();
    }
    this.base = new AffineMap[components];
    this.weights = new double[components];
    this.logW = new double[components];
    this.logQ = new double[components];
    this.gLog = new double[components * n];
    this.hk = new double[components];
    this.z = new double[n];
    this.w = new double[n];
    this.wj = new double[n];
    this.v = new double[n];
    this.gv = new double[n];
    this.av = new double[n];
    this.aw = new double[n];
    this.gw = new double[n];
    this.thetaK = new double[pc];
    this.gradK = new double[pc];
  }

  int components() {
    return k;
  }

  CouplingFlow flow() {
    return flow;
  }

  void setBase(int j, AffineMap b) {
    if (b.n() != n) {
      throw new IllegalArgumentException("start " + j + " has dimension " + b.n() + ", expected " + n);
    }
    base[j] = b;
  }

  AffineMap base(int j) {
    return base[j];
  }

  /** Offset of component j's parameters in θ. */
  int offset(int j) {
    return k + j * pc;
  }

  @Override
  public int parameterCount() {
    return k + k * pc;
  }

  /** The weights' logits step 1; each component's parameters as its flow's. */
  @Override
  public void stepScales(double[] out) {
    java.util.Arrays.fill(out, 0, k, 1.0);
    for (int j = 0; j < k; j++) {
      flow.stepScales(out, offset(j));
    }
  }

  /** w = softmax(α) into {@link #weights} and {@link #logW}. */
  void softmax(double[] theta, double[] outWeights) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, theta[j]);
    }
    double s = 0.0;
    for (int j = 0; j < k; j++) {
      s += Math.exp(theta[j] - max);
    }
    double ls = max + Math.log(s);
    for (int j = 0; j < k; j++) {
      logW[j] = theta[j] - ls;
      outWeights[j] = Math.exp(logW[j]);
    }
  }

  /**
   * At the sample v (component c's forward state in ws[c], base point z): log q(v), and if {@code grad},
   * av = ∇_v log q(v).
   */
  private double mixtureLogDensity(double[] theta, int c, double logDetC, boolean grad) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      double lq;
      if (j == c) {
        lq = flow.logBase(z) - logDetC - base[c].logDet();
        if (grad) {
          flow.gradLogDensity(thetaOf(theta, c), ws[c], gw);
        }
      } else {
        base[j].solve(v, wj);
        lq = flow.logDensity(thetaOf(theta, j), wj, ws[j]) - base[j].logDet();
        if (grad) {
          flow.gradLogDensity(thetaOf(theta, j), ws[j], gw);
        }
      }
      if (grad) {
        // ∇_v log q_j = P_j⁻ᵀ ∇_w log q_j
        base[j].solveTranspose(gw, aw);
        System.arraycopy(aw, 0, gLog, j * n, n);
      }
      logQ[j] = logW[j] + lq;
      max = Math.max(max, logQ[j]);
    }
    double s = 0.0;
    for (int j = 0; j < k; j++) {
      s += Math.exp(logQ[j] - max);
    }
    double lq = max + Math.log(s);
    if (grad) {
      java.util.Arrays.fill(av, 0.0);
      for (int j = 0; j < k; j++) {
        double r = Math.exp(logQ[j] - lq);
        final int o = j * n;
        for (int i = 0; i < n; i++) {
          av[i] += r * gLog[o + i];
        }
      }
    }
    return lq;
  }

  /** Component j's parameters, copied into a scratch array (the flow reads a parameter array from index 0). */
  private double[] thetaOf(double[] theta, int j) {
    System.arraycopy(theta, offset(j), thetaK, 0, pc);
    return thetaK;
  }

  @Override
  public double estimate(double[] theta, RandomStream rng, double[] grad) {
    java.util.Arrays.fill(grad, 0, parameterCount(), 0.0);
    softmax(theta, weights);
    final double inv = 1.0 / samples;
    for (int c = 0; c < k; c++) {
      hk[c] = 0.0;
      java.util.Arrays.fill(gradK, 0.0);
      final int oc = offset(c);
      for (int s = 0; s < samples; s++) {
        if (antithetic && (s & 1) == 1) {
          for (int i = 0; i < n; i++) {
            z[i] = -z[i];
          }
        } else {
          rng.fillGaussian(z, 0, n);
        }
        double logDet = flow.forward(thetaOf(theta, c), z, w, ws[c]);
        base[c].apply(w, v);
        double fv = f.valueAndGradient(v, gv);
        if (!Double.isFinite(fv)) {
          return Double.NaN;
        }
        double lq = mixtureLogDensity(theta, c, logDet, true);
        double h = -fv - lq;
        if (!Double.isFinite(h)) {
          return Double.NaN;
        }
        hk[c] += h * inv;
        for (int i = 0; i < n; i++) {
          av[i] += gv[i];
        }
        base[c].applyTranspose(av, aw);
        flow.backward(thetaOf(theta, c), aw, 0.0, gradK, null, ws[c]);
      }
      final double scale = weights[c] * inv;
      for (int p = 0; p < pc; p++) {
        grad[oc + p] = gradK[p] * scale;
      }
    }
    double elbo = 0.0;
    for (int c = 0; c < k; c++) {
      elbo += weights[c] * hk[c];
    }
    for (int c = 0; c < k; c++) {
      grad[c] = -weights[c] * (hk[c] - elbo);
    }
    return elbo;
  }

  @Override
  public boolean canRecenter() {
    return true;
  }

  @Override
  public boolean recenter(double[] theta) {
    AffineMap[] next = new AffineMap[k];
    for (int j = 0; j < k; j++) {
      next[j] = FlowObjective.recentred(base[j], flow, theta, offset(j));
      if (next[j] == null) {
        return false;
      }
    }
    for (int j = 0; j < k; j++) {
      base[j] = next[j];
      java.util.Arrays.fill(theta, offset(j), offset(j) + pc, 0.0);
    }
    return true;
  }

  @Override
  public int finalEstimate(double[] theta, RandomStream rng, int m, double[] out) {
    softmax(theta, weights);
    final int mk = Math.max(2, (m + k - 1) / k);
    double elbo = 0.0;
    double var = 0.0;
    int bad = 0;
    for (int c = 0; c < k; c++) {
      double mean = 0.0;
      double m2 = 0.0;
      int good = 0;
      for (int s = 0; s < mk; s++) {
        rng.fillGaussian(z, 0, n);
        double logDet = flow.forward(thetaOf(theta, c), z, w, ws[c]);
        base[c].apply(w, v);
        double fv = f.valueAndGradient(v, gv);
        double h = -fv - mixtureLogDensity(theta, c, logDet, false);
        if (!Double.isFinite(h)) {
          bad++;
          continue;
        }
        good++;
        double d = h - mean;
        mean += d / good;
        m2 += d * (h - mean);
      }
      elbo += weights[c] * mean;
      var += good > 1 ? weights[c] * weights[c] * m2 / (good - 1) / good : Double.NaN;
    }
    out[0] = elbo;
    out[1] = Math.sqrt(var);
    return bad;
  }
}
