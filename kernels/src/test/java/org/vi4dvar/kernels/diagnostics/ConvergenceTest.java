package org.vi4dvar.kernels.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

/**
 * R̂, ESS and MCSE on draws with known answers, and against an independent numpy/scipy implementation
 * ({@code src/test/python/reference_values.py}, whose printed values are pasted below).
 *
 * <p>Statistical tolerances come from the sampling spread of the estimators, measured with the numpy
 * implementation over 200 replicates of each setting (numpy's PCG64, seed 1):
 * <pre>
 *   setting (chains × draws, AR coefficient)   R̂ mean ± sd (max)        bulk ESS / expected   tail ESS / expected
 *   4 × 1000, ρ = 0   (iid)                    1.00034 ± 0.00056 (1.0023)  0.985 ± 0.049          0.959 ± 0.042
 *   4 × 2500, ρ = 0.5                          1.00089 ± 0.00058 (1.0028)  0.998 ± 0.052          1.72 ± 0.10
 *   4 × 5000, ρ = 0.9                          1.00358 ± 0.00194 (1.0129)  0.994 ± 0.084          2.10 ± 0.20
 * </pre>
 * (expected ESS = N (1 − ρ)/(1 + ρ); the tail ESS of an AR(1) exceeds it because the indicators are less
 * autocorrelated than x). Each check allows 5 sd of that spread around 1 ({@link #SIGMAS}): a correct
 * implementation fails with probability &lt; 1e-6 per check, and the draws are seeded so a pass reproduces.
 */
class ConvergenceTest {

  /** Width of statistical checks in sd of the estimator's measured spread (class comment). */
  static final double SIGMAS = 5.0;
  /** rel: agreement with the numpy reference; both sides are sums of O(10²) terms in different orders. */
  static final double REFERENCE = 1e-12;

  // --------------------------------------------------------------- reference values (reference_values.py)

  /** 2 chains × 7 draws with ties; the middle draw is dropped by split. */
  static final double[] SMALL = {0.3, -1.2, 0.8, 2.1, 0.8, -0.4, 1.5, 1.1, 0.2, -0.7, 0.9, 1.9, 0.4, -0.1};

  static double[] lcgUniforms(int n, long seed) {
    double[] u = new double[n];
    long s = seed;
    for (int i = 0; i < n; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      u[i] = (s >>> 11) / (double) (1L << 53);
    }
    return u;
  }

  /** The numpy script's AR chains: y_t = φ y_{t−1} + (u − ½), u from the LCG. */
  static double[] lcgAr(int m, int s, double phi, long seed) {
    double[] u = lcgUniforms(m * s, seed);
    double[] x = new double[m * s];
    for (int c = 0; c < m; c++) {
      double y = 0.0;
      for (int t = 0; t < s; t++) {
        y = phi * y + (u[c * s + t] - 0.5);
        x[c * s + t] = y;
      }
    }
    return x;
  }

  private static void assertRel(double expected, double actual, String what) {
    assertEquals(expected, actual, REFERENCE * Math.abs(expected), what);
  }

  @Test
  void smallCaseMatchesTheReference() {
    assertRel(0.9006887791898405, Convergence.rhatBulk(SMALL, 2, 7), "bulk R-hat");
    assertRel(0.8317396752333723, Convergence.rhatFolded(SMALL, 2, 7), "folded R-hat");
    assertRel(0.9006887791898405, Convergence.rhat(SMALL, 2, 7), "R-hat");
    // 4 split chains of 3: antithetic, so ESS is capped at N log10 N = 12 log10 12
    assertRel(12 * Math.log10(12), Convergence.essBulk(SMALL, 2, 7), "bulk ESS");
    assertRel(12.9501749525715, Convergence.essMean(SMALL, 2, 7), "mean ESS");
    assertRel(0.26513162347521874, Convergence.mcseMean(SMALL, 2, 7), "MCSE mean");
    assertRel(0.14461305633612392, Convergence.mcseSd(SMALL, 2, 7), "MCSE sd");
    // the 95 % indicator is 1 except at the maximum 2.1, the dropped middle draw: constant, no ESS
    assertTrue(Double.isNaN(Convergence.essTail(SMALL, 2, 7)));
  }

