package org.vi4dvar.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.LocalParallel;
import org.vi4dvar.kernels.experiment.Parallel;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.var.ControlPropagator;

/**
 * The statistics computed in tasks are the same, bit for bit, for any number of tasks, threads and unit
 * sizes, and equal an independent direct computation over all draws.
 */
class TrajectoryStatisticsTest {

  private static final int[] COV_TIMES = {0, 11, 15};
  /** Relative agreement of the task covariance (Welford) with a two-pass direct one: round-off of ~S terms. */
  private static final double COV_REL = 1e-11;

  private static ExperimentInputs talk() {
    Twin t = TalkData.load();
    return new ExperimentInputs(t.problem(), t.truth(), Settings.talk().build());
  }

  private static TrajectorySummary compute(Parallel par, ExperimentInputs in, Posterior p, long draws,
      long taskMemory) {
    TrajectoryStatistics.Plan plan = new TrajectoryStatistics.Plan(in.problem().nx(), in.problem().nStates(),
        in.problem().nAssim(), p.dimension(), p.draws(draws), COV_TIMES, 10, 7, p.exactMoments() == null,
        taskMemory);
    try (Shared<ExperimentInputs> s = par.share(in); Shared<Posterior> post = par.share(p)) {
      return TrajectoryStatistics.compute(par, s, post, plan, "test");
    }
  }

  private static void assertSame(TrajectorySummary a, TrajectorySummary b) {
    assertEquals(a.used, b.used);
    assertEquals(a.nonFinite, b.nonFinite);
    assertArrayEquals(a.mean, b.mean);
    assertArrayEquals(a.std, b.std);
    for (int q = 0; q < a.quantiles.length; q++) {
      assertArrayEquals(a.quantiles[q], b.quantiles[q]);
    }
    for (int c = 0; c < a.covariances.length; c++) {
      assertArrayEquals(a.covariances[c], b.covariances[c]);
    }
    assertArrayEquals(a.trajectories, b.trajectories);
    assertArrayEquals(a.trajectoryDraws, b.trajectoryDraws);
    for (TrajectorySummary.Part[] p : new TrajectorySummary.Part[][] {{a.assim, b.assim}, {a.forecast, b.forecast}}) {
      assertEquals(p[0].rmse, p[1].rmse);
      assertEquals(p[0].crps, p[1].crps);
      assertEquals(p[0].coverage50, p[1].coverage50);
      assertEquals(p[0].coverage90, p[1].coverage90);
      assertArrayEquals(p[0].rankHistogram, p[1].rankHistogram);
    }
  }

