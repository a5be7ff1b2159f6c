package org.vi4dvar.kernels.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

class RandomStreamTest {

  @Test
  void sameKeySameNumbersWhicheverThreadDrawsThem() throws Exception {
    double[] here = draw(7, Domain.ABC_BLOCK, 123);
    ExecutorService ex = Executors.newFixedThreadPool(2);
    try {
      Future<double[]> there = ex.submit(() -> draw(7, Domain.ABC_BLOCK, 123));
      double[] other = there.get();
      for (int i = 0; i < here.length; i++) {
        assertEquals(Double.doubleToLongBits(here[i]), Double.doubleToLongBits(other[i]));
      }
    } finally {
      ex.shutdown();
    }
  }

  @Test
  void seedDomainAndIndexEachChangeTheStream() {
    double a = draw(7, Domain.ABC_BLOCK, 1)[0];
    assertNotEquals(a, draw(8, Domain.ABC_BLOCK, 1)[0]);
    assertNotEquals(a, draw(7, Domain.ENSEMBLE_MEMBER, 1)[0]);
    assertNotEquals(a, draw(7, Domain.ABC_BLOCK, 2)[0]);
  }

  /** 200,000 draws: mean 0 ± 4/√n, variance 1 ± 4√(2/n), kurtosis 3 ± 0.05; neighbouring streams uncorrelated. */
  @Test
  void gaussianMomentsAndIndependenceOfNeighbouringStreams() {
    int n = 200_000;
    RandomStream a = RandomStream.of(1, Domain.OTHER, 0);
    RandomStream b = RandomStream.of(1, Domain.OTHER, 1);
    double s1 = 0;
    double s2 = 0;
    double s4 = 0;
    double sab = 0;
    for (int i = 0; i < n; i++) {
      double x = a.nextGaussian();
      double y = b.nextGaussian();
      s1 += x;
      s2 += x * x;
      s4 += x * x * x * x;
      sab += x * y;
    }
    assertEquals(0.0, s1 / n, 4 / Math.sqrt(n));
    assertEquals(1.0, s2 / n, 4 * Math.sqrt(2.0 / n));
    assertEquals(3.0, s4 / n, 0.05);
    assertEquals(0.0, sab / n, 4 / Math.sqrt(n));
  }

  @Test
  void uniformsStayInRange() {
    RandomStream r = RandomStream.of(3, Domain.OTHER, 0);
    for (int i = 0; i < 10_000; i++) {
      double u = r.nextUniform(0.05, 0.1);
      assertTrue(u >= 0.05 && u < 0.1);
    }
  }

  private static double[] draw(long seed, Domain d, long index) {
    RandomStream r = RandomStream.of(seed, d, index);
    double[] a = new double[1000];
    r.fillGaussian(a, 0, a.length);
    return a;
  }
}
