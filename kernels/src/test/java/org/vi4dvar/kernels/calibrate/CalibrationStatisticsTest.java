package org.vi4dvar.kernels.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;

/**
 * The pooled intervals and tests on synthetic twins whose points are strongly dependent within a twin
 * (equicorrelated Gaussian scores, ρ = 0.5, the way one background error shifts every point of a twin): under
 * calibration the twin-level tests reject at their nominal rate and the coverage intervals cover at theirs — a
 * test that treats every point as independent rejects almost always — and a too narrow, too wide or biased
 * posterior is detected.
 */
class CalibrationStatisticsTest {

  private static final int BINS = 20;
  /** Standard normal quantiles of b/20, b = 1 … 19 (SciPy): the rank-bin edges of the score z. */
  private static final double[] EDGES = {-1.6448536269514729, -1.2815515655446004, -1.0364333894937898,
      -0.8416212335729142, -0.6744897501960817, -0.5244005127080409, -0.38532046640756773, -0.2533471031357997,
      -0.12566134685507402, 0.0, 0.12566134685507416, 0.2533471031357997, 0.38532046640756773,
      0.5244005127080407, 0.6744897501960817, 0.8416212335729143, 1.0364333894937898, 1.2815515655446004,
      1.6448536269514722};
  private static final double Z95 = 1.6448536269514722;
  private static final double Z75 = 0.6744897501960817;
  /**
   * Draws per twin: (m + 1) = 2000 ranks split evenly into the 20 bins, so the expected histogram is exactly
   * uniform, as for the continuous scores simulated here.
   */
  private static final long M = 1999;

  /**
   * Twin k's part: n points with scores z_j = scale·(√ρ w + √(1−ρ) e_j) + shift, z ~ N(0, 1) when calibrated
   * (scale 1, shift 0): the truth's standardised error under the posterior; its bin, its 50/90 % coverage.
   */
  private static TwinPart twin(RandomStream r, long k, int n, double rho, double scale, double shift) {
    double w = r.nextGaussian();
    long[] h = new long[BINS];
    int[] bins = new int[n];
    long c50 = 0;
    long c90 = 0;
    for (int j = 0; j < n; j++) {
      double z = scale * (Math.sqrt(rho) * w + Math.sqrt(1 - rho) * r.nextGaussian()) + shift;
      int b = 0;
      while (b < EDGES.length && z >= EDGES[b]) {
        b++;
      }
      h[b]++;
      bins[j] = b;
      c50 += Math.abs(z) <= Z75 ? 1 : 0;
      c90 += Math.abs(z) <= Z95 ? 1 : 0;
    }
    int chosen = TwinPart.choose(k, 0, n);
    return new TwinPart(n, 1.0, 1.0, 0.5, c50, c90, h, chosen, bins[chosen]);
  }

  private static PartCalibration calibrate(long seed, int twins, int n, double rho, double scale, double shift) {
    RandomStream r = RandomStream.of(seed, Domain.OTHER, 0);
    List<TwinPart> parts = new ArrayList<>();
    for (int k = 0; k < twins; k++) {
      parts.add(twin(r, k, n, rho, scale, shift));
    }
    long[] m = new long[twins];
    Arrays.fill(m, M);
    return CalibrationStatistics.part(parts, m, new boolean[twins], BINS, 0.95);
  }

  /**
   * Under calibration, 300 calibrations of 100 twins × 50 dependent points: each test rejects at 5 % in about
   * 5 % of them and each 95 % interval covers the true coverage in about 95 %. With 300 replicates the rates
   * have a binomial sd of 1.3 %, so [1 %, 10 %] and [90 %, 99 %] are ±4 sd: a correct procedure fails this with
   * probability ~1e-4 (and the replicates are seeded). The naive χ² on all 5000 points as if independent
   * rejects in most of them: the dependence is what the twin-level procedures are for.
   */
  @Test
  void twinLevelTestsAndIntervalsHoldTheirLevelUnderStrongDependence() {
    final int reps = 300;
    int rejectAll = 0;
    int rejectOne = 0;
    int naive = 0;
    int cover50 = 0;
    int cover90 = 0;
    for (int rep = 0; rep < reps; rep++) {
      PartCalibration p = calibrate(rep, 100, 50, 0.5, 1.0, 0.0);
      rejectAll += p.rankPvalue < 0.05 ? 1 : 0;
      rejectOne += p.rankPvalueOnePoint < 0.05 ? 1 : 0;
      double[] e = new double[BINS];
      Arrays.fill(e, 5000.0 / BINS);
      naive += CalibrationStatistics.chiSquared(p.rankHistogram, e) < 0.05 ? 1 : 0;
      cover50 += p.coverage50.contains(0.5) ? 1 : 0;
      cover90 += p.coverage90.contains(0.9) ? 1 : 0;
      assertEquals(20, p.rankGroups);
    }
    String all = "rejections: all points " + rejectAll + ", one point " + rejectOne + ", naive " + naive
        + "; coverage intervals 50 % " + cover50 + ", 90 % " + cover90 + " of " + reps;
    assertTrue(rejectAll >= 3 && rejectAll <= 30, all);
    assertTrue(rejectOne >= 3 && rejectOne <= 30, all);
    assertTrue(cover50 >= 270 && cover50 <= 297, all);
    assertTrue(cover90 >= 270 && cover90 <= 297, all);
    assertTrue(naive > 150, all);
  }