  @Test
  void autocorrelatedCaseMatchesTheReference() {
    double[] x = lcgAr(3, 50, 0.6, 12345);
    assertEquals(-0.3904213940145054, x[0], 0.0);
    assertEquals(0.36125597817756105, x[149], 0.0);
    assertRel(1.0390564433551004, Convergence.rhatBulk(x, 3, 50), "bulk R-hat");
    assertRel(1.0099276868802711, Convergence.rhatFolded(x, 3, 50), "folded R-hat");
    assertRel(48.476505706937196, Convergence.essBulk(x, 3, 50), "bulk ESS");
    assertRel(54.273932909840646, Convergence.essTail(x, 3, 50), "tail ESS");
    assertRel(48.689297261457035, Convergence.essMean(x, 3, 50), "mean ESS");
    assertRel(0.05119675865936269, Convergence.mcseMean(x, 3, 50), "MCSE mean");
    assertRel(0.020898708009974388, Convergence.mcseSd(x, 3, 50), "MCSE sd");
    for (int k = 0; k < x.length; k++) {
      x[k] += 0.3 * (k / 50);
    }
    assertRel(1.3424148614574032, Convergence.rhat(x, 3, 50), "shifted R-hat");
    assertRel(1.0237859046885378, Convergence.rhatFolded(x, 3, 50), "shifted folded R-hat");
    assertRel(9.04717441258712, Convergence.essBulk(x, 3, 50), "shifted bulk ESS");
    assertRel(59.649482422875884, Convergence.essTail(x, 3, 50), "shifted tail ESS");
    assertRel(0.15251891022394917, Convergence.mcseMean(x, 3, 50), "shifted MCSE mean");
    assertRel(0.032352872303952555, Convergence.mcseSd(x, 3, 50), "shifted MCSE sd");
  }

  // --------------------------------------------------------------- known answers

  /** m chains of s draws of a stationary Gaussian AR(1) with unit variance, plus {@code shift·c} in chain c. */
  static double[] ar1(int m, int s, double rho, double shift, long seed) {
    double[] x = new double[m * s];
    double e = Math.sqrt(1 - rho * rho);
    for (int c = 0; c < m; c++) {
      RandomStream r = RandomStream.of(seed, Domain.OTHER, c);
      double y = r.nextGaussian();
      for (int t = 0; t < s; t++) {
        if (t > 0) {
          y = rho * y + e * r.nextGaussian();
        }
        x[c * s + t] = y + shift * c;
      }
    }
    return x;
  }

  @Test
  void iidNormalDrawsHaveRhatOneAndEssN() {
    for (long seed = 1; seed <= 3; seed++) {
      double[] x = ar1(4, 1000, 0.0, 0.0, seed);
      double n = 4000;
      double rhat = Convergence.rhat(x, 4, 1000);
      assertTrue(rhat < 1.00034 + SIGMAS * 0.00056, "R-hat " + rhat);
      assertEquals(1.0, Convergence.essBulk(x, 4, 1000) / n, SIGMAS * 0.049, "bulk ESS / N");
      assertEquals(1.0, Convergence.essTail(x, 4, 1000) / n, SIGMAS * 0.042 + 0.04, "tail ESS / N");
      // the MCSE of the mean of iid draws is sd/√N (within the spread of the ESS)
      assertEquals(1.0 / Math.sqrt(n), Convergence.mcseMean(x, 4, 1000), 0.2 / Math.sqrt(n));
      // and that of the sd of a normal is sd/√(2N)
      assertEquals(1.0 / Math.sqrt(2 * n), Convergence.mcseSd(x, 4, 1000), 0.2 / Math.sqrt(2 * n));
    }
  }

  @Test
  void ar1EssIsNTimesOneMinusRhoOverOnePlusRho() {
    double[][] cases = {{0.5, 2500, 0.052}, {0.9, 5000, 0.084}};
    for (double[] cs : cases) {
      double rho = cs[0];
      int s = (int) cs[1];
      double[] x = ar1(4, s, rho, 0.0, 11);
      double expected = 4.0 * s * (1 - rho) / (1 + rho);
      double ratio = Convergence.essBulk(x, 4, s) / expected;
      assertEquals(1.0, ratio, SIGMAS * cs[2], "bulk ESS / N(1-rho)/(1+rho) for rho " + rho);
      double ratioMean = Convergence.essMean(x, 4, s) / expected;
      assertEquals(1.0, ratioMean, SIGMAS * cs[2], "mean ESS ratio for rho " + rho);
      assertTrue(Convergence.rhat(x, 4, s) < 1.01, "R-hat for rho " + rho);
    }
  }

