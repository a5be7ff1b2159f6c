package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The numbers the figures are drawn from: histogram bins, log-axis ticks, rank-histogram bands, legend formats. */
class FigureDataTest {

  /** Relative tolerance of bin edges computed as powers of ten (a few ulps of the pow and log10 round trip). */
  private static final double EDGE = 1e-12;

  @Test
  void abcHistogramBinsFollowTheDataWithCleanEdges() {
    // the case: prior distances 75 … 6500 (fixed log bins 1e-2 … 1e10 put them into 16 of 98 bins)
    Random rng = new Random(7);
    double[] d = new double[1000];
    for (int k = 0; k < d.length; k++) {
      d[k] = Math.min(6500, Math.max(75, 1400 * Math.exp(0.55 * rng.nextGaussian())));
    }
    d[0] = 75;
    d[1] = 6500;
    double[][] h = Optimisation.histogram(d);
    double[] lower = h[0];
    double[] upper = h[1];
    double[] count = h[2];
    assertEquals(1.0, h[3][0], "log bins: the data span two decades");
    assertTrue(lower.length >= 10 && lower.length <= 40, lower.length + " bins");
    assertTrue(lower[0] <= 75 && upper[upper.length - 1] >= 6500);
    assertTrue(lower[0] > 75 / 1.6 && upper[upper.length - 1] < 6500 * 1.6, "no empty decades around the data");
    double perDecade = 1 / Math.log10(upper[0] / lower[0]);
    assertEquals(Math.rint(perDecade), perDecade, 1e-9, "edges at 10^(k/m)");
    double total = 0;
    for (int b = 0; b < lower.length; b++) {
      double k = Math.log10(lower[b]) * Math.rint(perDecade);
      assertEquals(Math.rint(k), k, 1e-9, "edge " + lower[b]);
      if (b > 0) {
        assertEquals(upper[b - 1], lower[b], EDGE * lower[b], "bins abut");
      }
      total += count[b];
    }
    assertEquals(d.length, total, "every value in a bin");
  }

  @Test
  void linearBinsForDistancesThatCanBeNegativeOrSpanLessThanADecade() {
    // abc.distance = likelihood: Jo − E can be negative
    double[] d = {-3.2, -1.0, 0.0, 0.4, 2.5, 7.9, 11.3, 12.0};
    double[][] h = Optimisation.histogram(d);
    assertEquals(0.0, h[3][0], "linear bins");
    double w = h[1][0] - h[0][0];
    assertEquals(ColourBar.niceStep(w), w, 1e-12, "a round width");
    for (int b = 0; b < h[0].length; b++) {
      double k = h[0][b] / w;
      assertEquals(Math.rint(k), k, 1e-9, "edge " + h[0][b] + " is a multiple of the width");
    }
    assertTrue(h[0][0] <= -3.2 && h[1][h[1].length - 1] > 12.0);
    assertEquals(d.length, java.util.Arrays.stream(h[2]).sum());
    // a narrow positive range (less than a decade) is linear too
    assertEquals(0.0, Optimisation.histogram(new double[] {120, 150, 180, 200, 260})[3][0]);
  }

  @Test
  void logAxisTicksCoverTheData() {
    // the case: tick labels stopped at 100 while the lines reached 150
    for (double[] r : new double[][] {{40, 150}, {60.2, 130}, {45.15, 61.6}, {0.0031, 7.7}, {1287, 1301}}) {
      NiceLogAxis a = new NiceLogAxis("J");
      a.fit(r[0], r[1]);
      List<Double> t = a.tickValues();
      assertTrue(t.size() >= 2, t.toString());
      assertTrue(t.get(0) <= r[0] * (1 + 1e-12), "first tick " + t.get(0) + " above the data " + r[0]);
      assertTrue(t.get(t.size() - 1) >= r[1] * (1 - 1e-12), "last tick " + t + " below the data " + r[1]);
      assertTrue(t.get(t.size() - 1) <= r[1] * 2.01, "the range hugs the data: " + t);
      assertTrue(a.getLowerBound() < t.get(0) && a.getUpperBound() > t.get(t.size() - 1), "ends inside the range");
    }
  }

