package org.vi4dvar.kernels.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.rng.core.source64.LongProvider;
import org.apache.commons.rng.core.source64.XoShiRo256PlusPlus;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
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

  /**
   * The buffered generator with the inlined ziggurat gives Commons RNG's numbers bit for bit: the same Gaussians
   * (fillGaussian in odd-sized pieces, across refills and ≈ 1.2 % slow-path draws, and nextGaussian), uniforms,
   * ints and longs, interleaved, on many streams.
   */
  @Test
  void sameNumbersAsCommonsXoShiRo256PlusPlusAndZiggurat() {
    long slow = 0;
    for (long index = 0; index < 40; index++) {
      long[] state = RandomStream.state(11, Domain.values()[(int) (index % Domain.values().length)], index);
      XoShiRo256PlusPlus ref = new XoShiRo256PlusPlus(state.clone());
      long[] outputs = new long[1];
      LongProvider counting = new LongProvider() {  // counts the outputs each Commons sample consumes
        @Override
        public long next() {
          outputs[0]++;
          return ref.nextLong();
        }
      };
      NormalizedGaussianSampler refGauss = ZigguratSampler.NormalizedGaussian.of(counting);
      RandomStream r = RandomStream.of(11, Domain.values()[(int) (index % Domain.values().length)], index);
      double[] a = new double[257];
      for (int round = 0; round < 200; round++) {
        int len = 1 + (round * 37 + (int) index) % 257;
        r.fillGaussian(a, 0, len);
        for (int i = 0; i < len; i++) {
          long before = outputs[0];
          double e = refGauss.sample();
          assertEquals(Double.doubleToLongBits(e), Double.doubleToLongBits(a[i]), "stream " + index);
          if (outputs[0] - before > 1) {
            slow++;                            // a slow-path draw that went on reading the stream
          }
        }
        switch (round % 4) {
          case 0:
            assertEquals(Double.doubleToLongBits(ref.nextDouble()), Double.doubleToLongBits(r.nextDouble()));
            break;
          case 1:
            assertEquals(ref.nextInt(1000), r.nextInt(1000));
            assertEquals(ref.nextInt(7), r.nextInt(7));
            break;
          case 2:
            assertEquals(ref.nextLong(), r.nextLong());
            break;
          default:
            assertEquals(Double.doubleToLongBits(refGauss.sample()), Double.doubleToLongBits(r.nextGaussian()));
            break;
        }
      }
    }
    assertTrue(slow > 5_000, "too few slow-path draws (≈ 1.2 % of ~10⁶): " + slow);
  }

  /** fillGaussianColumns is fillGaussian transposed: the same numbers, vector t into column t. */
  @Test
  void columnsAreTheSameDrawsTransposed() {
    for (long index = 0; index < 20; index++) {
      RandomStream a = RandomStream.of(3, Domain.ABC_BLOCK, index);
      RandomStream b = RandomStream.of(3, Domain.ABC_BLOCK, index);
      for (int round = 0; round < 30; round++) {
        int n = 1 + (round % 17);
        int nb = 1 + (round * 13 + (int) index) % 300;
        double[] flat = new double[n * nb];
        a.fillGaussian(flat, 0, flat.length);
        double[][] rows = new double[n][nb + 1];
        b.fillGaussianColumns(rows, n, nb);
        for (int t = 0; t < nb; t++) {
          for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToLongBits(flat[t * n + i]), Double.doubleToLongBits(rows[i][t]));
          }
        }
        assertEquals(Double.doubleToLongBits(a.nextGaussian()), Double.doubleToLongBits(b.nextGaussian()));
      }
    }
  }

  private static double[] draw(long seed, Domain d, long index) {
    RandomStream r = RandomStream.of(seed, d, index);
    double[] a = new double[1000];
    r.fillGaussian(a, 0, a.length);
    return a;
  }
}
