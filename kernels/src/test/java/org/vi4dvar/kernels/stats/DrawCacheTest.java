package org.vi4dvar.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.var.DiagonalTransform;

/** The shared draws are the posterior's own draws, bit for bit, whoever asks first and however many ask at once. */
class DrawCacheTest {

  private static void assertSameDraws(Posterior.Sampler a, Posterior.Sampler b, int count, int n) {
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < count + 3; i++) { // past the cached ones too
      assertEquals(Double.doubleToRawLongBits(a.draw(i, x)), Double.doubleToRawLongBits(b.draw(i, y)));
      for (int k = 0; k < n; k++) {
        assertEquals(Double.doubleToRawLongBits(x[k]), Double.doubleToRawLongBits(y[k]), "draw " + i + " at " + k);
      }
    }
  }

  @Test
  void cachedDrawsAreTheOwnDrawsFromEveryThread() throws Exception {
    LinearGaussian lg = LinearGaussian.standard();
    int n = lg.mean.length;
    double[] l = new double[n * n];
    Cholesky.decompose(n, lg.precision, l);
    GaussianPosterior post = new GaussianPosterior(lg.mean, new DiagonalTransform(new double[n], onesOf(n)),
        GaussianPosterior.Factor.PRECISION, l, 7, 2, null);
    final int count = 500;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Posterior.Sampler>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        fs.add(pool.submit(() -> DrawCache.sampler(post, count)));
      }
      for (Future<Posterior.Sampler> f : fs) {
        assertSameDraws(post.sampler(), f.get(), count, n);
      }
    } finally {
      pool.shutdownNow();
    }
    // another posterior replaces it, and asking again for the first gives its draws again
    GaussianPosterior other = new GaussianPosterior(lg.mean, new DiagonalTransform(new double[n], onesOf(n)),
        GaussianPosterior.Factor.PRECISION, l, 8, 2, null);
    assertSameDraws(other.sampler(), DrawCache.sampler(other, count), count, n);
    assertSameDraws(post.sampler(), DrawCache.sampler(post, count), count, n);
  }

  private static double[] onesOf(int n) {
    double[] o = new double[n];
    java.util.Arrays.fill(o, 1.0);
    return o;
  }
}