  @Test
  void shiftedChainsHaveLargeRhat() {
    double[] far = ar1(4, 1000, 0.0, 1.0, 5);
    assertTrue(Convergence.rhat(far, 4, 1000) > 1.3, "chains 1 sd apart");
    // 0.2 sd apart: R-hat ≈ √(1 + var(0, .2, .4, .6)) ≈ 1.03, above the warning level, while iid draws of the
    // same size stay below 1.0032 (5 sd of the spread above)
    double[] near = ar1(4, 1000, 0.0, 0.2, 5);
    assertTrue(Convergence.rhat(near, 4, 1000) > Convergence.RHAT_WARN);
    // a chain that never moves: the within-chain variance of its halves is 0, the others are not
    double[] stuck = ar1(4, 1000, 0.0, 0.0, 6);
    for (int t = 0; t < 1000; t++) {
      stuck[t] = 0.25;
    }
    assertTrue(Convergence.rhat(stuck, 4, 1000) > 1.1);
  }

  @Test
  void scaleOfTheVarianceDoesNotChangeTheRankDiagnostics() {
    // rank normalisation: R-hat and bulk ESS are invariant under monotone maps of the draws
    double[] x = ar1(4, 400, 0.3, 0.1, 9);
    double[] y = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      y[k] = Math.exp(3 * x[k]) - 7;
    }
    assertEquals(Convergence.rhatBulk(x, 4, 400), Convergence.rhatBulk(y, 4, 400), 1e-15);
    assertEquals(Convergence.essBulk(x, 4, 400), Convergence.essBulk(y, 4, 400), 1e-12);
    assertEquals(Convergence.essTail(x, 4, 400), Convergence.essTail(y, 4, 400), 1e-12);
  }

  @Test
  void degenerateInputsGiveNaN() {
    assertTrue(Double.isNaN(Convergence.rhat(new double[] {1, 2, 3, 1, 2, 3}, 2, 3)), "3 draws per chain");
    assertTrue(Double.isNaN(Convergence.essBulk(new double[8], 2, 4)), "constant");
    double[] x = ar1(2, 10, 0, 0, 1);
    x[3] = Double.NaN;
    assertTrue(Double.isNaN(Convergence.rhat(x, 2, 10)));
    x[3] = Double.POSITIVE_INFINITY;
    assertTrue(Double.isNaN(Convergence.essBulk(x, 2, 10)));
  }

  @Test
  void ranksAverageTies() {
    double[] r = Convergence.ranks(new double[] {3, 1, 3, 2, 3});
    assertEquals(4.0, r[0], 0);
    assertEquals(1.0, r[1], 0);
    assertEquals(4.0, r[2], 0);
    assertEquals(2.0, r[3], 0);
    assertEquals(4.0, r[4], 0);
  }

  @Test
  void splitKeepsTheFirstAndLastHalves() {
    double[] s = Convergence.split(new double[] {0, 1, 2, 3, 4, 10, 11, 12, 13, 14}, 2, 5);
    assertEquals(List.of(0.0, 1.0, 3.0, 4.0, 10.0, 11.0, 13.0, 14.0),
        java.util.Arrays.stream(s).boxed().toList());
  }

  @Test
  void summaryCoversEveryComponentAndWarns() {
    // two components: 0 iid (fine), 1 with shifted chains (R-hat warning)
    int m = 4;
    int s = 600;
    double[] a = ar1(m, s, 0.0, 0.0, 21);
    double[] b = ar1(m, s, 0.0, 1.0, 22);
    double[][] draws = new double[m][s * 2];
    for (int c = 0; c < m; c++) {
      for (int t = 0; t < s; t++) {
        draws[c][t * 2] = a[c * s + t];
        draws[c][t * 2 + 1] = b[c * s + t];
      }
    }
    ConvergenceSummary sum = ConvergenceSummary.of(draws, 2);
    assertEquals(Convergence.rhat(a, m, s), sum.rhat[0], 0.0);
    assertEquals(Convergence.rhat(b, m, s), sum.rhat[1], 0.0);
    assertEquals(Convergence.essTail(b, m, s), sum.essTail[1], 0.0);
    assertEquals(Convergence.mcseSd(a, m, s), sum.mcseSd[0], 0.0);
    assertEquals(sum.rhat[1], sum.maxRhat(), 0.0);
    assertFalse(sum.passes());
    List<String> w = sum.warnings("x0");
    assertTrue(w.get(0).startsWith("x0: max R-hat") && w.get(0).contains("component 1"), w.toString());
  }
}
