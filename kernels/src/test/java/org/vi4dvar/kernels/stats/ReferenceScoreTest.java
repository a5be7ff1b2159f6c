package org.vi4dvar.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

/** The reference scores on posteriors with known answers. */
class ReferenceScoreTest {

  /** Sums of a few dozen terms of order 1: exact to rounding. */
  static final double ROUNDING = 1e-12;

  @Test
  void meanErrorAndStdRatioAreExactOnShiftedAndScaledPosteriors() {
    int nx = 3;
    int states = 4;
    double[] rm = new double[nx * states];
    double[] rs = new double[nx * states];
    double[] m = new double[nx * states];
    double[] s = new double[nx * states];
    for (int k = 0; k < rm.length; k++) {
      rm[k] = Math.sin(k);
      rs[k] = 0.5 + 0.1 * k;
      // mean off by 0.5 reference sd in the assimilated states, by 2 in the forecast; std twice as wide
      m[k] = rm[k] + (k < 3 * nx ? 0.5 : 2.0) * rs[k];
      s[k] = 2 * rs[k];
    }
    ReferenceScore.Trajectories ref = new ReferenceScore.Trajectories(nx, states, rm, rs, null);
    ReferenceScore.Trajectories q = new ReferenceScore.Trajectories(nx, states, m, s, null);
    ReferenceScore.Part a = ReferenceScore.score(q, ref, 0, 3);
    ReferenceScore.Part f = ReferenceScore.score(q, ref, 3, 4);
    assertEquals(9, a.points);
    assertEquals(0.5, a.meanError, ROUNDING);
    assertEquals(2.0, f.meanError, ROUNDING);
    assertEquals(2.0, a.stdRatio, ROUNDING);
    assertTrue(Double.isNaN(a.energy), "no samples, no energy distance");
    ReferenceScore.Part self = ReferenceScore.score(ref, ref, 0, 4);
    assertEquals(0.0, self.meanError);
    assertEquals(1.0, self.stdRatio, ROUNDING);
    // shapes must agree, reference stds must be > 0
    assertThrows(IllegalArgumentException.class, () -> ReferenceScore.score(
        new ReferenceScore.Trajectories(4, 3, m, s, null), ref, 0, 3));
    double[] zero = rs.clone();
    zero[4] = 0;
    assertThrows(IllegalArgumentException.class, () -> ReferenceScore.score(q,
        new ReferenceScore.Trajectories(nx, states, rm, zero, null), 0, 3));
  }

  /**
   * The energy distance of N(0, 1) and N(δ, 1) samples against its closed form
   * {@code 2 E|X − Y| − E|X − X'| − E|Y − Y'|} with {@code X − Y ~ N(−δ, 2)}:
   * {@code E|N(μ, σ²)| = σ √(2/π) e^{−μ²/2σ²} + μ (1 − 2Φ(−μ/σ))}, and 0 for δ = 0. The tolerance comes from
   * the replicates themselves: R = 20 independent estimates, their mean within 4 standard errors
   * (sd/√R) of the exact value (a false alarm ≈ 6·10⁻⁵, and seeds are fixed).
   */
  @Test
  void energyDistanceMatchesItsClosedForm() {
    int n = 400;
    int reps = 20;
    for (double delta : new double[] {0.0, 1.0}) {
      double[] est = new double[reps];
      for (int r = 0; r < reps; r++) {
        RandomStream g = RandomStream.of(11, Domain.OTHER, 2L * r + (delta > 0 ? 1000 : 0));
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = g.nextGaussian();
          y[i] = delta + g.nextGaussian();
        }
        est[r] = ReferenceScore.energy(x, y, 1);
      }
      double mean = 0;
      for (double e : est) {
        mean += e / reps;
      }
      double var = 0;
      for (double e : est) {
        var += (e - mean) * (e - mean) / (reps - 1);
      }
      double se = Math.sqrt(var / reps);
      double sigma = Math.sqrt(2);
      double eAbsXY = sigma * Math.sqrt(2 / Math.PI) * Math.exp(-delta * delta / (2 * sigma * sigma))
          + delta * (1 - 2 * normalCdf(-delta / sigma));
      double eAbsXX = 2 / Math.sqrt(Math.PI);
      double exact = 2 * eAbsXY - 2 * eAbsXX;
      assertEquals(exact, mean, 4 * se, "delta " + delta + ": se " + se);
      assertTrue(se < 0.05, "the replicates have teeth: se " + se);
    }
  }

  private static double normalCdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /** erfc by the continued fraction-free Chebyshev fit of Numerical Recipes (|error| &lt; 1.2·10⁻⁷). */
  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
        + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
