package org.vi4dvar.kernels.testing;

import org.vi4dvar.kernels.rng.RandomStream;

/** Seeded random test vectors. */
public final class Vectors {

  private Vectors() {
  }

  /** A reproducible stream for test {@code id}. */
  public static RandomStream rng(long id) {
    return RandomStream.of(345, RandomStream.Domain.OTHER, id);
  }

  /** {@code n} standard normal values. */
  public static double[] gaussian(RandomStream r, int n) {
    double[] a = new double[n];
    r.fillGaussian(a, 0, n);
    return a;
  }

  /** {@code n} values {@code mean + std z}. */
  public static double[] gaussian(RandomStream r, int n, double mean, double std) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = mean + std * r.nextGaussian();
    }
    return a;
  }

  /** An array of {@code n} NaN (to catch routines that skip elements). */
  public static double[] nans(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, Double.NaN);
    return a;
  }
}