  @Test
  void legendNumbersShareOneFormat() {
    var f = Style.numbers(-73.0, -72.4675, -61.2);
    assertEquals("-73.00", f.apply(-73.0));
    assertEquals("-72.47", f.apply(-72.4675));
    var g = Style.numbers(52.89, 45.1543, 1101.35);
    assertEquals("53", g.apply(52.89));
    assertEquals("1101", g.apply(1101.35));
    assertEquals("1.235e+07", Style.numbers(1.2345e7).apply(1.2345e7));
  }

  @Test
  void binomialBandIsTheExactCentral95PercentRange() {
    for (long n : new long[] {1, 7, 64, 192, 5000}) {
      for (double p : new double[] {0.05, 0.1, 0.2475, 0.5}) {
        long[] q = RankHistograms.binomialQuantiles(n, p, 0.025, 0.975);
        // brute force with BigDecimal-free doubles: the CDF summed from k = 0
        double cdf = 0;
        long lo = -1;
        long hi = -1;
        for (long k = 0; k <= n; k++) {
          cdf += Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
          if (lo < 0 && cdf >= 0.025 * (1 - 1e-12)) {
            lo = k;
          }
          if (hi < 0 && cdf >= 0.975 * (1 - 1e-12)) {
            hi = k;
          }
        }
        assertArrayEquals(new long[] {lo, hi}, q, "n " + n + ", p " + p);
      }
    }
  }

  private static double logChoose(long n, long k) {
    double s = 0;
    for (long j = 1; j <= k; j++) {
      s += Math.log((double) (n - k + j) / j);
    }
    return s;
  }

  @Test
  void rankHistogramPoolsSmallSamplesAndUsesTheExpectedProbabilities() {
    // 20 bins, 30 points: pooled to 5 bins (6 expected per bin)
    double[] c = new double[20];
    for (int k = 0; k < 30; k++) {
      c[k % 20]++;
    }
    RankHistograms.Drawn d = RankHistograms.drawn(boxed(c), null);
    assertEquals(5, d.bins());
    assertEquals(30, d.points);
    for (int b = 0; b < 5; b++) {
      assertEquals(0.2 * b, d.lower[b], 1e-12);
    }
    // unequal expected probabilities (m = 100 draws, 20 bins: 101 ranks): density is relative to them, and a bin
    // with its expected share is at 1
    double[] e = new double[20];
    java.util.Arrays.fill(e, 5.0 / 101);
    e[10] = 6.0 / 101;
    double[] n = new double[20];
    for (int b = 0; b < 20; b++) {
      n[b] = e[b] * 1010;
    }
    RankHistograms.Drawn x = RankHistograms.drawn(boxed(n), boxed(e));
    assertEquals(20, x.bins());
    for (int b = 0; b < 20; b++) {
      assertEquals(1.0, x.density[b], 1e-12);
      assertEquals(e[b], x.upper[b] - x.lower[b], 1e-12, "bin width on the PIT axis is its probability");
    }
    // an old summary with m + 1 = 1001 bins: pooled into at most 20 equal runs (1001 = 7 · 11 · 13: 13 bins)
    RankHistograms.Drawn old = RankHistograms.drawn(boxed(ones(1001)), null);
    assertEquals(13, old.bins());
    for (int b = 0; b < old.bins(); b++) {
      assertEquals(1.0, old.density[b], 1e-12);
    }
    assertEquals(null, RankHistograms.drawn(boxed(new double[20]), null), "no counts, nothing drawn");
  }

