package org.vi4dvar.kernels.optim;

import java.util.Random;

/** Test functions with known minima, each counting its evaluations. */
final class TestFunctions {

  private TestFunctions() {
  }

  /** Counts evaluations of a wrapped function. */
  abstract static class Counted implements DifferentiableFunction {
    long evaluations;

    @Override
    public final double valueAndGradient(double[] x, double[] grad) {
      evaluations++;
      return eval(x, grad);
    }

    abstract double eval(double[] x, double[] grad);
  }

  /** {@code f = ½ (x−c)ᵀ A (x−c)}, A = Q diag(λ) Qᵀ with a random rotation Q and λ log-spaced in [1, κ]. */
  static final class Quadratic extends Counted {
    final int n;
    final double[] a;
    final double[] c;

    Quadratic(int n, double kappa, long seed) {
      this.n = n;
      Random r = new Random(seed);
      double[] q = randomOrthogonal(n, r);
      a = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int k = 0; k < n; k++) {
            double lam = n == 1 ? 1.0 : Math.pow(kappa, (double) k / (n - 1));
            s += q[i * n + k] * lam * q[j * n + k];
          }
          a[i * n + j] = s;
        }
      }
      c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = r.nextGaussian();
      }
    }

    @Override
    public int dimension() {
      return n;
    }

    @Override
    double eval(double[] x, double[] grad) {
      double f = 0;
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += a[i * n + j] * (x[j] - c[j]);
        }
        grad[i] = s;
        f += 0.5 * (x[i] - c[i]) * s;
      }
      return f;
    }
  }

  /** Extended Rosenbrock {@code Σ_{i even} 100 (x_{i+1} − x_i²)² + (1 − x_i)²}, minimum 0 at (1, …, 1). */
  static final class Rosenbrock extends Counted {
    final int n;

    Rosenbrock(int n) {
      this.n = n;
    }

    @Override
    public int dimension() {
      return n;
    }

    @Override
    double eval(double[] x, double[] grad) {
      double f = 0;
      for (int i = 0; i < n; i += 2) {
        double t1 = x[i + 1] - x[i] * x[i];
        double t2 = 1 - x[i];
        f += 100 * t1 * t1 + t2 * t2;
        grad[i] = -400 * x[i] * t1 - 2 * t2;
        grad[i + 1] = 200 * t1;
      }
      return f;
    }
  }

  /** {@code ½‖x − c‖²} where {@code x_0 ≥ wall}, NaN (value and gradient) where {@code x_0 < wall}. */
  static final class Walled extends Counted {
    final double[] c;
    final double wall;

    Walled(double[] c, double wall) {
      this.c = c;
      this.wall = wall;
    }

    @Override
    public int dimension() {
      return c.length;
    }

    @Override
    double eval(double[] x, double[] grad) {
      if (x[0] < wall) {
        java.util.Arrays.fill(grad, Double.NaN);
        return Double.NaN;
      }
      double f = 0;
      for (int i = 0; i < c.length; i++) {
        grad[i] = x[i] - c[i];
        f += 0.5 * grad[i] * grad[i];
      }
      return f;
    }
  }

  /** Q of the Gram–Schmidt orthogonalisation of a Gaussian matrix (row-major, columns orthonormal). */
  static double[] randomOrthogonal(int n, Random r) {
    double[] q = new double[n * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        q[i * n + j] = r.nextGaussian();
      }
      for (int p = 0; p < 2; p++) { // twice is enough (Giraud et al. 2005)
        for (int k = 0; k < j; k++) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += q[i * n + j] * q[i * n + k];
          }
          for (int i = 0; i < n; i++) {
            q[i * n + j] -= s * q[i * n + k];
          }
        }
      }
      double nrm = 0;
      for (int i = 0; i < n; i++) {
        nrm += q[i * n + j] * q[i * n + j];
      }
      nrm = Math.sqrt(nrm);
      for (int i = 0; i < n; i++) {
        q[i * n + j] /= nrm;
      }
    }
    return q;
  }
}
