package org.vi4dvar.driver.report;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A vertical colour bar for a {@link ColourScale}: the strip, ticks at round values (1-2-5 steps, or decades
 * on a log scale), a rotated label and, when values lie outside the scale and are drawn in its end colours,
 * an extension triangle at that end (matplotlib's {@code extend}). Drawn by hand rather than with JFreeChart's PaintScaleLegend so that it
 * can sit beside a row of panels, aligned with their data areas, and shade a log scale smoothly.
 */
final class ColourBar {

  /** Width a bar takes beside the panels, in pixels. */
  static final int WIDTH = 96;
  /** Width of a bar without a label (one per panel, its quantity named elsewhere). */
  static final int NARROW = 72;
  private static final int STRIP = 16;
  private static final int TICK = 4;

  /** Height of an extension triangle, in pixels. */
  static final int TRIANGLE = 12;

  final ColourScale scale;
  final String label;
  /** Whether values below the scale are drawn in its lowest colour (a triangle at the bottom). */
  final boolean below;
  /** Whether values above the scale are drawn in its highest colour (a triangle at the top). */
  final boolean above;

  ColourBar(ColourScale scale, String label) {
    this(scale, label, false, false);
  }

  ColourBar(ColourScale scale, String label, boolean below, boolean above) {
    this.scale = scale;
    this.label = label;
    this.below = below;
    this.above = above;
  }

  /** The width this bar takes beside its panels. */
  int width() {
    return label == null ? NARROW : WIDTH;
  }

  /** This bar with extension triangles where {@code values} (NaN ignored) fall outside the scale. */
  ColourBar clipping(double[]... values) {
    boolean lo = below;
    boolean hi = above;
    double l = scale.getLowerBound();
    double u = scale.getUpperBound();
    double tol = 1e-12 * Math.max(Math.abs(l), Math.abs(u));
    for (double[] vs : values) {
      for (double v : vs) {
        if (Double.isNaN(v)) {
          continue;
        }
        lo |= v < l - tol;
        hi |= v > u + tol;
      }
    }
    return new ColourBar(scale, label, lo, hi);
  }

  /** Draws the bar in the column starting at {@code x}, the strip spanning {@code [top, bottom]} vertically. */
  void draw(Graphics2D g, double x, double top, double bottom) {
    final int sx = (int) Math.round(x + 8);
    final int y0 = (int) Math.round(top);
    final int y1 = (int) Math.round(bottom);
    final int h = Math.max(1, y1 - y0);
    for (int py = 0; py < h; py++) {
      double f = 1.0 - (py + 0.5) / h;
      g.setColor(scale.colour(valueAt(f)));
      g.fillRect(sx, y0 + py, STRIP, 1);
    }
    g.setColor(Style.OUTLINE);
    g.drawRect(sx, y0, STRIP, h);
    if (above) {
      triangle(g, sx, y0, -1, scale.colour(scale.getUpperBound()));
    }
    if (below) {
      triangle(g, sx, y1, +1, scale.colour(scale.getLowerBound()));
    }

    g.setFont(Style.TICK);
    FontMetrics fm = g.getFontMetrics();
    int maxLabel = 0;
    List<Double> ticks = ticks();
    for (int k = 0; k < ticks.size(); k++) {
      double v = ticks.get(k);
      double f = fraction(v);
      int py = (int) Math.round(y0 + (1 - f) * h);
      g.setColor(Style.OUTLINE);
      g.drawLine(sx + STRIP, py, sx + STRIP + TICK, py);
      String s = format(v);
      g.setColor(Style.TEXT);
      g.drawString(s, sx + STRIP + TICK + 3, py + fm.getAscent() / 2 - 1);
      maxLabel = Math.max(maxLabel, fm.stringWidth(s));
    }
    if (label != null) {
      g.setFont(Style.LABEL);
      FontMetrics lm = g.getFontMetrics();
      AffineTransform saved = g.getTransform();
      double lx = sx + STRIP + TICK + 3 + maxLabel + 6 + lm.getAscent();
      g.translate(lx, y0 + h / 2.0 + lm.stringWidth(label) / 2.0);
      g.rotate(-Math.PI / 2);
      g.setColor(Style.TEXT);
      g.drawString(label, 0, 0);
      g.setTransform(saved);
    }
  }

  /** An extension triangle on the strip's end at {@code y}, pointing up ({@code dir} −1) or down (+1). */
  private static void triangle(Graphics2D g, int sx, int y, int dir, java.awt.Color fill) {
    java.awt.geom.Path2D.Double t = new java.awt.geom.Path2D.Double();
    t.moveTo(sx, y);
    t.lineTo(sx + STRIP, y);
    t.lineTo(sx + STRIP / 2.0, y + dir * TRIANGLE);
    t.closePath();
    g.setColor(fill);
    g.fill(t);
    g.setColor(Style.OUTLINE);
    g.draw(t);
  }

  /** Draws the bar beside a data area. */
  void draw(Graphics2D g, double x, Rectangle2D dataArea) {
    draw(g, x, dataArea.getMinY(), dataArea.getMaxY());
  }

  private double valueAt(double f) {
    double lo = scale.getLowerBound();
    double hi = scale.getUpperBound();
    return scale.isLog() ? Math.exp(Math.log(lo) + f * (Math.log(hi) - Math.log(lo))) : lo + f * (hi - lo);
  }

  private double fraction(double v) {
    double lo = scale.getLowerBound();
    double hi = scale.getUpperBound();
    return scale.isLog() ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
  }

  /** Round tick values inside the range. */
  List<Double> ticks() {
    double lo = scale.getLowerBound();
    double hi = scale.getUpperBound();
    List<Double> out = new ArrayList<>();
    if (scale.isLog()) {
      return NiceLogAxis.logTicks(lo, hi);
    }
    double step = niceStep((hi - lo) / 6);
    double start = Math.ceil(lo / step - 1e-9) * step;
    for (double v = start; v <= hi + step * 1e-9; v += step) {
      out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return out;
  }

  /** The smallest 1, 2, 2.5 or 5 times a power of ten at least {@code raw}. */
  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= raw * (1 - 1e-9)) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** Compact tick text: up to 4 significant digits, no trailing zeros, scientific when tiny or huge. */
  static String format(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      String s = String.format(Locale.ROOT, "%.2e", v);
      String[] p = s.split("e");
      String mant = p[0].replaceAll("\\.?0+$", "");
      int exp = Integer.parseInt(p[1]);
      return mant + "e" + exp;
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains("e")) {
      // 10⁴ ≤ |v| < 10⁵: the integer part alone has the four significant digits (not "64967.4951")
      s = String.format(Locale.ROOT, "%.0f", v);
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.equals("-0") ? "0" : s;
  }

}
