package org.vi4dvar.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PosteriorSummaryTest {

  /** Three trajectories of 2 states × 2 components, checked against hand-computed values. */
  @Test
  void meanStdQuantilesAndCovarianceByHand() {
    double[] traj = {
        1, 10, 2, 20,
        2, 20, 4, 40,
        3, 60, 6, 60};
    PosteriorSummary s = PosteriorSummary.of(traj, 3, 2, 2, 1, new int[] {1}, null);
    assertEquals(2.0, s.mean[0], 1e-15);
    assertEquals(30.0, s.mean[1], 1e-15);
    assertEquals(1.0, s.std[0], 1e-15);                      // sd of 1,2,3
    assertEquals(Math.sqrt(700), s.std[1], 1e-12);          // sd of 10,20,60: var = (400+100+900)/2
    int dim = 4;
    assertEquals(2.0, s.quantiles[2 * dim], 0.0);            // median of x_{0,0}
    assertEquals(1.1, s.quantiles[0], 1e-15);                // 5 %: 1 + 0.1·(2−1)
    // cov of x_1 = (2,20),(4,40),(6,60): var 4, 400, cov 40
    double[] c = s.covariances[0];
    assertEquals(4.0, c[0], 1e-12);
    assertEquals(40.0, c[1], 1e-12);
    assertEquals(40.0, c[2], 1e-12);
    assertEquals(400.0, c[3], 1e-12);
    assertNull(s.scores);
    // spread: state 0 has std (1, √700), state 1 (2, 20): assimilated = state 0
    assertEquals((1 + Math.sqrt(700)) / 2, s.spreadAssim, 1e-12);
    assertEquals((2 + 20) / 2.0, s.spreadForecast, 1e-12);
  }

  @Test
  void scoresWhenTheTruthIsKnown() {
    double[] traj = {0, 0, 2, 2, 2, 2, 4, 4};
    PosteriorSummary s = PosteriorSummary.of(traj, 2, 2, 2, 1, new int[0], new double[] {1, 1, 3, 3});
    assertNotNull(s.scores);
    assertEquals(0.0, s.scores.assim.rmse, 1e-15);
    assertEquals(0.0, s.scores.forecast.rmse, 1e-15);
    assertEquals(Math.sqrt(2), s.scores.assim.spread, 1e-15);
  }
}
