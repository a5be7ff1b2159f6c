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
 * on a log scale) and a rotated label. Drawn by hand rather than with JFreeChart's PaintScaleLegend so that it
 * can sit beside a row of panels, aligned with their data areas, and shade a log scale smoothly.
 */
final class ColourBar {

  /** Width a bar takes beside the panels, in pixels. */
  static final int WIDTH = 96;
  private static final int STRIP = 16;
  private static final int TICK = 4;

  final ColourScale scale;
  final String label;
  ColourBar(ColourScale scale, String label) {
    this.scale = scale;
    this.label = label;
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
      s = String.format(Locale.ROOT, "%.4f", v);
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.equals("-0") ? "0" : s;
  }

}
