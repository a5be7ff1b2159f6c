package org.vi4dvar.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vi4dvar.kernels.testing.TaylorCheck.dot;
import static org.vi4dvar.kernels.testing.TaylorCheck.norm;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;

class Rk4Test {

  /** A point on the attractor: a random state spun up 200 steps. */
  static double[] attractorPoint(Model m, long id) {
    int n = m.nx();
    double[] x = Vectors.gaussian(Vectors.rng(id), n, 8.0, 1.0);
    double[] y = new double[n];
    for (int s = 0; s < 200; s++) {
      m.step(x, y);
      System.arraycopy(y, 0, x, 0, n);
    }
    return x;
  }

  /** Window forward from x0 over nSteps, recording into store; returns the final state. */
  static double[] window(Model m, double[] x0, int nSteps, double[] store) {
    int n = m.nx();
    double[] traj = new double[(nSteps + 1) * n];
    System.arraycopy(x0, 0, traj, 0, n);
    for (int t = 0; t < nSteps; t++) {
      m.step(traj, t * n, traj, (t + 1) * n, store, t * m.storeSize());
    }
    return Arrays.copyOfRange(traj, nSteps * n, (nSteps + 1) * n);
  }

  static double[] windowTangent(Model m, double[] store, int nSteps, double[] dx) {
    double[] a = dx.clone();
    double[] b = new double[dx.length];
    for (int t = 0; t < nSteps; t++) {
      m.stepTangent(store, t * m.storeSize(), a, b);
      double[] tmp = a;
      a = b;
      b = tmp;
    }
    return a;
  }

  static double[] windowAdjoint(Model m, double[] store, int nSteps, double[] ay) {
    double[] a = ay.clone();
    double[] b = new double[ay.length];
    for (int t = nSteps - 1; t >= 0; t--) {
      m.stepAdjoint(store, t * m.storeSize(), a, b);
      double[] tmp = a;
      a = b;
      b = tmp;
    }
    return a;
  }

  @ParameterizedTest(name = "nx={0}, dt={1}, steps={2}")
  @CsvSource({"16, 0.1, 1", "16, 0.1, 16", "40, 0.05, 64", "5, 0.01, 10", "16, 0.1, 64"})
  void tangentTaylorSlopeIsTwo(int n, double dt, int nSteps) {
    Rk4 m = new Rk4(new Lorenz96(n, 8.0), dt);
    double[] x = attractorPoint(m, n);
    double[] dx = Vectors.gaussian(Vectors.rng(100 + n), n);
    double[] store = new double[nSteps * m.storeSize()];
    double[] xT = window(m, x, nSteps, store);
    double[] dxT = windowTangent(m, store, nSteps, dx);
    Rk4 other = new Rk4(new Lorenz96(n, 8.0), dt);
    double slope = TaylorCheck.slope(eps -> {
      double[] xe = window(other, TaylorCheck.axpy(x, eps, dx), nSteps, new double[nSteps * m.storeSize()]);
      return TaylorCheck.remainderNorm(xe, xT, eps, dxT);
    }, norm(dxT), 1e-16 * norm(xT) * Math.sqrt(nSteps));
    assertEquals(2.0, slope, Tol.TAYLOR_SLOPE);
  }

  @ParameterizedTest(name = "nx={0}, dt={1}")
  @CsvSource({"4, 0.1", "5, 0.05", "16, 0.1", "40, 0.05", "1000, 0.01"})
  void oneStepAdjointDotProductTest(int n, double dt) {
    Rk4 m = new Rk4(new Lorenz96(n, 8.0), dt);
    double[] x = attractorPoint(m, 7 + n);
    RandomStream r = Vectors.rng(200 + n);
    double[] dx = Vectors.gaussian(r, n);
    double[] ay = Vectors.gaussian(r, n);
    double[] store = new double[m.storeSize()];
    window(m, x, 1, store);
    double[] mdx = windowTangent(m, store, 1, dx);
    double[] mtay = windowAdjoint(m, store, 1, ay);
    double mismatch = TaylorCheck.relativeMismatch(dot(mdx, ay), dot(dx, mtay));
    assertTrue(mismatch <= Tol.ADJOINT_ONE_STEP, "relative mismatch " + mismatch);
  }

