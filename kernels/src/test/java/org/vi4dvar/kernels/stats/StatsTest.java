package org.vi4dvar.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.twin.Twin;

class StatsTest {

  private static double[] draws(int n, int d, long seed) {
    double[] x = new double[n * d];
    RandomStream r = RandomStream.of(seed, Domain.OTHER, 0);
    for (int s = 0; s < n; s++) {
      for (int k = 0; k < d; k++) {
        x[s * d + k] = 3.0 + (k + 1) * r.nextGaussian() + 0.5 * x[s * d + (k == 0 ? 0 : k - 1)];
      }
    }
    return x;
  }

  @Test
  void propagationFollowsTheModel() {
    Twin tw = TalkData.load();
    PosteriorTrajectories p = new PosteriorTrajectories(tw.problem().model(), 16);
    double[] x0 = new double[32];
    System.arraycopy(tw.truth(), 0, x0, 0, 16);
    System.arraycopy(tw.problem().xb(), 0, x0, 16, 16);
    double[] out = p.propagate(x0, 2);
    Model m = tw.problem().model().newModel();
    double[] ref = new double[256];
    m.trajectory(tw.problem().xb(), 16, ref);
    assertArrayEquals(ref, Arrays.copyOfRange(out, 256, 512), 0.0);
    // the dataset's truth is float32: the propagated truth agrees to float precision
    for (int k = 0; k < 256; k++) {
      assertEquals(tw.truth()[k], out[k], 1e-3 * (1 + Math.abs(tw.truth()[k])));
    }
  }

  @Test
  void runningStatsMergeEqualsOnePass() {
    RunningStats a = new RunningStats();
    RunningStats b = new RunningStats();
    RunningStats all = new RunningStats();
    double[] x = draws(1000, 1, 3);
    for (int i = 0; i < 1000; i++) {
      (i < 400 ? a : b).add(x[i]);
      all.add(x[i]);
    }
    a.merge(b);
    assertEquals(all.count(), a.count());
    assertEquals(all.mean(), a.mean(), Tol.RUNNING_STATS * Math.abs(all.mean()));
    assertEquals(all.variance(), a.variance(), Tol.RUNNING_STATS * all.variance());
    assertEquals(all.min(), a.min(), 0.0);
    assertEquals(all.max(), a.max(), 0.0);
    RunningStats empty = new RunningStats();
    empty.merge(a);
    assertEquals(a.mean(), empty.mean(), 0.0);
  }

  @Test
  void quantilesAreTypeSeven() {
    // columns: 1..5 and 10,20,30,40,50 (5 rows)
    double[] x = new double[10];
    double[] a = {3, 1, 5, 2, 4};
    for (int s = 0; s < 5; s++) {
      x[2 * s] = a[s];
      x[2 * s + 1] = 10 * a[s];
    }
    double[] out = new double[6];
    Quantiles.of(x, 5, 2, new double[] {0.0, 0.5, 0.9}, out);
    // NumPy: quantile([1..5], 0.9) = 4.6
    assertArrayEquals(new double[] {1, 10, 3, 30, 4.6, 46}, out, 1e-12);
  }

}
