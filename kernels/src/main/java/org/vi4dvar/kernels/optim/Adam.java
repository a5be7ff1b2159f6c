package org.vi4dvar.kernels.optim;

import java.util.Arrays;
import org.vi4dvar.kernels.linalg.Blas;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, alg. 1), moments updated in
 * place:
 * <pre>
 *   m ← β1 m + (1−β1) g,   v ← β2 v + (1−β2) g²,
 *   m̂ = m / (1−β1ᵗ),   v̂ = v / (1−β2ᵗ),   θ ← θ − lr_t m̂ / (√v̂ + ε)
 * </pre>
 * (the PyTorch form, as in the talk's code), with the optional learning-rate decay of {@link AdamConfig}.
 * Two uses: the low-level {@link #reset}/{@link #step} driven by a caller that computes stochastic gradients
 * (VI-4D-Var), and {@link Minimizer#minimize} for a deterministic function (fixed number of steps, stop on the
 * gradient tolerance, {@link StopReason#DIVERGED} with the last finite iterate restored if f or ∇f is not
 * finite). Moments are allocated by {@link #reset} only when the dimension changes. Not thread-safe.
 */
public final class Adam implements Minimizer {

  private final AdamConfig c;
  private final double decayPerStep;
  private int n = -1;
  private int t;
  private double[] m;
  private double[] v;
  private double[] g;
  private double[] xPrev;
  private double[] trace;

  /** Adam with the given settings. */
  public Adam(AdamConfig config) {
    this.c = config;
    this.decayPerStep = config.maxIterations > 1
        ? Math.log(config.finalLearningRate / config.learningRate) / (config.maxIterations - 1) : 0.0;
  }

  /** The settings. */
  public AdamConfig config() {
    return c;
  }

  /** Zeroes the moments and the step counter for a problem of dimension {@code dim}. */
  public void reset(int dim) {
    if (dim != n) {
      n = dim;
      m = new double[dim];
      v = new double[dim];
      g = new double[dim];
      xPrev = new double[dim];
    } else {
      Arrays.fill(m, 0.0);
      Arrays.fill(v, 0.0);
    }
    t = 0;
  }

  /** Steps taken since {@link #reset}. */
  public int steps() {
    return t;
  }

  /** The learning rate of step {@code step} (1-based). */
  public double learningRate(int step) {
    if (c.finalLearningRate == c.learningRate) {
      return c.learningRate;
    }
    if (step >= c.maxIterations) {
      return c.finalLearningRate;
    }
    return c.learningRate * Math.exp(decayPerStep * (step - 1));
  }

  /**
   * One Adam step: {@code theta} updated in place from the gradient {@code grad} (not modified). The caller
   * checks that {@code grad} is finite.
   */
  public void step(double[] theta, double[] grad) {
    final int dim = n;
    t++;
    final double b1 = c.beta1;
    final double b2 = c.beta2;
    final double bc1 = 1.0 - Math.pow(b1, t);
    final double bc2 = 1.0 - Math.pow(b2, t);
    final double lr = learningRate(t);
    final double eps = c.epsilon;
    final double a1 = 1.0 - b1;
    final double a2 = 1.0 - b2;
    for (int i = 0; i < dim; i++) {
      double gi = grad[i];
      double mi = b1 * m[i] + a1 * gi;
      double vi = b2 * v[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      theta[i] -= lr * (mi / bc1) / (Math.sqrt(vi / bc2) + eps);
    }
  }

  @Override
  public OptimResult minimize(DifferentiableFunction f, double[] x) {
    final int dim = f.dimension();
    reset(dim);
    if (trace == null || trace.length != c.maxIterations + 1) {
      trace = new double[c.maxIterations + 1];
    }
    long evals = 0;
    double fx = Double.NaN;
    double gnorm = Double.NaN;
    double fPrev = Double.POSITIVE_INFINITY;
    double gnormPrev = Double.POSITIVE_INFINITY;
    int iter = 0;
    while (true) {
      fx = f.valueAndGradient(x, g);
      evals++;
      if (!Double.isFinite(fx) || !Blas.allFinite(dim, g)) {
        if (iter == 0) {
          return new OptimResult(StopReason.DIVERGED, 0, evals, Double.POSITIVE_INFINITY,
              Double.POSITIVE_INFINITY, null);
        }
        System.arraycopy(xPrev, 0, x, 0, dim);
        return new OptimResult(StopReason.DIVERGED, iter - 1, evals, fPrev, gnormPrev,
            Arrays.copyOf(trace, iter));
      }
      gnorm = Blas.nrm2(dim, g);
      trace[iter] = fx;
      if (gnorm <= c.gradientTolerance) {
        return new OptimResult(StopReason.GRADIENT_TOLERANCE, iter, evals, fx, gnorm,
            Arrays.copyOf(trace, iter + 1));
      }
      if (iter >= c.maxIterations) {
        return new OptimResult(StopReason.MAX_ITERATIONS, iter, evals, fx, gnorm,
            Arrays.copyOf(trace, iter + 1));
      }
      System.arraycopy(x, 0, xPrev, 0, dim);
      fPrev = fx;
      gnormPrev = gnorm;
      step(x, g);
      iter++;
    }
  }
}
