package org.vi4dvar.kernels.testing;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.optim.Lbfgs;
import org.vi4dvar.kernels.vi.ViStart;

/**
 * Starts for VI tests as the experiment runner will pass them: the Laplace approximation in v (L-BFGS minimum of
 * f from a point, then the central-difference Hessian of f, symmetrised, {@code h = 1e-4}), or a fraction of the
 * prior at a point.
 */
public final class ViStarts {

  private ViStarts() {
  }

  /** The minimiser of f from {@code v0} (L-BFGS, default settings). */
  public static double[] minimum(DifferentiableFunction f, double[] v0) {
    double[] v = v0.clone();
    new Lbfgs().minimize(f, v);
    return v;
  }

  /** The Hessian of f at v by central differences of the gradient (symmetrised). */
  public static double[] hessian(DifferentiableFunction f, double[] v, double h) {
    final int n = v.length;
    double[] hs = new double[n * n];
    double[] gp = new double[n];
    double[] gm = new double[n];
    double[] x = v.clone();
    for (int j = 0; j < n; j++) {
      x[j] = v[j] + h;
      f.valueAndGradient(x, gp);
      x[j] = v[j] - h;
      f.valueAndGradient(x, gm);
      x[j] = v[j];
      for (int i = 0; i < n; i++) {
        hs[i * n + j] = (gp[i] - gm[i]) / (2 * h);
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double a = 0.5 * (hs[i * n + j] + hs[j * n + i]);
        hs[i * n + j] = a;
        hs[j * n + i] = a;
      }
    }
    return hs;
  }

  /** The Laplace start at the minimum of f reached from {@code v0}. */
  public static ViStart laplace(DifferentiableFunction f, double[] v0) {
    double[] v = minimum(f, v0);
    final int n = v.length;
    double[] l = new double[n * n];
    if (!Cholesky.decompose(n, hessian(f, v, 1e-4), l)) {
      throw new IllegalStateException("Hessian not positive definite at the minimum");
    }
    return ViStart.precision(v, l);
  }
}