  private static EmpiricalPosterior weighted(ExperimentInputs in, int m) {
    int n = in.problem().nx();
    double[] x = new double[m * n];
    double[] w = new double[m];
    RandomStream r = RandomStream.of(7, Domain.OTHER, 1);
    double[] truth = in.truthX0();
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < n; k++) {
        x[i * n + k] = truth[k] + 0.3 * r.nextGaussian();
      }
      w[i] = Math.exp(r.nextGaussian());
    }
    return new EmpiricalPosterior(n, x, w, Diagnostics.none());
  }

  @Test
  void anyPartitioningGivesTheSameBits() {
    ExperimentInputs in = talk();
    Posterior g = GaussianPosterior.prior(in.problem().background(), 3, 9);
    Posterior e = weighted(in, 150);
    for (Posterior p : new Posterior[] {g, e}) {
      TrajectorySummary ref = compute(LocalParallel.sequential(), in, p, 300, 128L << 20);
      // 40 kB per task: units of one or two points, dozens of tasks
      assertSame(ref, compute(LocalParallel.sequential(), in, p, 300, 40_000));
      assertSame(ref, compute(LocalParallel.sequential().withTasks(3), in, p, 300, 128L << 20));
      assertSame(ref, compute(LocalParallel.threads(2).withTasks(7), in, p, 300, 40_000));
      assertSame(ref, compute(LocalParallel.threads(2), in, p, 300, 128L << 20));
    }
  }

  @Test
  void equalsADirectComputation() {
    ExperimentInputs in = talk();
    for (Posterior p : new Posterior[] {GaussianPosterior.prior(in.problem().background(), 3, 9),
        weighted(in, 150)}) {
      final int s = (int) p.draws(250);
      TrajectorySummary got = compute(LocalParallel.threads(2).withTasks(5), in, p, 250, 60_000);
      ControlPropagator prop = in.problem().newPropagator();
      int dim = prop.trajectorySize();
      int nx = in.problem().nx();
      double[][] traj = new double[s][dim];
      double[] w = new double[s];
      Posterior.Sampler smp = p.sampler();
      double[] c = new double[nx];
      for (int i = 0; i < s; i++) {
        w[i] = smp.draw(i, c);
        assertTrue(prop.trajectory(c, traj[i]));
      }
      double[] truth = in.truth();
      double se = 0;
      double crps = 0;
      int in90 = 0;
      int points = in.problem().nAssim() * nx;
      for (int k = 0; k < dim; k++) {
        // naive weighted moments, O(m²) CRPS by its definition, type-7 quantiles for equal weights
        double sw = 0;
        double sx = 0;
        double sw2 = 0;
        for (int i = 0; i < s; i++) {
          sw += w[i];
          sw2 += w[i] * w[i];
          sx += w[i] * traj[i][k];
        }
        double mean = sx / sw;
        double ss = 0;
        for (int i = 0; i < s; i++) {
          ss += w[i] * (traj[i][k] - mean) * (traj[i][k] - mean);
        }
        double sd = Math.sqrt(ss / (sw - sw2 / sw));
        assertEquals(mean, got.mean[k], 1e-12 * (1 + Math.abs(mean)), "mean at " + k);
        assertEquals(sd, got.std[k], 1e-10 * sd, "std at " + k);
        if (!p.weighted()) {
          double[] col = new double[s];
          for (int i = 0; i < s; i++) {
            col[i] = traj[i][k];
          }
          Arrays.sort(col);
          for (int q = 0; q < TrajectoryStatistics.PROBS.length; q++) {
            double h = (s - 1) * TrajectoryStatistics.PROBS[q];
            int lo = (int) Math.floor(h);
            double want = lo >= s - 1 ? col[s - 1] : col[lo] + (h - lo) * (col[lo + 1] - col[lo]);
            assertEquals(want, got.quantiles[q][k], 1e-12 * (1 + Math.abs(want)));
          }
        }
        if (k < points) {
          double y = truth[k];
          double abs = 0;
          double pair = 0;
          for (int i = 0; i < s; i++) {
            abs += w[i] * Math.abs(traj[i][k] - y);
            for (int j = 0; j < s; j++) {
              pair += w[i] * w[j] * Math.abs(traj[i][k] - traj[j][k]);
            }
          }
          crps += abs / sw - 0.5 * pair / (sw * sw);
          se += (mean - y) * (mean - y);
          double q05 = got.quantiles[0][k];
          double q95 = got.quantiles[4][k];
          in90 += y >= q05 && y <= q95 ? 1 : 0;
        }
      }
      assertEquals(Math.sqrt(se / points), got.assim.rmse, 1e-12);
      assertEquals(crps / points, got.assim.crps, 1e-10);
      assertEquals((double) in90 / points, got.assim.coverage90, 0.0);
      // covariance of x_11 by two passes
      int t = 11;
      double[] mu = new double[nx];
      double sw = 0;
      double sw2 = 0;
      for (int i = 0; i < s; i++) {
        sw += w[i];
        sw2 += w[i] * w[i];
        for (int a = 0; a < nx; a++) {
          mu[a] += w[i] * traj[i][t * nx + a];
        }
      }
      for (int a = 0; a < nx; a++) {
        mu[a] /= sw;
      }
      for (int a = 0; a < nx; a++) {
        for (int b = 0; b < nx; b++) {
          double v = 0;
          for (int i = 0; i < s; i++) {
            v += w[i] * (traj[i][t * nx + a] - mu[a]) * (traj[i][t * nx + b] - mu[b]);
          }
          v /= sw - sw2 / sw;
          assertEquals(v, got.covariances[1][a * nx + b], COV_REL * (1 + Math.abs(v)), "cov " + a + "," + b);
        }
      }
      // the first trajectories are the first draws
      assertArrayEquals(Arrays.copyOf(traj[0], dim), Arrays.copyOf(got.trajectories, dim));
      long bins = 0;
      for (long b : got.assim.rankHistogram) {
        bins += b;
      }
      assertEquals(points, bins);
    }
  }

  @Test
  void covariancesOfAWindowOfPointsAreTheFullOnesBlock() {
    ExperimentInputs in = talk();
    Posterior p = weighted(in, 120);
    TrajectorySummary full = compute(LocalParallel.sequential(), in, p, 120, 40_000);
    TrajectoryStatistics.Plan plan = new TrajectoryStatistics.Plan(16, 16, 12, 16, 120, COV_TIMES, 5, 10, 7, false,
        40_000);
    TrajectorySummary win;
    try (Shared<ExperimentInputs> s = Shared.of(in); Shared<Posterior> post = Shared.of(p)) {
      win = TrajectoryStatistics.compute(LocalParallel.threads(2).withTasks(4), s, post, plan, "test");
    }
    assertEquals(5, win.covPoints);
    for (int c = 0; c < COV_TIMES.length; c++) {
      assertEquals(25, win.covariances[c].length);
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) {
          assertEquals(full.covariances[c][i * 16 + j], win.covariances[c][i * 5 + j], "cov " + i + "," + j);
        }
      }
    }
    assertArrayEquals(full.mean, win.mean);
  }

  @Test
  void nonFiniteTrajectoriesAreExcludedEverywhere() {
    ExperimentInputs in = talk();
    int n = in.problem().nx();
    double[] x = new double[4 * n];
    Arrays.fill(x, 0, n, 1.0);
    for (int k = 0; k < n; k++) {
      x[n + k] = (k % 3 == 0 ? 1 : -1) * 1e150; // overflows in the model
    }
    Arrays.fill(x, 2 * n, 3 * n, 2.0);
    Arrays.fill(x, 3 * n, 4 * n, 3.0);
    EmpiricalPosterior p = new EmpiricalPosterior(n, x, null, Diagnostics.none());
    TrajectorySummary got = compute(LocalParallel.threads(2).withTasks(3), in, p, 4, 40_000);
    assertEquals(3, got.used);
    assertEquals(1, got.nonFinite);
    for (double v : got.mean) {
      assertTrue(Double.isFinite(v));
    }
    assertEquals(2.0, got.mean[0], 1e-15);
    assertArrayEquals(new long[] {0, 2, 3}, got.trajectoryDraws);
  }
}
