package org.vi4dvar.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vi4dvar.kernels.testing.TaylorCheck.dot;
import static org.vi4dvar.kernels.testing.TaylorCheck.norm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;

class Lorenz96Test {

  @Test
  void uniformStateAtForcingIsAFixedPoint() {
    Lorenz96 m = new Lorenz96(16, 8.0);
    double[] x = new double[16];
    java.util.Arrays.fill(x, 8.0);
    double[] f = Vectors.nans(16);
    m.tendency(x, 0, f);
    assertArrayEquals(new double[16], f, 0.0);
  }

  @Test
  void tendencyMatchesTheFormulaWithPeriodicIndices() {
    int n = 5;
    Lorenz96 m = new Lorenz96(n, 3.0);
    double[] x = {1, -2, 0.5, 4, -1.5};
    double[] f = Vectors.nans(n);
    m.tendency(x, 0, f);
    for (int i = 0; i < n; i++) {
      double expected = (x[(i + 1) % n] - x[(i - 2 + n) % n]) * x[(i - 1 + n) % n] - x[i] + 3.0;
      assertEquals(expected, f[i], 0.0, "f_" + i);
    }
  }

  @Test
  void tendencyReadsAtAnOffset() {
    Lorenz96 m = new Lorenz96(6, 8.0);
    double[] x = Vectors.gaussian(Vectors.rng(1), 6);
    double[] padded = new double[10];
    System.arraycopy(x, 0, padded, 3, 6);
    double[] f1 = new double[6];
    double[] f2 = new double[6];
    m.tendency(x, 0, f1);
    m.tendency(padded, 3, f2);
    assertArrayEquals(f1, f2, 0.0);
  }

  @Test
  void rejectsTooFewPointsAndNonFiniteForcing() {
    assertThrows(IllegalArgumentException.class, () -> new Lorenz96(3, 8.0));
    assertThrows(IllegalArgumentException.class, () -> new Lorenz96(8, Double.NaN));
  }

  /** The tendency is quadratic, so its Taylor remainder is exactly ε² (dx_{i+1} − dx_{i−2}) dx_{i−1}. */
  @ParameterizedTest
  @ValueSource(ints = {4, 5, 16, 40})
  void tangentTaylorSlopeIsTwo(int n) {
    Lorenz96 m = new Lorenz96(n, 8.0);
    RandomStream r = Vectors.rng(10 + n);
    double[] x = Vectors.gaussian(r, n, 2.0, 3.0);
    double[] dx = Vectors.gaussian(r, n);
    double[] f0 = new double[n];
    double[] df = new double[n];
    double[] fe = new double[n];
    m.tendency(x, 0, f0);
    m.tendencyTangent(x, 0, dx, df);
    double slope = TaylorCheck.slope(eps -> {
      m.tendency(TaylorCheck.axpy(x, eps, dx), 0, fe);
      return TaylorCheck.remainderNorm(fe, f0, eps, df);
    }, norm(df), 1e-16 * norm(f0));
    assertEquals(2.0, slope, Tol.TAYLOR_SLOPE);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 16, 40, 1000})
  void adjointDotProductTest(int n) {
    Lorenz96 m = new Lorenz96(n, 8.0);
    RandomStream r = Vectors.rng(20 + n);
    double[] x = Vectors.gaussian(r, n, 2.0, 3.0);
    double[] dx = Vectors.gaussian(r, n);
    double[] af = Vectors.gaussian(r, n);
    double[] df = new double[n];
    double[] ax = Vectors.nans(n);
    m.tendencyTangent(x, 0, dx, df);
    m.tendencyAdjoint(x, 0, af, ax);
    double mismatch = TaylorCheck.relativeMismatch(dot(df, af), dot(dx, ax));
    assertTrue(mismatch <= Tol.ADJOINT_ONE_STEP, "relative mismatch " + mismatch);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 7, 16})
  void batchTendencyIsBitIdenticalToScalar(int n) {
    Lorenz96 m = new Lorenz96(n, 8.0);
    int nb = 13;
    RandomStream r = Vectors.rng(30 + n);
    double[] batch = Vectors.gaussian(r, n * nb, 1.0, 4.0);
    double[][] rows = new double[n][nb];
    double[][] frows = new double[n][nb];
    for (int i = 0; i < n; i++) {
      System.arraycopy(batch, i * nb, rows[i], 0, nb);
      java.util.Arrays.fill(frows[i], Double.NaN);
    }
    m.tendencyBatch(rows, frows, nb);
    double[] x = new double[n];
    double[] f = new double[n];
    for (int b = 0; b < nb; b++) {
      for (int i = 0; i < n; i++) {
        x[i] = batch[i * nb + b];
      }
      m.tendency(x, 0, f);
      for (int i = 0; i < n; i++) {
        assertEquals(f[i], frows[i][b], 0.0);
      }
    }
  }
}
