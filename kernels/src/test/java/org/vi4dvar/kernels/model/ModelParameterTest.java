package org.vi4dvar.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;

/**
 * The model parameter interface on Lorenz96 (the forcing F): the RK4 step's tangent with respect to F (Taylor
 * test against F + ε dF), the adjoint of the full tangent {@code (dx, dF) ↦ M' dx + (∂M/∂F) dF} (dot-product
 * test), and the fused {@link Lorenz96Rk4} equal to the reference {@code Rk4(Lorenz96)} bit for bit for all of
 * it.
 */
class ModelParameterTest {

  @ParameterizedTest(name = "{0}, nx={1}, F={2}, dt={3}")
  @CsvSource({"fused, 16, 8, 0.1", "reference, 16, 8, 0.1", "fused, 40, 10, 0.05", "reference, 5, 8.5, 0.05"})
  void forcingTangentTaylorTest(String which, int n, double f, double dt) {
    Lorenz96Spec spec = new Lorenz96Spec(n, f, dt);
    Model m = which.equals("fused") ? spec.newModel() : spec.newReferenceModel();
    assertEquals(1, m.nParameters());
    assertEquals("forcing", m.parameterName(0));
    assertEquals(f, m.parameter(0), 0.0);
    RandomStream r = Vectors.rng(700 + n);
    double[] x = Vectors.gaussian(r, n, 2.0, 3.0);
    double[] store = new double[m.storeSize()];
    double[] y0 = new double[n];
    m.step(x, 0, y0, 0, store, 0);
    double[] dfy = new double[n];
    m.stepParameterTangent(store, 0, new double[] {1.0}, dfy);
    double slope = TaylorCheck.slope(eps -> {
      m.setParameter(0, f + eps);
      double[] y = new double[n];
      m.step(x, y);
      m.setParameter(0, f);
      return TaylorCheck.remainderNorm(y, y0, eps, dfy);
    }, TaylorCheck.norm(dfy), 1e-15 * TaylorCheck.norm(y0));
    assertEquals(2.0, slope, Tol.TAYLOR_SLOPE, "F-tangent Taylor slope");
    // the tangent is linear in dF and sums with the state tangent: the full tangent's Taylor test
    double[] dx = Vectors.gaussian(r, n);
    double[] lin = new double[n];
    double[] lp = new double[n];
    m.stepTangent(store, 0, dx, lin);
    m.stepParameterTangent(store, 0, new double[] {0.7}, lp);
    for (int i = 0; i < n; i++) {
      lin[i] += lp[i];
    }
    double slope2 = TaylorCheck.slope(eps -> {
      m.setParameter(0, f + 0.7 * eps);
      double[] y = new double[n];
      m.step(TaylorCheck.axpy(x, eps, dx), y);
      m.setParameter(0, f);
      return TaylorCheck.remainderNorm(y, y0, eps, lin);
    }, TaylorCheck.norm(lin), 1e-15 * TaylorCheck.norm(y0));
    assertEquals(2.0, slope2, Tol.TAYLOR_SLOPE, "(x, F)-tangent Taylor slope");
  }

