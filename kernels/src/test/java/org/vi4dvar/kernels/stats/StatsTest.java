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
  void momentsMatchATwoPassComputation() {
    int n = 5000;
    int nx = 3;
    int ns = 2;
    double[] x = draws(n, nx * ns, 1);
    TrajectoryStats st = new TrajectoryStats(nx, ns, new int[] {1, 0});
    st.addAll(x, n);
    int d = nx * ns;
    double[] mean = new double[d];
    for (int s = 0; s < n; s++) {
      for (int k = 0; k < d; k++) {
        mean[k] += x[s * d + k] / n;
      }
    }
    double[] var = new double[d];
    double[] cov1 = new double[nx * nx];
    for (int s = 0; s < n; s++) {
      for (int k = 0; k < d; k++) {
        var[k] += Math.pow(x[s * d + k] - mean[k], 2) / (n - 1);
      }
      for (int i = 0; i < nx; i++) {
        for (int j = 0; j < nx; j++) {
          cov1[i * nx + j] += (x[s * d + nx + i] - mean[nx + i]) * (x[s * d + nx + j] - mean[nx + j]) / (n - 1);
        }
      }
    }
    assertEquals(n, st.count());
    for (int k = 0; k < d; k++) {
      assertEquals(mean[k], st.mean()[k], Tol.RUNNING_STATS * Math.abs(mean[k]));
      assertEquals(var[k], st.variance()[k], Tol.RUNNING_STATS * var[k]);
    }
    double[] c = st.covariance(0); // covTimes()[0] = t 1
    for (int k = 0; k < nx * nx; k++) {
      assertEquals(cov1[k], c[k], Tol.RUNNING_STATS * 10);
    }
    for (int k = 0; k < nx; k++) {
      assertEquals(st.variance()[nx + k], c[k * nx + k], Tol.RUNNING_STATS * c[k * nx + k]);
      assertEquals(st.variance()[k], st.covariance(1)[k * nx + k], Tol.RUNNING_STATS * st.variance()[k]);
    }
  }

  @Test
  void chanMergeAgreesWithOnePassAndFoldInOrderIsBitReproducible() {
    int n = 3000;
    int chunk = 250;
    double[] x = draws(n, 8, 2);
    TrajectoryStats whole = new TrajectoryStats(4, 2, new int[] {0, 1});
    whole.addAll(x, n);
    TrajectoryStats[] parts = new TrajectoryStats[n / chunk];
    // chunks computed in reverse order (as if by other tasks), folded by index
    for (int p = parts.length - 1; p >= 0; p--) {
      parts[p] = new TrajectoryStats(4, 2, new int[] {0, 1});
      parts[p].addAll(Arrays.copyOfRange(x, p * chunk * 8, (p + 1) * chunk * 8), chunk);
    }
    TrajectoryStats f1 = TrajectoryStats.foldInOrder(parts);
    TrajectoryStats[] copy = parts.clone();
    TrajectoryStats f2 = TrajectoryStats.foldInOrder(copy);
    assertArrayEquals(f1.mean(), f2.mean(), 0.0);
    assertArrayEquals(f1.variance(), f2.variance(), 0.0);
    assertArrayEquals(f1.covariance(1), f2.covariance(1), 0.0);
    for (int k = 0; k < 8; k++) {
      assertEquals(whole.mean()[k], f1.mean()[k], Tol.RUNNING_STATS * Math.abs(whole.mean()[k]));
      assertEquals(whole.variance()[k], f1.variance()[k], Tol.RUNNING_STATS * whole.variance()[k]);
    }
    for (int k = 0; k < 16; k++) {
      assertEquals(whole.covariance(1)[k], f1.covariance(1)[k], Tol.RUNNING_STATS * 10);
    }
    assertThrows(IllegalArgumentException.class, () -> f1.merge(new TrajectoryStats(4, 2, new int[] {0})));
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

  @Test
  void trajectoryMomentsOfExactPosteriorDrawsMatchTheLinearTheory() {
    // x_t = A^t x0 with x0 ~ N(m, P): mean A^t m, covariance A^t P A^tᵀ at t = nStates − 1 (a forecast time)
    LinearGaussian lg = LinearGaussian.standard();
    int n = 20000;
    int nx = 6;
    int ns = lg.problem.nStates();
    double[] l = new double[36];
    org.vi4dvar.kernels.linalg.Cholesky.decompose(nx, lg.covariance, l);
    double[] x0 = new double[n * nx];
    RandomStream r = RandomStream.of(9, Domain.OTHER, 0);
    double[] z = new double[nx];
    for (int s = 0; s < n; s++) {
      r.fillGaussian(z, 0, nx);
      for (int i = 0; i < nx; i++) {
        double v = lg.mean[i];
        for (int k = 0; k <= i; k++) {
          v += l[i * nx + k] * z[k];
        }
        x0[s * nx + i] = v;
      }
    }
    double[] trajs = new PosteriorTrajectories(lg.problem.model(), ns).propagate(x0, n);
    TrajectoryStats st = new TrajectoryStats(nx, ns, new int[] {ns - 1});
    st.addAll(trajs, n);
    double[] at = new double[36];
    for (int i = 0; i < nx; i++) {
      at[i * nx + i] = 1;
    }
    for (int t = 1; t < ns; t++) {
      double[] next = new double[36];
      for (int i = 0; i < nx; i++) {
        for (int k = 0; k < nx; k++) {
          for (int j = 0; j < nx; j++) {
            next[i * nx + j] += lg.a[i * nx + k] * at[k * nx + j];
          }
        }
      }
      at = next;
    }
    double[] mT = new double[nx];
    double[] pT = new double[36];
    for (int i = 0; i < nx; i++) {
      for (int k = 0; k < nx; k++) {
        mT[i] += at[i * nx + k] * lg.mean[k];
      }
    }
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < nx; j++) {
        double s = 0;
        for (int k = 0; k < nx; k++) {
          for (int q = 0; q < nx; q++) {
            s += at[i * nx + k] * lg.covariance[k * nx + q] * at[j * nx + q];
          }
        }
        pT[i * nx + j] = s;
      }
    }
    double[] mean = Arrays.copyOfRange(st.mean(), (ns - 1) * nx, ns * nx);
    double[] cov = st.covariance(0);
    for (int i = 0; i < nx; i++) {
      assertTrue(Math.abs(mean[i] - mT[i]) <= Tol.MC_SIGMAS * Math.sqrt(pT[i * nx + i] / n));
      for (int j = 0; j < nx; j++) {
        double sd = Math.sqrt((pT[i * nx + i] * pT[j * nx + j] + pT[i * nx + j] * pT[i * nx + j]) / (n - 1));
        assertTrue(Math.abs(cov[i * nx + j] - pT[i * nx + j]) <= Tol.MC_SIGMAS * sd);
      }
    }
  }
}
