package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.optim.Adam;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * <b>Legacy</b> (the talk's VI, kept only while the driver's pipeline calls it; superseded by
 * {@link VariationalInference}, which works in the whitened control, reaches the optimum of its family and tests
 * convergence — this class runs a fixed number of Adam steps with the closed-form-entropy estimator and reports
 * every restart as finished). VI-4D-Var: maximise {@code ELBO(θ) = E_q[−J(x0)] + H(q_θ)} over a Gaussian family by Adam on reparameterised
 * Monte Carlo gradients (Kingma &amp; Welling 2014; the talk). Minimised objective for S samples ε_s ~ N(0, I):
 * <pre>
 *   F(θ) = (1/S) Σ_s J(x_s) − H(θ),   x_s = μ + L ε_s,   H(θ) = Σ_i ρ_i + n/2 log(2πe)
 *   g_s = ∇J(x_s)  (one adjoint sweep)
 *   ∂F/∂μ    = (1/S) Σ_s g_s
 *   ∂F/∂ρ_i  = (1/S) Σ_s g_{s,i} ε_{s,i} L_ii − 1          (L_ii = σ_i = exp ρ_i)
 *   ∂F/∂L_ij = (1/S) Σ_s g_{s,i} ε_{s,j}                   (full covariance, i &gt; j)
 * </pre>
 * The entropy is exact (closed form), so only {@code E_q[J]} is sampled: the talk's code instead evaluated
 * {@code log q} of the sample around a wrong mean, which collapsed the variances.
 *
 * <p>Restart r: all random numbers come from {@code RandomStream(seed, VI_RESTART, r)}: first, for r &gt; 0,
 * n Gaussians jitter the start ({@code μ0 = start + jitter · σ_b ⊙ z}); then S·n Gaussians per iteration (sample
 * by sample, component order); then n per final ELBO sample. θ starts at {@code (μ0, log initialStd, 0)}.
 * A non-finite J or gradient stops the run at the last finite θ ({@link ViResult#diverged}). The final ELBO
 * uses the batched cost (bit-identical to the scalar one).
 *
 * <p>Not thread-safe (owns a {@link FourDVarCost}, Adam and workspaces, all allocated in the constructor; a
 * run allocates only its result). One per task.
 */
public final class Vi4dVar {

  private static final double HALF_LOG_2PI_E = 0.5 * Math.log(2.0 * Math.PI * Math.E);
  private static final int FINAL_CHUNK = 256;

  private final FourDVarProblem problem;
  private final ViConfig config;
  private final ViFamily family;
  private final FourDVarCost cost;
  private final Adam adam;
  private final int n;
  private final int np;
  private final double[] theta;
  private final double[] grad;
  private final double[] eps;
  private final double[] x;
  private final double[] g;
  private final double[] sigma;
  private final double[] trace;
  private final double[] batch;
  private final double[] jb;
  private final double[] jo;

  /** A VI kernel for {@code problem}. */
  public Vi4dVar(FourDVarProblem problem, ViConfig config) {
    this.problem = problem;
    this.config = config;
    this.family = config.family;
    this.cost = new FourDVarCost(problem);
    this.adam = new Adam(config.adam);
    this.n = problem.nx();
    this.np = family.parameterCount(n);
    this.theta = new double[np];
    this.grad = new double[np];
    this.eps = new double[config.samplesPerStep * n];
    this.x = new double[n];
    this.g = new double[n];
    this.sigma = new double[n];
    this.trace = config.recordTrace ? new double[config.adam.maxIterations] : null;
    this.batch = new double[n * FINAL_CHUNK];
    this.jb = new double[FINAL_CHUNK];
    this.jo = new double[FINAL_CHUNK];
  }

  /** Number of parameters θ. */
  public int parameterCount() {
    return np;
  }

  /** The family. */
  public ViFamily family() {
    return family;
  }

  /** Restart r from the background. */
  public ViResult run(long restart) {
    return run(restart, null);
  }

  /**
   * Restart r with μ0 from {@code start} (not modified; the background if null), jittered for r &gt; 0.
   */
  public ViResult run(long restart, double[] start) {
    if (start != null && start.length != n) {
      throw new IllegalArgumentException("start must have " + n + " values, got " + start.length);
    }
    RandomStream rng = RandomStream.of(config.seed, Domain.VI_RESTART, restart);
    double[] mu0 = start != null ? start.clone() : problem.xb();
    if (restart > 0) {
      for (int i = 0; i < n; i++) {
        mu0[i] += config.jitter * problem.bStd(i) * rng.nextGaussian();
      }
    }
    initialTheta(mu0, theta);
    adam.reset(np);
    final int iters = config.adam.maxIterations;
    final int s = config.samplesPerStep;
    int it = 0;
    int divergedAt = -1;
    for (; it < iters; it++) {
      rng.fillGaussian(eps, 0, s * n);
      double f = negElboAndGradient(theta, eps, s, grad);
      if (!Double.isFinite(f) || !allFinite(grad, np)) {
        divergedAt = it;
        break;
      }
      if (trace != null) {
        trace[it] = -f;
      }
      adam.step(theta, grad);
      if (!allFinite(theta, np)) { // cannot happen with a finite gradient, but never propagate
        divergedAt = it;
        break;
      }
    }
    final boolean diverged = divergedAt >= 0;
    double[] mean = new double[n];
    double[] l = new double[n * n];
    unpack(theta, mean, l);
    double h = entropy(family, theta, n);
    double elbo = Double.NEGATIVE_INFINITY;
    double se = 0.0;
    int nonFinite = 0;
    if (!diverged) {
      // final estimate of E_q[J] with M samples, evaluated in batches
      final int m = config.finalSamples;
      double sum = 0.0;
      double sumSq = 0.0;
      double shift = Double.NaN; // first J, subtracted for a stable variance
      for (int s0 = 0; s0 < m; s0 += FINAL_CHUNK) {
        final int nb = Math.min(FINAL_CHUNK, m - s0);
        for (int b = 0; b < nb; b++) {
          rng.fillGaussian(x, 0, n);
          for (int i = 0; i < n; i++) {
            double v = mean[i];
            for (int k = 0; k <= i; k++) {
              v += l[i * n + k] * x[k];
            }
            batch[i * nb + b] = v;
          }
        }
        cost.costBatch(batch, nb, jb, jo);
        for (int b = 0; b < nb; b++) {
          double j = jb[b] + jo[b];
          if (!Double.isFinite(j)) {
            nonFinite++;
            continue;
          }
          if (Double.isNaN(shift)) {
            shift = j;
          }
          double d = j - shift;
          sum += d;
          sumSq += d * d;
        }
      }
      if (nonFinite == 0) {
        double meanD = sum / m;
        double var = Math.max(0.0, (sumSq - m * meanD * meanD) / (m - 1));
        elbo = -(shift + meanD) + h;
        se = Math.sqrt(var / m);
      }
    }
    double[] tr = trace == null ? null : java.util.Arrays.copyOf(trace, it);
    return new ViResult(restart, family, n, mu0, mean, l, it, diverged, divergedAt, tr, elbo, se,
        config.finalSamples, nonFinite, h);
  }

  /** θ0 = (μ0, log σ0, 0), σ0_i = initialStd (· σb_i if relative). {@code theta} modified. */
  public void initialTheta(double[] mu0, double[] out) {
    System.arraycopy(mu0, 0, out, 0, n);
    double rho = Math.log(config.initialStd);
    for (int i = 0; i < n; i++) {
      out[n + i] = config.initialStdRelative ? rho + Math.log(problem.bStd(i)) : rho;
    }
    for (int k = 2 * n; k < np; k++) {
      out[k] = 0.0;
    }
  }

  /** Unpacks θ into μ and the lower-triangular L (n×n). */
  public void unpack(double[] th, double[] mu, double[] l) {
    System.arraycopy(th, 0, mu, 0, n);
    java.util.Arrays.fill(l, 0.0);
    for (int i = 0; i < n; i++) {
      l[i * n + i] = Math.exp(th[n + i]);
    }
    if (family == ViFamily.FULL_COVARIANCE) {
      int k = 2 * n;
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          l[i * n + j] = th[k++];
        }
      }
    }
  }

  /** Entropy {@code H = Σ ρ_i + n/2 log(2πe)} of the q with parameters θ. */
  public static double entropy(ViFamily family, double[] theta, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += theta[n + i];
    }
    return s + n * HALF_LOG_2PI_E;
  }

  /**
   * The minimised objective {@code F(θ) = (1/S) Σ_s J(μ + L ε_s) − H(θ)} for the given samples and its exact
   * gradient (class comment) into {@code gradOut}. This is −(ELBO estimate); with ε fixed it is a
   * deterministic function of θ (used by the gradient tests).
   *
   * @param th parameters, not modified
   * @param e samples {@code e[s*n + i]}, not modified
   * @param samples S
   * @param gradOut overwritten ({@link #parameterCount()} values)
   * @return F(θ), possibly non-finite
   */
  public double negElboAndGradient(double[] th, double[] e, int samples, double[] gradOut) {
    final int nn = n;
    java.util.Arrays.fill(gradOut, 0, np, 0.0);
    for (int i = 0; i < nn; i++) {
      sigma[i] = Math.exp(th[nn + i]);
    }
    final boolean full = family == ViFamily.FULL_COVARIANCE;
    double jSum = 0.0;
    for (int s = 0; s < samples; s++) {
      final int eo = s * nn;
      if (full) {
        int k = 2 * nn;
        x[0] = th[0] + sigma[0] * e[eo];
        for (int i = 1; i < nn; i++) {
          double v = th[i] + sigma[i] * e[eo + i];
          for (int j = 0; j < i; j++) {
            v += th[k++] * e[eo + j];
          }
          x[i] = v;
        }
      } else {
        for (int i = 0; i < nn; i++) {
          x[i] = th[i] + sigma[i] * e[eo + i];
        }
      }
      jSum += cost.costAndGradient(x, g);
      for (int i = 0; i < nn; i++) {
        gradOut[i] += g[i];
        gradOut[nn + i] += g[i] * e[eo + i];
      }
      if (full) {
        int k = 2 * nn;
        for (int i = 1; i < nn; i++) {
          final double gi = g[i];
          for (int j = 0; j < i; j++) {
            gradOut[k++] += gi * e[eo + j];
          }
        }
      }
    }
    final double inv = 1.0 / samples;
    for (int i = 0; i < nn; i++) {
      gradOut[i] *= inv;
      gradOut[nn + i] = gradOut[nn + i] * inv * sigma[i] - 1.0;
    }
    for (int k = 2 * nn; k < np; k++) {
      gradOut[k] *= inv;
    }
    return jSum * inv - entropy(family, th, nn);
  }

  private static boolean allFinite(double[] a, int len) {
    for (int i = 0; i < len; i++) {
      if (!Double.isFinite(a[i])) {
        return false;
      }
    }
    return true;
  }
}
