package org.vi4dvar.driver.report;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * A continuous colour scale over {@code [lower, upper]}: a colour map (piecewise-linear between anchors), linear
 * or logarithmic in the value, clipped at both ends. NaN maps to {@link #MISSING}.
 */
final class ColourScale implements PaintScale {

  /** Colour of a missing value, when one is drawn at all. */
  static final Color MISSING = new Color(0xEEEEEE);

  /** Perceptually uniform sequential map (matplotlib's viridis, sampled every 0.1). */
  static final Color[] VIRIDIS = hex(0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884,
      0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725);
  /** Diverging map, blue (negative) to white to red (positive): ColorBrewer RdBu, reversed. */
  static final Color[] BLUE_WHITE_RED = hex(0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
      0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F);

  private final double lower;
  private final double upper;
  private final boolean log;
  private final Color[] anchors;

  private ColourScale(double lower, double upper, boolean log, Color[] anchors) {
    if (!(upper > lower) || (log && !(lower > 0))) {
      throw new IllegalArgumentException("bad colour range [" + lower + ", " + upper + "]" + (log ? " (log)" : ""));
    }
    this.lower = lower;
    this.upper = upper;
    this.log = log;
    this.anchors = anchors;
  }

  /** Sequential (viridis) over {@code [lo, hi]}; a degenerate range is widened. */
  static ColourScale sequential(double lo, double hi) {
    double[] r = widen(lo, hi);
    return new ColourScale(r[0], r[1], false, VIRIDIS);
  }

  /** Sequential (viridis), logarithmic over {@code [lo, hi]}, {@code lo > 0}. */
  static ColourScale logarithmic(double lo, double hi) {
    if (!(hi > lo)) {
      lo = lo / 2;
      hi = hi * 2;
    }
    return new ColourScale(lo, hi, true, VIRIDIS);
  }

  /** Diverging (blue, white at 0, red) over {@code [-limit, limit]}. */
  static ColourScale diverging(double limit) {
    double l = limit > 0 && Double.isFinite(limit) ? limit : 1.0;
    return new ColourScale(-l, l, false, BLUE_WHITE_RED);
  }

  boolean isLog() {
    return log;
  }

  @Override
  public double getLowerBound() {
    return lower;
  }

  @Override
  public double getUpperBound() {
    return upper;
  }

  @Override
  public Paint getPaint(double value) {
    return colour(value);
  }

  /** The colour of {@code value}. */
  Color colour(double value) {
    if (Double.isNaN(value)) {
      return MISSING;
    }
    double f;
    if (log) {
      f = value <= 0 ? 0 : (Math.log(value) - Math.log(lower)) / (Math.log(upper) - Math.log(lower));
    } else {
      f = (value - lower) / (upper - lower);
    }
    f = Math.max(0, Math.min(1, f));
    double x = f * (anchors.length - 1);
    int k = Math.min((int) x, anchors.length - 2);
    double w = x - k;
    Color a = anchors[k];
    Color b = anchors[k + 1];
    return new Color(mix(a.getRed(), b.getRed(), w), mix(a.getGreen(), b.getGreen(), w),
        mix(a.getBlue(), b.getBlue(), w));
  }

  private static int mix(int a, int b, double w) {
    return (int) Math.round(a + (b - a) * w);
  }

  private static double[] widen(double lo, double hi) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
      return new double[] {0, 1};
    }
    if (hi > lo) {
      return new double[] {lo, hi};
    }
    double d = Math.max(Math.abs(lo) * 0.05, 1e-12);
    return new double[] {lo - d, hi + d};
  }

  private static Color[] hex(int... rgb) {
    Color[] c = new Color[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      c[i] = new Color(rgb[i]);
    }
    return c;
  }
}
