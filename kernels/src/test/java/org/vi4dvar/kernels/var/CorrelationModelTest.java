package org.vi4dvar.kernels.var;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.linalg.NotPositiveDefiniteException;

/**
 * The correlation models of the chordal distance are positive definite on the periodic grid (their Cholesky
 * factorisation succeeds with every pivot &gt; 0: all leading minors are positive, so by Sylvester's criterion
 * the smallest eigenvalue is &gt; 0); the Gaussian of the periodic grid distance is not (the counter-example
 * of math-2.md), and the Gaussian of long length is singular to round-off (the documented limit).
 */
class CorrelationModelTest {

  /** The smallest Cholesky pivot L_jj², or NaN if the factorisation fails. */
  static double minPivot(double[] c, int n) {
    double[] l = new double[n * n];
    if (Cholesky.decomposeAt(n, c, l) >= 0) {
      return Double.NaN;
    }
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      m = Math.min(m, l[i * n + i] * l[i * n + i]);
    }
    return m;
  }

  @Test
  void soarIsPositiveDefiniteAtEveryGridSizeAndLength() {
    for (int n : new int[] {4, 5, 8, 16, 40, 64, 256, 1024}) {
      for (double len : new double[] {0.5, 1, 2, 4, 8, 16}) {
        double p = minPivot(CorrelationModel.SOAR.matrix(n, len), n);
        assertTrue(p > 0, "SOAR n=" + n + " L=" + len + ": min pivot " + p);
      }
    }
  }

  @Test
  void gaussianOfTheChordalDistanceIsPositiveDefiniteWhereItIsNumericallyNonSingular() {
    for (int n : new int[] {4, 5, 8, 16, 40, 64, 256, 1024}) {
      for (double len : new double[] {0.5, 1, 2}) {
        double p = minPivot(CorrelationModel.GAUSSIAN.matrix(n, len), n);
        assertTrue(p > 0, "Gaussian n=" + n + " L=" + len + ": min pivot " + p);
      }
    }
  }

  /**
   * Documentation test (math-2.md): a Gaussian of the periodic grid distance {@code min(|i−j|, n−|i−j|)} is not
   * positive definite, while the chordal one at the same (n, L) is.
   */
  @ParameterizedTest(name = "n={0}, L={1}")
  @CsvSource({"4, 1", "8, 2", "16, 2", "16, 4", "40, 8"})
  void gaussianOfTheGridDistanceIsNotPositiveDefinite(int n, double len) {
    double[] grid = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int d = Math.abs(i - j);
        d = Math.min(d, n - d);
        grid[i * n + j] = Math.exp(-d * d / (2 * len * len));
      }
    }
    assertTrue(Cholesky.decomposeAt(n, grid, new double[n * n]) >= 0, "grid-distance Gaussian must fail");
    if (len <= 2) {
      assertTrue(minPivot(CorrelationModel.GAUSSIAN.matrix(n, len), n) > 0, "the chordal one is fine");
    }
    assertTrue(minPivot(CorrelationModel.SOAR.matrix(n, len), n) > 0, "SOAR is fine");
  }

  /** Documentation test of the limit: the Gaussian of length 8 on 64 points is singular to round-off. */
  @Test
  void longGaussianFailsNamingItsPivot() {
    double[] std = new double[64];
    java.util.Arrays.fill(std, 1.0);
    NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
        () -> DenseTransform.correlated(new double[64], std, CorrelationModel.GAUSSIAN, 8.0));
    assertTrue(e.pivot() > 0 && e.pivot() < 64, "pivot " + e.pivot());
    assertTrue(e.getMessage().contains("gaussian correlation matrix (length 8.0, n 64)")
        && e.getMessage().contains("pivot " + e.pivot()), e.getMessage());
  }

  @Test
  void chordalDistanceAndMatrixShape() {
    int n = 16;
    assertEquals(0.0, CorrelationModel.chordalDistance(3, 3, n), 0.0);
    assertEquals(n / Math.PI, CorrelationModel.chordalDistance(0, n / 2, n), 1e-14);
    assertEquals(CorrelationModel.chordalDistance(1, 15, n), CorrelationModel.chordalDistance(0, 2, n), 1e-14);
    assertEquals(1.0, CorrelationModel.chordalDistance(0, 1, 1024), 2e-6, "≈ grid distance for |i−j| ≪ n");
    for (CorrelationModel m : CorrelationModel.values()) {
      double[] c = m.matrix(n, 2.0);
      for (int i = 0; i < n; i++) {
        assertEquals(1.0, c[i * n + i], 0.0);
        for (int j = 0; j < n; j++) {
          assertEquals(c[i * n + j], c[j * n + i], 0.0);
          assertEquals(c[i * n + j], c[((i + 5) % n) * n + (j + 5) % n], 1e-15, "circulant");
          assertTrue(c[i * n + j] >= 0 && c[i * n + j] <= 1);
        }
      }
      assertEquals(m, CorrelationModel.parse(m.configName()));
    }
    assertEquals(Math.exp(-0.5), CorrelationModel.GAUSSIAN.correlation(2.0, 2.0), 1e-16);
    assertEquals(2 * Math.exp(-1), CorrelationModel.SOAR.correlation(2.0, 2.0), 1e-16);
    assertThrows(IllegalArgumentException.class, () -> CorrelationModel.parse("exponential"));
    assertThrows(IllegalArgumentException.class, () -> CorrelationModel.SOAR.matrix(8, 0.0));
    assertThrows(IllegalArgumentException.class, () -> CorrelationModel.GAUSSIAN.matrix(8, -1));
    assertThrows(IllegalArgumentException.class, () -> CorrelationModel.SOAR.matrix(8, Double.NaN));
  }
}
