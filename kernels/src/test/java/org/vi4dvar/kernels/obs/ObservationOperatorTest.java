package org.vi4dvar.kernels.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vi4dvar.kernels.testing.TaylorCheck.dot;
import static org.vi4dvar.kernels.testing.TaylorCheck.norm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;

class ObservationOperatorTest {

  @Test
  void poolsByAveragingBlocksThenAppliesH() {
    ObservationOperator h = new ObservationOperator(6, 3, Nonlinearity.SQUARE);
    double[] x = {1, 2, 3, -4, 0, 1};
    double[] y = Vectors.nans(2);
    h.apply(x, 0, y);
    assertEquals(4.0, y[0], 1e-15);     // mean(1,2,3)² = 4
    assertEquals(1.0, y[1], 1e-15);     // mean(-4,0,1)² = 1
    assertEquals(2, h.ny());
  }

  @Test
  void nonlinearityValuesAndParsing() {
    assertEquals(-8.0, Nonlinearity.CUBE.value(-2.0));
    assertEquals(12.0, Nonlinearity.CUBE.derivative(-2.0));
    assertEquals(Math.tanh(0.3), Nonlinearity.TANH.value(0.3));
    assertEquals(Nonlinearity.SQUARE, Nonlinearity.parse(" Square "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nonlinearity.parse("sqr"));
    assertTrue(e.getMessage().contains("sqr") && e.getMessage().contains("square"));
  }

  @Test
  void rejectsPoolingThatDoesNotDivideNx() {
    assertThrows(IllegalArgumentException.class, () -> new ObservationOperator(16, 3, Nonlinearity.IDENTITY));
    assertThrows(IllegalArgumentException.class, () -> new ObservationOperator(16, 0, Nonlinearity.IDENTITY));
  }

  @ParameterizedTest(name = "{0}, r={1}")
  @CsvSource({"identity,1", "square,1", "cube,1", "tanh,1", "square,2", "cube,4", "tanh,8"})
  void tangentTaylorSlopeIsTwo(String name, int r) {
    Nonlinearity nl = Nonlinearity.parse(name);
    int n = 16;
    ObservationOperator h = new ObservationOperator(n, r, nl);
    RandomStream rng = Vectors.rng(600 + r);
    double[] x = Vectors.gaussian(rng, n, 0.5, 1.0);
    double[] dx = Vectors.gaussian(rng, n);
    double[] y0 = new double[h.ny()];
    double[] dy = new double[h.ny()];
    double[] ye = new double[h.ny()];
    h.apply(x, 0, y0);
    h.tangent(x, 0, dx, dy);
    if (nl == Nonlinearity.IDENTITY) {
      // linear: the remainder is round-off only
      h.apply(TaylorCheck.axpy(x, 1e-3, dx), 0, ye);
      assertTrue(TaylorCheck.remainderNorm(ye, y0, 1e-3, dy) < 1e-14 * norm(y0));
      return;
    }
    double slope = TaylorCheck.slope(eps -> {
      h.apply(TaylorCheck.axpy(x, eps, dx), 0, ye);
      return TaylorCheck.remainderNorm(ye, y0, eps, dy);
    }, norm(dy), 1e-16 * norm(y0));
    assertEquals(2.0, slope, Tol.TAYLOR_SLOPE);
  }

  @ParameterizedTest(name = "{0}, r={1}")
  @CsvSource({"identity,1", "square,1", "cube,1", "tanh,1", "square,2", "cube,4", "identity,16"})
  void adjointDotProductTestMaskedAndUnmasked(String name, int r) {
    Nonlinearity nl = Nonlinearity.parse(name);
    int n = 16;
    ObservationOperator h = new ObservationOperator(n, r, nl);
    RandomStream rng = Vectors.rng(700 + r);
    double[] x = Vectors.gaussian(rng, n, 0.5, 1.0);
    double[] dx = Vectors.gaussian(rng, n);
    double[] ay = Vectors.gaussian(rng, h.ny());
    double[] dy = new double[h.ny()];
    double[] ax = new double[n];
    h.tangent(x, 0, dx, dy);
    h.adjointAdd(x, 0, ay, ax);
    assertTrue(TaylorCheck.relativeMismatch(dot(dy, ay), dot(dx, ax)) <= Tol.ADJOINT_ONE_STEP);

    boolean[] mask = new boolean[h.ny() + 3];
    for (int j = 0; j < h.ny(); j++) {
      mask[3 + j] = j % 3 != 1;
    }
    double[] ax2 = new double[n];
    h.tangentMasked(x, 0, mask, 3, dx, dy);
    h.adjointMaskedAdd(x, 0, mask, 3, ay, ax2);
    assertTrue(TaylorCheck.relativeMismatch(dot(dy, ay), dot(dx, ax2)) <= Tol.ADJOINT_ONE_STEP);
    double[] y = new double[h.ny()];
    h.applyMasked(x, 0, mask, 3, y);
    for (int j = 0; j < h.ny(); j++) {
      if (!mask[3 + j]) {
        assertEquals(0.0, y[j]);
        assertEquals(0.0, dy[j]);
      }
    }
  }
}
