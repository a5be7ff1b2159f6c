package org.vi4dvar.kernels.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.DiagonalTransform;

/**
 * {@code Sᵀ A S}, the Hessian in v from the Hessian in c: the O(n²) path for a diagonal S gives the same bits as
 * the general path (S applied to unit vectors), which is what a transform that does not say it is diagonal gets.
 */
class CongruenceTest {

  /** The same S, hiding that it is diagonal. */
  private static ControlTransform opaque(ControlTransform s) {
    return new ControlTransform() {
      @Override
      public int n() {
        return s.n();
      }

      @Override
      public double center(int i) {
        return s.center(i);
      }

      @Override
      public void apply(double[] w, double[] out) {
        s.apply(w, out);
      }

      @Override
      public void applyTranspose(double[] g, double[] out) {
        s.applyTranspose(g, out);
      }

      @Override
      public void solve(double[] d, double[] out) {
        s.solve(d, out);
      }

      @Override
      public double logDet() {
        return s.logDet();
      }

      @Override
      public double scale(int i) {
        return s.scale(i);
      }

      @Override
      public boolean diagonal() {
        return false;
      }
    };
  }

  @Test
  void theDiagonalPathIsTheGeneralOneBitForBit() {
    final int n = 37;
    RandomStream r = RandomStream.of(3, Domain.OTHER, 0);
    double[] std = new double[n];
    r.fillGaussian(std, 0, n);
    for (int i = 0; i < n; i++) {
      std[i] = 0.1 + Math.abs(std[i]);
    }
    double[] a = new double[n * n];
    r.fillGaussian(a, 0, n * n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        a[j * n + i] = a[i * n + j];
      }
    }
    DiagonalTransform s = new DiagonalTransform(new double[n], std);
    double[] fast = MapMethod.congruence(s, a, n);
    double[] general = MapMethod.congruence(opaque(s), a, n);
    assertArrayEquals(general, fast, 0.0);
    // and it is Sᵀ A S: entry (i, j) = σ_i a_ij σ_j
    assertArrayEquals(new double[] {std[2] * a[2 * n + 5] * std[5]}, new double[] {fast[2 * n + 5]}, 1e-15);
  }
}