  @ParameterizedTest(name = "nx={0}, steps={1}")
  @CsvSource({"16, 15", "16, 64", "40, 64"})
  void windowAdjointDotProductTest(int n, int nSteps) {
    Rk4 m = new Rk4(new Lorenz96(n, 8.0), 0.1);
    double[] x = attractorPoint(m, 9 + n);
    RandomStream r = Vectors.rng(300 + n);
    double[] dx = Vectors.gaussian(r, n);
    double[] ay = Vectors.gaussian(r, n);
    double[] store = new double[nSteps * m.storeSize()];
    window(m, x, nSteps, store);
    double[] mdx = windowTangent(m, store, nSteps, dx);
    double[] mtay = windowAdjoint(m, store, nSteps, ay);
    double mismatch = TaylorCheck.relativeMismatch(dot(mdx, ay), dot(dx, mtay));
    assertTrue(mismatch <= Tol.ADJOINT_WINDOW, "relative mismatch " + mismatch);
  }

  @Test
  void linearModelAdjointDotProductTest() {
    int n = 9;
    RandomStream r = Vectors.rng(400);
    LinearModel m = new LinearModel(n, Vectors.gaussian(r, n * n));
    double[] dx = Vectors.gaussian(r, n);
    double[] ay = Vectors.gaussian(r, n);
    double[] mdx = windowTangent(m, new double[0], 1, dx);
    double[] mtay = windowAdjoint(m, new double[0], 1, ay);
    assertTrue(TaylorCheck.relativeMismatch(dot(mdx, ay), dot(dx, mtay)) <= Tol.ADJOINT_ONE_STEP);
  }

  /**
   * Fourth order: over a fixed time span, halving dt divides the error by 2⁴ = 16. The reference is the same
   * integration with dt/64 (its error is 64⁴ ≈ 1.7e7 times smaller, negligible). The measured ratios are
   * within 15.0–16.6; we allow [14, 18] for the pre-asymptotic part of the coarsest step.
   */
  @Test
  void halvingDtDividesTheWindowErrorBySixteen() {
    int n = 16;
    double span = 1.6;
    double[] x0 = attractorPoint(new Rk4(new Lorenz96(n, 8.0), 0.05), 55);
    double[] ref = integrate(x0, span, 0.1 / 64);
    double previous = Double.NaN;
    for (double dt : new double[] {0.1, 0.05, 0.025}) {
      double[] xt = integrate(x0, span, dt);
      double err = TaylorCheck.remainderNorm(xt, ref, 0.0, ref);
      if (!Double.isNaN(previous)) {
        double ratio = previous / err;
        assertTrue(ratio > 14 && ratio < 18, "dt=" + dt + ": error ratio " + ratio + " is not ≈ 16");
      }
      previous = err;
    }
  }

  private static double[] integrate(double[] x0, double span, double dt) {
    int steps = (int) Math.round(span / dt);
    Rk4 m = new Rk4(new Lorenz96(x0.length, 8.0), dt);
    double[] x = x0.clone();
    double[] y = new double[x.length];
    for (int s = 0; s < steps; s++) {
      m.step(x, y);
      System.arraycopy(y, 0, x, 0, x.length);
    }
    return x;
  }

  @Test
  void batchStepIsBitIdenticalToScalarStep() {
    int n = 16;
    int nb = 37;
    Rk4 m = new Rk4(new Lorenz96(n, 8.0), 0.1);
    double[] batch = Vectors.gaussian(Vectors.rng(500), n * nb, 2.0, 4.0);
    double[] next = Vectors.nans(n * nb);
    double[][] rows = new double[n][nb];
    double[][] nextRows = new double[n][nb];
    for (int i = 0; i < n; i++) {
      System.arraycopy(batch, i * nb, rows[i], 0, nb);
    }
    m.stepBatch(rows, nextRows, nb);
    for (int i = 0; i < n; i++) {
      System.arraycopy(nextRows[i], 0, next, i * nb, nb);
    }
    double[] x = new double[n];
    double[] y = new double[n];
    for (int b = 0; b < nb; b++) {
      for (int i = 0; i < n; i++) {
        x[i] = batch[i * nb + b];
      }
      m.step(x, y);
      for (int i = 0; i < n; i++) {
        assertEquals(Double.doubleToLongBits(y[i]), Double.doubleToLongBits(next[i * nb + b]));
      }
    }
  }

  @Test
  void recordingDoesNotChangeTheStep() {
    Rk4 m = new Rk4(new Lorenz96(16, 8.0), 0.1);
    double[] x = attractorPoint(m, 3);
    double[] a = new double[16];
    double[] b = new double[16];
    m.step(x, a);
    m.step(x, 0, b, 0, new double[m.storeSize()], 0);
    assertEquals(Arrays.toString(a), Arrays.toString(b));
  }

  @Test
  void rejectsBadTimeStep() {
    Lorenz96 f = new Lorenz96(8, 8.0);
    assertThrows(IllegalArgumentException.class, () -> new Rk4(f, 0.0));
    assertThrows(IllegalArgumentException.class, () -> new Rk4(f, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new Rk4(f, Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> new Rk4(f, Double.NaN));
  }
}
