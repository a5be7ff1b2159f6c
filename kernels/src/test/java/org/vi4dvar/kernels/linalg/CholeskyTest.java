package org.vi4dvar.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.testing.Tol;

class CholeskyTest {

  private final Random rnd = new Random(345);

  /** {@code G Gᵀ + n I}: SPD with condition number O(n). */
  private double[] spd(int n) {
    double[] g = new double[n * n];
    for (int i = 0; i < g.length; i++) {
      g[i] = rnd.nextGaussian();
    }
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = i == j ? n : 0.0;
        for (int k = 0; k < n; k++) {
          s += g[i * n + k] * g[j * n + k];
        }
        a[i * n + j] = s;
      }
    }
    return a;
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** The textbook column recurrences, as {@link Cholesky#inverse} computed them before it went row-wise. */
  private static void textbookInverse(int n, double[] l, double[] out) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (j > i) {
          out[i * n + j] = 0.0;
          continue;
        }
        double s = i == j ? 1.0 : 0.0;
        for (int k = j; k < i; k++) {
          s -= l[i * n + k] * out[k * n + j];
        }
        out[i * n + j] = s / l[i * n + i];
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0.0;
        for (int k = i; k < n; k++) {
          s += out[k * n + i] * out[k * n + j];
        }
        out[j * n + i] = s;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        out[i * n + j] = out[j * n + i];
      }
    }
  }

  /** The row-wise inverse (cache-friendly: nx = 4096 went from many minutes to seconds) keeps every bit. */
  @Test
  void theRowWiseInverseIsTheTextbookOneBitForBit() {
    for (int n : new int[] {1, 2, 7, 64, 131}) {
      double[] a = spd(n);
      double[] l = new double[n * n];
      assertTrue(Cholesky.decompose(n, a, l));
      double[] fast = new double[n * n];
      double[] slow = new double[n * n];
      Arrays.fill(fast, Double.NaN); // every entry is written
      Cholesky.inverse(n, l, fast);
      textbookInverse(n, l, slow);
      for (int k = 0; k < n * n; k++) {
        assertEquals(Double.doubleToRawLongBits(slow[k]), Double.doubleToRawLongBits(fast[k]), "n " + n + " at " + k);
      }
    }
  }

  @Test
  void factorReproducesTheMatrix() {
    for (int n : new int[] {1, 2, 5, 17}) {
      double[] a = spd(n);
      double[] l = new double[n * n];
      Arrays.fill(l, Double.NaN); // catches skipped entries
      assertTrue(Cholesky.decompose(n, a, l));
      double scale = maxAbs(a);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (j > i) {
            assertEquals(0.0, l[i * n + j], "upper triangle must be zero");
          }
          double s = 0;
          for (int k = 0; k < n; k++) {
            s += l[i * n + k] * l[j * n + k];
          }
          assertEquals(a[i * n + j], s, Tol.LINALG * scale);
        }
      }
    }
  }

  @Test
  void inPlaceGivesTheSameFactor() {
    int n = 7;
    double[] a = spd(n);
    double[] l = new double[n * n];
    assertTrue(Cholesky.decompose(n, a, l));
    double[] b = a.clone();
    assertTrue(Cholesky.decompose(n, b, b));
    assertTrue(Arrays.equals(l, b));
  }

  @Test
  void solveAndInverse() {
    int n = 9;
    double[] a = spd(n);
    double[] l = new double[n * n];
    assertTrue(Cholesky.decompose(n, a, l));
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextGaussian();
    }
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = Blas.dot(n, Arrays.copyOfRange(a, i * n, i * n + n), x);
    }
    Cholesky.solve(n, l, b);
    for (int i = 0; i < n; i++) {
      assertEquals(x[i], b[i], Tol.LINALG * n * Blas.normInf(n, x));
    }
    double[] inv = new double[n * n];
    Arrays.fill(inv, Double.NaN);
    Cholesky.inverse(n, l, inv);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += a[i * n + k] * inv[k * n + j];
        }
        assertEquals(i == j ? 1.0 : 0.0, s, Tol.LINALG * n);
        assertEquals(inv[i * n + j], inv[j * n + i], 0.0, "inverse must be exactly symmetric");
      }
    }
    double[] work = new double[n * n];
    double[] inv2 = new double[n * n];
    assertTrue(Cholesky.inverseSpd(n, a, work, inv2));
    assertTrue(Arrays.equals(inv, inv2));
  }

  @Test
  void triangularSolvesAgainstExplicitProducts() {
    int n = 6;
    double[] a = spd(n);
    double[] l = new double[n * n];
    assertTrue(Cholesky.decompose(n, a, l));
    double[] x = {1, -2, 3, 0.5, -0.25, 2};
    double[] lx = new double[n];
    double[] ltx = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        lx[i] += l[i * n + k] * x[k];
        ltx[i] += l[k * n + i] * x[k];
      }
    }
    Cholesky.solveLower(n, l, lx);
    Cholesky.solveLowerTranspose(n, l, ltx);
    for (int i = 0; i < n; i++) {
      assertEquals(x[i], lx[i], Tol.LINALG * n * 3);
      assertEquals(x[i], ltx[i], Tol.LINALG * n * 3);
    }
  }

  @Test
  void logDeterminantOfADiagonalMatrix() {
    int n = 4;
    double[] a = new double[n * n];
    double[] d = {2, 3, 0.5, 7};
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      a[i * n + i] = d[i];
      logDet += Math.log(d[i]);
    }
    double[] l = new double[n * n];
    assertTrue(Cholesky.decompose(n, a, l));
    assertEquals(logDet, Cholesky.logDet(n, l), Tol.LINALG);
  }

  @Test
  void notPositiveDefiniteIsReportedNotThrown() {
    double[] indefinite = {1, 2, 2, 1}; // eigenvalues 3, -1
    assertFalse(Cholesky.decompose(2, indefinite, new double[4]));
    double[] singular = {1, 1, 1, 1};
    assertFalse(Cholesky.decompose(2, singular, new double[4]));
    double[] nan = {Double.NaN, 0, 0, 1};
    assertFalse(Cholesky.decompose(2, nan, new double[4]));
    double[] out = {9, 9, 9, 9};
    assertFalse(Cholesky.inverseSpd(2, indefinite, new double[4], out));
    assertEquals(9.0, out[0]);
  }
}