  /** ⟨M' dx + M_F dF, a⟩ = ⟨dx, M'ᵀ a⟩ + dF (M_Fᵀ a), and the state part of the fused adjoint is stepAdjoint's. */
  @ParameterizedTest(name = "{0}, nx={1}")
  @CsvSource({"fused, 16", "reference, 16", "fused, 41", "reference, 7"})
  void forcingAdjointDotProductTest(String which, int n) {
    Lorenz96Spec spec = new Lorenz96Spec(n, 8.0, 0.1);
    Model m = which.equals("fused") ? spec.newModel() : spec.newReferenceModel();
    RandomStream r = Vectors.rng(800 + n);
    for (int trial = 0; trial < 5; trial++) {
      double[] x = Vectors.gaussian(r, n, 2.0, 3.0);
      double[] store = new double[m.storeSize()];
      m.step(x, 0, new double[n], 0, store, 0);
      double[] dx = Vectors.gaussian(r, n);
      double df = r.nextGaussian();
      double[] a = Vectors.gaussian(r, n);
      double[] t1 = new double[n];
      double[] t2 = new double[n];
      m.stepTangent(store, 0, dx, t1);
      m.stepParameterTangent(store, 0, new double[] {df}, t2);
      double lhs = TaylorCheck.dot(t1, a) + TaylorCheck.dot(t2, a);
      double[] ax = Vectors.nans(n);
      double[] ap = {0.25};                          // accumulated: starts from a non-zero value
      m.stepParameterAdjoint(store, 0, a, ax, ap);
      double rhs = TaylorCheck.dot(dx, ax) + df * (ap[0] - 0.25);
      assertTrue(TaylorCheck.relativeMismatch(lhs, rhs) < Tol.ADJOINT_ONE_STEP, lhs + " vs " + rhs);
      double[] ax2 = Vectors.nans(n);
      m.stepAdjoint(store, 0, a, ax2);
      assertArrayEquals(ax2, ax, 0.0, "the state adjoint of the fused sweep is stepAdjoint's");
    }
  }

  /** Fused and reference agree bit for bit on the forcing tangent, its adjoint and a step with another F. */
  @ParameterizedTest(name = "nx={0}, F={1}, dt={2}")
  @CsvSource({"4, 8, 0.1", "5, 8, 0.05", "16, 8.5, 0.1", "40, 10, 0.05", "1000, 8, 0.01"})
  void fusedForcingDerivativesEqualTheReferenceBitForBit(int n, double f, double dt) {
    Lorenz96Spec spec = new Lorenz96Spec(n, 8.0, dt);
    Model fast = spec.newModel();
    Model ref = spec.newReferenceModel();
    fast.setParameter(0, f);
    ref.setParameter(0, f);
    RandomStream r = Vectors.rng(950 + n);
    for (int trial = 0; trial < 4; trial++) {
      double[] x = Vectors.gaussian(r, n, 2.0, 3.0);
      double[] a = Vectors.gaussian(r, n);
      double[] dp = {trial == 0 ? -0.0 : r.nextGaussian()};
      double[] sf = new double[fast.storeSize()];
      double[] sr = new double[ref.storeSize()];
      double[] yf = Vectors.nans(n);
      double[] yr = Vectors.nans(n);
      fast.step(x, 0, yf, 0, sf, 0);
      ref.step(x, 0, yr, 0, sr, 0);
      assertBits(yr, yf, "step at F = " + f);
      fast.stepParameterTangent(sf, 0, dp, yf);
      ref.stepParameterTangent(sr, 0, dp, yr);
      assertBits(yr, yf, "forcing tangent");
      double[] apf = {1.5};
      double[] apr = {1.5};
      fast.stepParameterAdjoint(sf, 0, a, yf, apf);
      ref.stepParameterAdjoint(sr, 0, a, yr, apr);
      assertBits(yr, yf, "state adjoint");
      assertBits(apr, apf, "forcing adjoint");
    }
  }

  @Test
  void parameterValidation() {
    Model m = new Lorenz96Spec(8, 8, 0.1).newModel();
    assertThrows(IndexOutOfBoundsException.class, () -> m.setParameter(1, 1.0));
    assertThrows(IllegalArgumentException.class, () -> m.setParameter(0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new Lorenz96(8, 8).setParameter(0, Double.NaN));
    LinearModel lm = new LinearModel(2, new double[] {1, 0, 0, 1});
    assertEquals(0, lm.nParameters());
    assertEquals(0, lm.parameterNames().length);
    assertEquals(-1, lm.parameterIndex("forcing"));
    assertEquals(0, new Lorenz96Spec(8, 8, 0.1).parameterIndex("forcing"));
    assertEquals(8.0, new Lorenz96Spec(8, 8, 0.1).parameterValue(0), 0.0);
    assertThrows(UnsupportedOperationException.class,
        () -> lm.stepParameterTangent(new double[0], 0, new double[1], new double[2]));
  }

  private static void assertBits(double[] expected, double[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]), what + " [" + i + "]");
    }
  }
}