  @Test
  void rankHistogramOfFewDrawsHasABinPerRank() {
    // 2 draws: 3 equally likely ranks in the summary's 20 bins; the 17 bins no rank falls in are not drawn
    double[] e = org.vi4dvar.kernels.stats.PointSample.expectedRankBins(2, 20);
    double[] n = new double[20];
    for (int b = 0; b < 20; b++) {
      n[b] = Math.round(e[b] * 3000);
    }
    RankHistograms.Drawn d = RankHistograms.drawn(boxed(n), boxed(e));
    assertEquals(3, d.bins());
    for (int b = 0; b < 3; b++) {
      assertEquals(1.0 / 3, d.upper[b] - d.lower[b], 1e-12);
      assertEquals(1.0, d.density[b], 1e-9);
    }
  }

  private static double[] ones(int n) {
    double[] o = new double[n];
    java.util.Arrays.fill(o, 1);
    return o;
  }

  private static List<Object> boxed(double[] a) {
    List<Object> l = new ArrayList<>();
    for (double v : a) {
      l.add(v);
    }
    return l;
  }

  @Test
  void colourBarDrawsExtensionTrianglesOnlyWhereValuesAreClipped() {
    ColourScale s = ColourScale.diverging(1.0);
    ColourBar none = new ColourBar(s, "x").clipping(new double[] {-0.5, 0.9, Double.NaN});
    assertFalse(none.below || none.above);
    ColourBar top = new ColourBar(s, "x").clipping(new double[] {-0.5, 1.7});
    assertTrue(top.above && !top.below);
    // drawn: the triangle above the strip has the scale's top colour; nothing below
    BufferedImage img = new BufferedImage(120, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 120, 200);
    top.draw(g, 0, 40, 160);
    g.dispose();
    int x = 8 + 8;
    assertEquals(s.colour(1.0).getRGB(), img.getRGB(x, 40 - ColourBar.TRIANGLE / 3), "triangle above");
    assertEquals(Color.WHITE.getRGB(), img.getRGB(x, 160 + ColourBar.TRIANGLE / 3), "no triangle below");
  }

  /** The raw ELBO traces are drawn from their M4 envelope: per bucket the first, lowest, highest and last point. */
  @Test
  void theTraceEnvelopeKeepsEveryBucketsExtremesInOrder() {
    Random rng = new Random(3);
    double[] y = new double[10_007];
    for (int k = 0; k < y.length; k++) {
      y[k] = -60 - 30 * Math.exp(-k / 500.0) + rng.nextGaussian();
    }
    y[17] = Double.NaN;
    y[5000] = Double.POSITIVE_INFINITY;
    int buckets = 100;
    int[] keep = Optimisation.envelope(y, buckets);
    assertTrue(keep.length <= 4 * buckets && keep.length >= 2 * buckets, keep.length + " points");
    for (int j = 1; j < keep.length; j++) {
      assertTrue(keep[j] > keep[j - 1], "strictly increasing indices");
    }
    for (int b = 0; b < buckets; b++) {
      int lo = (int) ((long) y.length * b / buckets);
      int hi = (int) ((long) y.length * (b + 1) / buckets);
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double keptMin = Double.POSITIVE_INFINITY;
      double keptMax = Double.NEGATIVE_INFINITY;
      for (int k = lo; k < hi; k++) {
        if (Double.isFinite(y[k])) {
          min = Math.min(min, y[k]);
          max = Math.max(max, y[k]);
        }
      }
      for (int k : keep) {
        if (k >= lo && k < hi) {
          assertTrue(Double.isFinite(y[k]), "only finite points");
          keptMin = Math.min(keptMin, y[k]);
          keptMax = Math.max(keptMax, y[k]);
        }
      }
      assertEquals(min, keptMin, 0.0, "bucket " + b);
      assertEquals(max, keptMax, 0.0, "bucket " + b);
    }
    double[] shortTrace = {1, Double.NaN, 3, 4};
    assertArrayEquals(new int[] {0, 2, 3}, Optimisation.envelope(shortTrace, 100), "short: every finite point");
  }
}
