package org.vi4dvar.kernels.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

/** The normal quantile against SciPy, and the FFT autocovariance against the direct sum. */
class BuildingBlocksTest {

  /** Probabilities and {@code scipy.stats.norm.ppf} of them (reference_values.py; SciPy 1.17, Cephes ndtri). */
  static final double[] P = {1e-300, 1e-20, 1e-10, 1e-05, 0.001, 0.02425, 0.075, 0.3, 0.5, 0.6, 0.9, 0.925,
      0.975, 0.999, 0.9999999999};
  static final double[] Z = {-37.0470962993612, -9.262340089798409, -6.361340902404056, -4.264890793922825,
      -3.090232306167813, -1.972961051311885, -1.4395314709384563, -0.5244005127080409, 0.0,
      0.2533471031357997, 1.2815515655446004, 1.4395314709384563, 1.959963984540054, 3.090232306167813,
      6.361340889697422};

  /**
   * rel: AS 241 claims ~1e-16 relative accuracy and Cephes ~1e-15; 1e-14 allows both a few ulp. (At p = 1 − 1e-10
   * the input itself is rounded to 1.1e-16 absolute, which moves the quantile by ~1e-16/φ(6.36) ≈ 6e-8 relative —
   * identically for both implementations, as both see the same double.)
   */
  static final double QUANTILE = 1e-14;

  @Test
  void normalQuantileMatchesScipy() {
    for (int i = 0; i < P.length; i++) {
      double z = NormalQuantile.of(P[i]);
      assertEquals(Z[i], z, QUANTILE * Math.max(1e-300, Math.abs(Z[i])), "p = " + P[i]);
    }
    assertEquals(Double.NEGATIVE_INFINITY, NormalQuantile.of(0.0));
    assertEquals(Double.POSITIVE_INFINITY, NormalQuantile.of(1.0));
    assertTrue(Double.isNaN(NormalQuantile.of(1.5)));
    assertTrue(Double.isNaN(NormalQuantile.of(Double.NaN)));
    // symmetry Φ⁻¹(1 − p) = −Φ⁻¹(p) where 1 − p is exact
    for (double p : new double[] {0.25, 0.125, 0.0625, 0.375}) {
      assertEquals(-NormalQuantile.of(p), NormalQuantile.of(1 - p), 0.0);
    }
  }

  /**
   * rel to γ̂_0: the FFT of length M = 2^k accumulates ~u log₂M relative error per output (Higham, Accuracy and
   * Stability, §24.1); for M ≤ 2¹⁴ that is ~1e-15; 1e-12 leaves margin.
   */
  static final double FFT = 1e-12;

  @Test
  void fftAutocovarianceEqualsTheDirectSum() {
    Autocovariance ac = new Autocovariance();
    for (int len : new int[] {1, 2, 3, 7, 64, 100, 1000, 4097}) {
      RandomStream r = RandomStream.of(3, Domain.OTHER, len);
      double[] x = new double[len + 5];
      double y = 0;
      for (int i = 0; i < x.length; i++) {
        y = 0.7 * y + r.nextGaussian();
        x[i] = 2.0 + y;
      }
      double[] a = new double[len];
      double[] b = new double[len];
      double ma = ac.of(x, 5, len, a);
      double mb = Autocovariance.direct(x, 5, len, b);
      assertEquals(mb, ma, 0.0, "mean, len " + len);
      for (int t = 0; t < len; t++) {
        assertEquals(b[t], a[t], FFT * Math.max(b[0], 1e-300), "lag " + t + " of " + len);
      }
    }
  }

  @Test
  void powerOfTwo() {
    assertEquals(1, Autocovariance.powerOfTwoAtLeast(1));
    assertEquals(2, Autocovariance.powerOfTwoAtLeast(2));
    assertEquals(8, Autocovariance.powerOfTwoAtLeast(5));
    assertEquals(1024, Autocovariance.powerOfTwoAtLeast(1024));
  }
}
