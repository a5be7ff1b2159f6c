package org.vi4dvar.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlasTest {

  @Test
  void levelOneOperations() {
    double[] x = {1, 2, 3, 99};
    double[] y = {4, -5, 6, 99};
    assertEquals(4 - 10 + 18, Blas.dot(3, x, y));
    Blas.axpy(3, 2.0, x, y);
    assertArrayEquals(new double[] {6, -1, 12, 99}, y);
    Blas.scal(2, -1.0, y);
    assertArrayEquals(new double[] {-6, 1, 12, 99}, y);
    double[] z = new double[4];
    Blas.copy(3, x, z);
    assertArrayEquals(new double[] {1, 2, 3, 0}, z);
    assertEquals(12.0, Blas.normInf(3, y));
  }

  @Test
  void nrm2IsExactOnPythagoreanTriplesAndSafeFromOverflow() {
    assertEquals(5.0, Blas.nrm2(2, new double[] {3, 4}));
    assertEquals(5e200, Blas.nrm2(2, new double[] {3e200, 4e200}), 1e186);
    assertEquals(5e-200, Blas.nrm2(2, new double[] {3e-200, 4e-200}), 1e-214);
    assertEquals(0.0, Blas.nrm2(3, new double[3]));
    assertTrue(Double.isNaN(Blas.nrm2(2, new double[] {1, Double.NaN})));
    assertEquals(Double.POSITIVE_INFINITY, Blas.nrm2(2, new double[] {1, Double.NEGATIVE_INFINITY}));
    assertTrue(Double.isNaN(Blas.normInf(2, new double[] {1, Double.NaN})));
    assertFalse(Blas.allFinite(2, new double[] {1, Double.POSITIVE_INFINITY}));
    assertTrue(Blas.allFinite(1, new double[] {1, Double.NaN}));
  }
}
