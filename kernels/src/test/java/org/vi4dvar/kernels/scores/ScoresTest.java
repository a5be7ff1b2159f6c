package org.vi4dvar.kernels.scores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.Vectors;

class ScoresTest {

  @Test
  void crpsKnownValues() {
    assertEquals(0.5625, Scores.crps(new double[] {-1.5, -1, 1, 1.5}, 0.0), 1e-15);
    assertEquals(2.0, Scores.crps(new double[] {3.0}, 1.0), 0.0);          // one member: |x − y|
    assertEquals(0.0, Scores.crps(new double[] {2.0, 2.0}, 2.0), 0.0);
  }

  /** The sorted O(m) form equals the O(m²) definition. */
  @Test
  void crpsSortedFormEqualsTheDefinition() {
    RandomStream r = Vectors.rng(1);
    double[] x = Vectors.gaussian(r, 57, 1.0, 2.0);
    double y = 0.3;
    double abs = 0;
    double pair = 0;
    for (double a : x) {
      abs += Math.abs(a - y);
      for (double b : x) {
        pair += Math.abs(a - b);
      }
    }
    double m = x.length;
    assertEquals(abs / m - pair / (2 * m * m), Scores.crps(x, y), 1e-13);
  }

  /**
   * For a Gaussian N(0, σ²) forecast the CRPS of y is σ [z(2Φ(z) − 1) + 2φ(z) − 1/√π], z = y/σ (Gneiting &amp;
   * Raftery 2007); a 20,000-member ensemble matches it to ~1e-2 relative (sampling error ~σ/√m).
   */
  @Test
  void crpsOfALargeGaussianEnsembleMatchesTheClosedForm() {
    double sigma = 2.0;
    double y = 1.3;
    double[] x = Vectors.gaussian(Vectors.rng(2), 20_000, 0.0, sigma);
    double z = y / sigma;
    double phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    double cdf = 0.5 * (1 + erf(z / Math.sqrt(2)));
    double exact = sigma * (z * (2 * cdf - 1) + 2 * phi - 1 / Math.sqrt(Math.PI));
    assertEquals(exact, Scores.crps(x, y), 0.02 * exact);
  }

  @Test
  void quantilesRanksAndCoverage() {
    double[] s = {1, 2, 3, 4, 5};
    assertEquals(3.0, Scores.quantileSorted(s, 5, 0.5));
    assertEquals(1.0, Scores.quantileSorted(s, 5, 0.0));
    assertEquals(5.0, Scores.quantileSorted(s, 5, 1.0));
    assertEquals(1.4, Scores.quantileSorted(s, 5, 0.1), 1e-15);
    assertEquals(0, Scores.rankSorted(s, 5, 0.5));
    assertEquals(5, Scores.rankSorted(s, 5, 9));
    assertEquals(2, Scores.rankSorted(s, 5, 2.5));
    assertTrue(Scores.coveredSorted(s, 5, 3.0, 0.5));
    assertFalse(Scores.coveredSorted(s, 5, 4.5, 0.5));
    assertTrue(Scores.coveredSorted(s, 5, 4.5, 0.9));
  }

  /**
   * A calibrated case: truth and 99 samples iid N(0,1) at every point → coverage ≈ 0.5 / 0.9, spread/skill
   * ≈ 1, rank histogram flat. With 4,000 points, binomial errors are ≤ 0.008 (50 %) and 0.005 (90 %); we allow
   * 4σ.
   */
  @Test
  void calibratedSamplesScoreAsCalibrated() {
    int nx = 40;
    int nStates = 100;
    int nAssim = 50;
    int m = 99;
    int dim = nx * nStates;
    RandomStream r = Vectors.rng(3);
    double[] truth = Vectors.gaussian(r, dim);
    double[] samples = Vectors.gaussian(r, m * dim);
    PosteriorScores ps = PosteriorScores.of(samples, m, truth, nx, nStates, nAssim);
    for (PosteriorScores.Part p : new PosteriorScores.Part[] {ps.assim, ps.forecast}) {
      assertEquals(2000, p.points);
      assertEquals(0.5, p.coverage50, 4 * Math.sqrt(0.25 / 2000));
      assertEquals(0.9, p.coverage90, 4 * Math.sqrt(0.09 / 2000));
      // rmse of the mean vs the truth: sqrt(1 + 1/m); spread ≈ 1 (c4 bias negligible at m = 99)
      assertEquals(Math.sqrt(1 + 1.0 / m), p.rmse, 0.05);
      assertEquals(1.0, p.spread, 0.02);
      long total = 0;
      for (long c : p.rankHistogram) {
        total += c;
      }
      assertEquals(2000, total);
      long low = 0;
      for (int k = 0; k < 50; k++) {
        low += p.rankHistogram[k];
      }
      // half of the 100 ranks: 1000 ± 4√500
      assertEquals(1000, low, 4 * Math.sqrt(500));
    }
  }

  @Test
  void noForecastGivesNaNScoresAndAnEmptyHistogram() {
    PosteriorScores ps = PosteriorScores.of(new double[] {1, 2, 3, 4}, 2, new double[] {1, 2}, 2, 1, 1);
    assertEquals(0, ps.forecast.points);
    assertTrue(Double.isNaN(ps.forecast.rmse));
    assertEquals(0, ps.forecast.rankHistogram.length);
    assertEquals(2.0, ps.mean[0]);
  }

  /** Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7), enough for a 2 % test. */
  private static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
        * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }
}
