package org.vi4dvar.kernels.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The special functions against reference values computed with SciPy 1.17 ({@code scipy.stats} and
 * {@code scipy.special}), at the arguments calibrate uses them at (t quantiles for N − 1 = 1 … 10⁶, χ² and F
 * tails down to 1e-54, binomial quantiles for N up to 10⁶).
 */
class DistributionsTest {

  /**
   * rel: the continued fractions stop at a relative step of 1e-15 and ln Γ is good to ~1e-15, so the functions
   * are good to ~1e-13 (several terms combine, through exp of a sum of logs of size up to ~10⁴); 1e-10 leaves
   * margin and still catches a wrong formula (which is off in the first digits).
   */
  private static final double REL = 1e-10;

  private static void near(double expected, double actual) {
    assertEquals(expected, actual, REL * Math.abs(expected), "expected " + expected + ", got " + actual);
  }

  @Test
  void logGammaMatchesReferenceValues() {
    near(1.0957979948180756, Distributions.logGamma(0.3));
    near(13.940625219403763, Distributions.logGamma(10.5));
    near(5906.9472682711175, Distributions.logGamma(1000.25));
    near(Math.log(24), Distributions.logGamma(5));
  }

  @Test
  void studentQuantilesAndCdf() {
    near(12.706204736174694, Distributions.tQuantile(0.975, 1));
    near(2.228138851986274, Distributions.tQuantile(0.975, 10));
    near(1.9719565442517533, Distributions.tQuantile(0.975, 199));
    near(5.840909309733355, Distributions.tQuantile(0.995, 3));
    near(-2.228138851986274, Distributions.tQuantile(0.025, 10));
    near(0.020496109292876444, Distributions.tCdf(-2.5, 7));
    assertEquals(0.0, Distributions.tQuantile(0.5, 4));
    // large ν (taken as 10⁷): the normal quantile 1.959963984540054, to 1e-6
    assertEquals(1.959963984540054, Distributions.tQuantile(0.975, 1e9), 1e-6);
  }

  @Test
  void chiSquaredAndFUpperTails() {
    near(0.04999996552937727, Distributions.chiSquaredUpper(30.14353, 19));
    near(3.4047651393116526e-32, Distributions.chiSquaredUpper(200, 19));
    near(0.9188914116546758, Distributions.chiSquaredUpper(0.5, 3));
    near(8.513135655488133e-23, Distributions.chiSquaredUpper(1500, 999));
    near(1.112935044825893e-05, Distributions.chiSquaredUpper(1200, 999));
    assertEquals(1.0, Distributions.chiSquaredUpper(0, 5));
    near(0.08971528271249264, Distributions.fUpper(1.5, 19, 181));
    near(1.4916696736838668e-54, Distributions.fUpper(40, 19, 181));
    near(0.7532774095368846, Distributions.fUpper(0.3, 2, 5));
  }

  @Test
  void incompleteBetaAndBinomial() {
    near(0.4869041915261176, Distributions.betaI(0.4, 2.5, 3.5));
    near(0.8256849209944319, Distributions.betaI(0.43, 500, 700));
    near(0.5830671820811717, Distributions.binomialCdf(10, 200, 0.05));
    assertEquals(4, Distributions.binomialQuantile(0.025, 200, 0.05));
    assertEquals(16, Distributions.binomialQuantile(0.975, 200, 0.05));
    assertEquals(49573, Distributions.binomialQuantile(0.025, 1_000_000, 0.05));
    assertEquals(50428, Distributions.binomialQuantile(0.975, 1_000_000, 0.05));
    assertEquals(0, Distributions.binomialQuantile(0.5, 10, 0.0));
    assertEquals(10, Distributions.binomialQuantile(0.5, 10, 1.0));
  }

  @Test
  void tailsAreMonotoneAndBounded() {
    double prev = 1.0;
    for (double x = 0.5; x < 400; x *= 1.5) {
      double p = Distributions.chiSquaredUpper(x, 19);
      assertTrue(p <= prev && p >= 0, x + ": " + p);
      prev = p;
    }
    assertThrows(IllegalArgumentException.class, () -> Distributions.tQuantile(1.0, 3));
    assertThrows(IllegalArgumentException.class, () -> Distributions.betaI(1.5, 1, 1));
  }
}
