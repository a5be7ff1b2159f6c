package org.vi4dvar.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.ensemble.EnsembleConfig;
import org.vi4dvar.kernels.ensemble.EnsembleMember;
import org.vi4dvar.kernels.ensemble.EnsembleResult;
import org.vi4dvar.kernels.linalg.Blas;
import org.vi4dvar.kernels.map.LaplaceConfig;
import org.vi4dvar.kernels.map.LaplaceResult;
import org.vi4dvar.kernels.map.MapLaplace;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.stats.PosteriorTrajectories;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Every estimator on the talk's dataset: its posterior mean beats the background over the assimilation window
 * (RMSE of the mean trajectory against the truth, 12 states × 16 points), and nothing returns NaN.
 *
 * <p>What was found: J has many local minima. L-BFGS in x0 from the background stops, converged, at J ≈ 1287;
 * in the whitened variable v (the default since issue 12) it follows a slow curved valley to J ≈ 1133 (the
 * dataset README's value with another minimiser) and needs ~2000 iterations to converge there, so the default
 * 1000 stop it just above; either trajectory is <em>worse</em> than the background (RMSE 4.0 vs 3.25). The lowest-J trials of ABC (100 000 prior draws, keep 100 by the observation misfit) all
 * lie in the right basin: every one of the 10 lowest-J kept trials leads L-BFGS to the same minimum, J ≈ 40.0
 * (below J(truth) ≈ 49.1, as a MAP should be), RMSE ≈ 0.29. So the estimators cooperate as issue 4 plans: ABC
 * explores, its best trial starts MAP and the ensemble. Ensemble members started from their perturbed
 * backgrounds get trapped in various minima (J up to ~1500) but their mean still beats the background (RMSE
 * 1.2); started from the best ABC trial they reach J ≈ 43–59 and RMSE 0.29. VI
 * (the engine, from the cascade's starts) is checked on the same data by {@code vi/TalkViTest}.
 */
class TalkEstimatorsTest {

  private static Twin tw;
  private static FourDVarProblem p;
  private static double bgRmse;
  private static double truthCost;
  private static AbcResult abc;
  private static double[] bestAbc;

  @BeforeAll
  static void setUp() {
    tw = TalkData.load();
    p = tw.problem();
    bgRmse = rmseOfMean(p.xb(), 1);
    truthCost = new FourDVarCost(p).cost(Arrays.copyOf(tw.truth(), 16));
    AbcConfig c = AbcConfig.of(1, 100_000, 100);
    abc = new AbcSampler(p, c).runBlocks(new long[] {0, 1}, null);
    bestAbc = abc.keptX(abc.keptByCost()[0]);
  }

  /** RMSE over the assimilation window of the mean trajectory of {@code n} x0 samples. */
  private static double rmseOfMean(double[] x0s, int n) {
    double[] traj = new PosteriorTrajectories(p.model(), p.nStates()).propagate(x0s, n);
    int len = p.nAssim() * 16;
    double[] m = new double[len];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < len; k++) {
        m[k] += traj[i * p.nStates() * 16 + k] / n;
      }
    }
    double s = 0;
    for (int k = 0; k < len; k++) {
      s += (m[k] - tw.truth()[k]) * (m[k] - tw.truth()[k]);
    }
    return Math.sqrt(s / len);
  }

  @Test
  void backgroundIsThePointToBeat() {
    assertEquals(3.25, bgRmse, 0.01);
    assertEquals(49.13, truthCost, 0.05);
  }

  @Test
  void abcKeptMeanBeatsTheBackground() {
    assertEquals(100, abc.kept());
    double r = rmseOfMean(abc.topX, abc.kept());
    assertTrue(r < bgRmse, "ABC mean RMSE " + r);
  }

  @Test
  void mapFromTheBackgroundIsTrappedButFromTheBestAbcTrialItFindsThePosteriorBasin() {
    MapLaplace ml = new MapLaplace(p, LaplaceConfig.defaults());
    LaplaceResult fromBg = ml.runFromBackground();
    assertTrue(Blas.allFinite(16, fromBg.x0) && Double.isFinite(fromBg.cost), fromBg::toString);
    assertTrue(fromBg.cost > 10 * truthCost, "a local minimum far above J(truth): " + fromBg.cost);

    LaplaceResult map = ml.run(bestAbc);
    assertTrue(map.converged() && map.positiveDefinite, map::toString);
    assertTrue(map.cost < truthCost, "the MAP has J below the truth's: " + map.cost);
    double r = rmseOfMean(map.x0, 1);
    assertTrue(r < bgRmse, "MAP RMSE " + r);
    // Laplace posterior mean (of its samples) beats the background too
    double[] s = map.samples(RandomStream.of(1, Domain.POSTERIOR_SAMPLE, 0), 500);
    assertTrue(rmseOfMean(s, 500) < bgRmse);
  }

  @Test
  void multiStartMinimiserNeverReturnsNaN() {
    MapLaplace ml = new MapLaplace(p, LaplaceConfig.defaults());
    for (int k = 0; k < 20; k++) {
      double[] start = MapLaplace.jitteredStart(p, p.xb(), 3.0, 1, k); // wide prior draws
      LaplaceResult r = ml.run(start);
      assertTrue(Blas.allFinite(16, r.x0) && Double.isFinite(r.cost), r::toString);
      assertTrue(r.cost <= new FourDVarCost(p).cost(start));
    }
  }

  @Test
  void ensembleMeanBeatsTheBackgroundFromEitherStart() {
    EnsembleMember em = new EnsembleMember(p, EnsembleConfig.of(1));
    for (boolean fromBest : new boolean[] {false, true}) {
      double[] x = new double[100 * 16];
      for (int k = 0; k < 100; k++) {
        EnsembleResult r = em.run(k, fromBest ? bestAbc : null);
        assertTrue(Blas.allFinite(16, r.x0), r::toString);
        assertFalse(r.diverged());
        System.arraycopy(r.x0, 0, x, 16 * k, 16);
      }
      double rm = rmseOfMean(x, 100);
      assertTrue(rm < bgRmse, "ensemble (from " + (fromBest ? "best ABC" : "background") + ") RMSE " + rm);
    }
  }
}
