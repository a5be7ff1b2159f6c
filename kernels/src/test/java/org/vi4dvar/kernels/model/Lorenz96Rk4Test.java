package org.vi4dvar.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.Vectors;

/**
 * The fused {@link Lorenz96Rk4} is the same map as the readable reference {@code Rk4(Lorenz96)}, with the same
 * tangent and adjoint, bit for bit (same expressions in the same order). The reference is proven by the
 * Taylor and dot-product tests of {@link Rk4Test} and {@link Lorenz96Test}; this equality carries the proofs over.
 */
class Lorenz96Rk4Test {

  @ParameterizedTest(name = "nx={0}, F={1}, dt={2}")
  @CsvSource({"4, 8, 0.1", "5, 8, 0.05", "16, 8, 0.1", "40, 10, 0.05", "1000, 8, 0.01"})
  void fusedModelEqualsTheReferenceBitForBit(int n, double forcing, double dt) {
    Lorenz96Spec spec = new Lorenz96Spec(n, forcing, dt);
    Model fast = spec.newModel();
    Model ref = spec.newReferenceModel();
    RandomStream r = Vectors.rng(900 + n);
    for (int trial = 0; trial < 5; trial++) {
      double[] x = Vectors.gaussian(r, n, 2.0, 3.0);
      double[] dx = Vectors.gaussian(r, n);
      double[] ay = Vectors.gaussian(r, n);
      double[] storeF = new double[fast.storeSize() + 3];
      double[] storeR = new double[ref.storeSize() + 5];
      double[] yF = Vectors.nans(n);
      double[] yR = Vectors.nans(n);
      fast.step(x, 0, yF, 0, storeF, 3);
      ref.step(x, 0, yR, 0, storeR, 5);
      assertBitEqual(yR, yF, "step");
      fast.step(x, yF);
      assertBitEqual(yR, yF, "step without recording");
      fast.stepTangent(storeF, 3, dx, yF);
      ref.stepTangent(storeR, 5, dx, yR);
      assertBitEqual(yR, yF, "tangent");
      fast.stepAdjoint(storeF, 3, ay, yF);
      ref.stepAdjoint(storeR, 5, ay, yR);
      assertBitEqual(yR, yF, "adjoint");
    }
    int nb = 19;
    double[][] rows = new double[n][nb];
    for (int i = 0; i < n; i++) {
      rows[i] = Vectors.gaussian(r, nb, 2.0, 3.0);
    }
    double[][] outF = new double[n][nb];
    double[][] outR = new double[n][nb];
    fast.stepBatch(rows, outF, nb);
    ref.stepBatch(rows, outR, nb);
    for (int i = 0; i < n; i++) {
      assertBitEqual(outR[i], outF[i], "batch row " + i);
    }
  }

  private static void assertBitEqual(double[] expected, double[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]), what + " [" + i + "]");
    }
  }
}