  /** Too narrow (std × 0.5), too wide (× 2) and biased (+0.5 sd) posteriors are all detected by 100 twins. */
  @Test
  void miscalibrationIsDetected() {
    PartCalibration narrow = calibrate(1, 100, 50, 0.5, 2.0, 0.0);
    assertTrue(narrow.rankPvalue < 1e-6 && narrow.rankPvalueOnePoint < 1e-6,
        narrow.rankPvalue + " " + narrow.rankPvalueOnePoint);
    assertTrue(narrow.coverage90.hi() < 0.9, "under-coverage: " + narrow.coverage90);
    // U shape: the outer bins hold far more than their band
    assertTrue(narrow.rankHistogram[0] > narrow.rankBandHi[0]);
    assertTrue(narrow.rankHistogram[BINS - 1] > narrow.rankBandHi[BINS - 1]);
    PartCalibration wide = calibrate(2, 100, 50, 0.5, 0.5, 0.0);
    assertTrue(wide.rankPvalue < 1e-6, "dome: " + wide.rankPvalue);
    assertTrue(wide.coverage50.lo() > 0.5, "over-coverage: " + wide.coverage50);
    PartCalibration biased = calibrate(3, 100, 50, 0.5, 1.0, 0.5);
    assertTrue(biased.rankPvalue < 1e-6, "slope: " + biased.rankPvalue);
    // a calibrated one on the same seed is not rejected
    PartCalibration ok = calibrate(1, 100, 50, 0.5, 1.0, 0.0);
    assertTrue(ok.rankPvalue > 0.01 && ok.rankPvalueOnePoint > 0.01, ok.rankPvalue + " " + ok.rankPvalueOnePoint);
  }

  /**
   * The ratio interval with equal points per twin is the t interval of the twins' own coverages: for
   * coverages 0.8, 0.9, 1.0 (sd 0.1), 0.9 ± t(0.975, 2) · 0.1/√3 with t = 4.302652729749462 (SciPy).
   */
  @Test
  void ratioIntervalByHand() {
    double t = Distributions.tQuantile(0.975, 2);
    assertEquals(4.302652729749462, t, 1e-12);
    Estimate e = CalibrationStatistics.ratio(new double[] {8, 9, 10}, new double[] {10, 10, 10}, t);
    assertEquals(0.9, e.value(), 1e-15);
    double half = t * 0.1 / Math.sqrt(3);
    assertEquals(0.9 - half, e.lo(), 1e-12);
    assertEquals(0.9 + half, e.hi(), 1e-12);
    Estimate m = CalibrationStatistics.mean(new double[] {0.8, 0.9, 1.0}, t);
    assertEquals(e.lo(), m.lo(), 1e-12);
    assertEquals(e.hi(), m.hi(), 1e-12);
    Estimate one = CalibrationStatistics.ratio(new double[] {3}, new double[] {4}, Double.NaN);
    assertEquals(0.75, one.value());
    assertTrue(Double.isNaN(one.lo()), "no interval from one twin");
  }

  @Test
  void groupsMergeAdjacentBinsWhenTwinsAreFew() {
    assertEquals(0, CalibrationStatistics.groups(9, 20));
    assertEquals(2, CalibrationStatistics.groups(10, 20));
    assertEquals(8, CalibrationStatistics.groups(40, 20));
    assertEquals(20, CalibrationStatistics.groups(1000, 20));
    assertArrayEquals(new int[] {0, 0, 1, 1, 1}, CalibrationStatistics.groupOf(5, 2));
    assertArrayEquals(new int[] {0, 1, 2}, CalibrationStatistics.groupOf(3, 3));
  }

  @Test
  void raoScottOfDegenerateTwins() {
    double[][] same = new double[20][];
    double[] n = new double[20];
    for (int k = 0; k < 20; k++) {
      same[k] = new double[] {5, 5, 10};
      n[k] = 20;
    }
    double[] exact = {100, 100, 200};
    assertEquals(1.0, CalibrationStatistics.raoScott(same, n, exact), "every twin exactly as expected");
    assertEquals(0.0, CalibrationStatistics.raoScott(same, n, new double[] {120, 80, 200}),
        "every twin off in the same way");
    assertEquals(0.0, CalibrationStatistics.raoScott(same, n, new double[] {0, 200, 200}),
        "a count where a calibrated posterior can put none");
    assertTrue(Double.isNaN(CalibrationStatistics.raoScott(new double[1][3], new double[] {1}, exact)));
    assertEquals(0.0, CalibrationStatistics.chiSquared(new long[] {1, 4}, new double[] {0, 5}));
  }
}
