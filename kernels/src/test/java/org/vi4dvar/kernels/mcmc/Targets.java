package org.vi4dvar.kernels.mcmc;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.map.FourDVarObjective;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.var.FourDVarCost;

/** Targets with known answers for the sampler tests. */
final class Targets {

  private Targets() {
  }

  /** The whitened 4D-Var target {@code f(v) = J(x_b + B½ v)} of a linear-Gaussian problem. */
  static WhitenedTarget linearGaussian(LinearGaussian lg) {
    return new WhitenedTarget(new FourDVarObjective(new FourDVarCost(lg.problem)), lg.problem.background());
  }

  /** {@code f(v) = ½ (v − m)ᵀ Σ⁻¹ (v − m)} for a dense covariance Σ. */
  static final class Gaussian implements DifferentiableFunction {
    final int n;
    final double[] mean;
    final double[] cov;
    final double[] prec;
    private final double[] d;

    Gaussian(double[] mean, double[] cov) {
      this.n = mean.length;
      this.mean = mean.clone();
      this.cov = cov.clone();
      double[] l = new double[n * n];
      if (!Cholesky.decompose(n, cov, l)) {
        throw new IllegalArgumentException("covariance not positive definite");
      }
      this.prec = new double[n * n];
      Cholesky.inverse(n, l, prec);
      this.d = new double[n];
    }

    /** 2-D with standard deviations s1, s2 and correlation r. */
    static Gaussian twoD(double m1, double m2, double s1, double s2, double r) {
      return new Gaussian(new double[] {m1, m2}, new double[] {s1 * s1, r * s1 * s2, r * s1 * s2, s2 * s2});
    }

    @Override
    public int dimension() {
      return n;
    }

    @Override
    public double valueAndGradient(double[] x, double[] grad) {
      for (int i = 0; i < n; i++) {
        d[i] = x[i] - mean[i];
      }
      double q = 0;
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += prec[i * n + j] * d[j];
        }
        grad[i] = s;
        q += d[i] * s;
      }
      return 0.5 * q;
    }
  }

  /** Independent Student-t components with ν degrees of freedom: sd √(ν/(ν − 2)), heavy tails. */
  static final class StudentT implements DifferentiableFunction {
    final int n;
    final double nu;

    StudentT(int n, double nu) {
      this.n = n;
      this.nu = nu;
    }

    @Override
    public int dimension() {
      return n;
    }

    @Override
    public double valueAndGradient(double[] x, double[] grad) {
      double f = 0;
      for (int i = 0; i < n; i++) {
        double a = 1 + x[i] * x[i] / nu;
        f += 0.5 * (nu + 1) * Math.log(a);
        grad[i] = (nu + 1) * x[i] / (nu * a);
      }
      return f;
    }
  }

  /**
   * N(0, I) restricted to {@code x_0 ≤ wall}: f = +∞ (or NaN, or a NaN gradient) beyond — a target whose
   * density vanishes, to test that non-finite values reject and never propagate.
   */
  static final class Truncated implements DifferentiableFunction {
    final int n;
    final double wall;
    final int mode;

    /** @param mode 0: f = +∞ beyond the wall; 1: f = NaN; 2: finite f with a NaN gradient */
    Truncated(int n, double wall, int mode) {
      this.n = n;
      this.wall = wall;
      this.mode = mode;
    }

    @Override
    public int dimension() {
      return n;
    }

    @Override
    public double valueAndGradient(double[] x, double[] grad) {
      double f = 0;
      for (int i = 0; i < n; i++) {
        f += 0.5 * x[i] * x[i];
        grad[i] = x[i];
      }
      if (x[0] > wall) {
        switch (mode) {
          case 0:
            return Double.POSITIVE_INFINITY;
          case 1:
            return Double.NaN;
          default:
            grad[0] = Double.NaN;
            return f;
        }
      }
      return f;
    }
  }

  /** Counts evaluations of a wrapped function. */
  static final class Counting implements DifferentiableFunction {
    final DifferentiableFunction f;
    long count;

    Counting(DifferentiableFunction f) {
      this.f = f;
    }

    @Override
    public int dimension() {
      return f.dimension();
    }

    @Override
    public double valueAndGradient(double[] x, double[] grad) {
      count++;
      return f.valueAndGradient(x, grad);
    }
  }
}
