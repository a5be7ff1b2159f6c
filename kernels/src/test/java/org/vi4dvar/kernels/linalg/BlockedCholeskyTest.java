package org.vi4dvar.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Cholesky#decomposeAt} factorises rows in blocks and four rows at a time, but each entry is the same
 * expression in the same order as the textbook row-by-row algorithm (Golub &amp; Van Loan 4.2.1), so the factor
 * is identical bit for bit (every Laplace and B factor of before is unchanged); and it names the first failing
 * pivot.
 */
class BlockedCholeskyTest {

  private final Random rnd = new Random(345);

  /** The textbook Cholesky–Banachiewicz order, as {@code decompose} was written before the blocking. */
  private static int textbook(int n, double[] a, double[] l) {
    for (int i = 0; i < n; i++) {
      final int oi = i * n;
      for (int j = 0; j <= i; j++) {
        final int oj = j * n;
        double s = a[oi + j];
        for (int k = 0; k < j; k++) {
          s -= l[oi + k] * l[oj + k];
        }
        if (i == j) {
          if (!(s > 0.0) || !Double.isFinite(s)) {
            return i;
          }
          l[oi + i] = Math.sqrt(s);
        } else {
          l[oi + j] = s / l[oj + j];
        }
      }
      for (int j = i + 1; j < n; j++) {
        l[oi + j] = 0.0;
      }
    }
    return -1;
  }

  private double[] spd(int n) {
    double[] g = new double[n * n];
    for (int i = 0; i < g.length; i++) {
      g[i] = rnd.nextGaussian();
    }
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = i == j ? n : 0.0;
        for (int k = 0; k < n; k++) {
          s += g[i * n + k] * g[j * n + k];
        }
        a[i * n + j] = s;
        a[j * n + i] = s;
      }
    }
    return a;
  }

  @Test
  void blockedFactorIsTheTextbookFactorBitForBit() {
    for (int n : new int[] {1, 2, 3, 4, 5, 7, 63, 64, 65, 67, 130, 200}) {
      double[] a = spd(n);
      double[] l1 = new double[n * n];
      double[] l2 = new double[n * n];
      Arrays.fill(l2, Double.NaN);
      assertEquals(-1, textbook(n, a, l1));
      assertEquals(-1, Cholesky.decomposeAt(n, a, l2));
      for (int k = 0; k < n * n; k++) {
        assertEquals(Double.doubleToLongBits(l1[k]), Double.doubleToLongBits(l2[k]), "n=" + n + " entry " + k);
      }
      double[] inPlace = a.clone();
      assertEquals(-1, Cholesky.decomposeAt(n, inPlace, inPlace));
      assertTrue(Arrays.equals(l1, inPlace), "in place, n=" + n);
    }
  }

  @Test
  void theFirstFailingPivotIsNamed() {
    for (int n : new int[] {5, 70, 140}) {
      for (int bad : new int[] {0, 3, n - 1, Math.min(n - 1, 66)}) {
        double[] a = spd(n);
        // row/col bad = 2 × row/col 0 with diagonal 4 a_00 − 1: the leading minors up to bad − 1 are those of
        // an SPD matrix, and pivot bad is −1 (for bad = 0: a_00 = −1)
        for (int j = 0; j < n; j++) {
          a[bad * n + j] = bad > 0 ? 2.0 * a[j] : 0.0;
          a[j * n + bad] = a[bad * n + j];
        }
        a[bad * n + bad] = bad > 0 ? 4.0 * a[0] - 1.0 : -1.0;
        double[] l = new double[n * n];
        int expected = textbook(n, a, new double[n * n]);
        assertEquals(bad, expected, "the construction fails at its row");
        assertEquals(expected, Cholesky.decomposeAt(n, a, l), "n=" + n + ", bad=" + bad);
      }
    }
    double[] neg = {1, 0, 0, 0, 1, 0, 0, 0, -1};
    assertEquals(2, Cholesky.decomposeAt(3, neg, new double[9]));
    double[] nan = {1, 0, 0, Double.NaN};
    assertEquals(1, Cholesky.decomposeAt(2, nan, new double[4]));
    NotPositiveDefiniteException e = new NotPositiveDefiniteException("B", 12, 16);
    assertEquals(12, e.pivot());
    assertTrue(e.getMessage().contains("pivot 12"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Cholesky.decomposeAt(3, new double[4], new double[9]));
  }
}
