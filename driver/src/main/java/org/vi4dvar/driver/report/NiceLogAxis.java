package org.vi4dvar.driver.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 log axis whose ticks sit at round values (decades, or 1-3 / 1-2-5 times a decade when the range is
 * short) with compact labels; JFreeChart's LogAxis puts them at 10^(k/5), labelled 15848.9319.
 */
final class NiceLogAxis extends LogAxis {

  private static final long serialVersionUID = 1L;

  NiceLogAxis(String label) {
    super(label);
    setBase(10);
    setSmallestValue(1e-300);
    setMinorTickMarksVisible(false);
    Style.axis(this);
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
    List<ValueTick> out = new ArrayList<>();
    boolean vertical = RectangleEdge.isLeftOrRight(edge);
    TextAnchor anchor = vertical ? (edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT)
        : (edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
    for (double v : tickValues()) {
      out.add(new NumberTick(TickType.MAJOR, v, ColourBar.format(v), anchor, TextAnchor.CENTER, 0.0));
    }
    return out;
  }

  /** Multipliers of a decade for the ends of a fitted range: round, and close enough to hug the data. */
  private static final double[] ENDS = {1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9};
  /** Ticks closer than this factor to a labelled end are dropped (their labels would overlap). */
  private static final double CROWDED = 1.12;

  /** The labelled ends of a fitted range, or null. */
  private double[] ends;

  /**
   * Sets the range to {@code [lo, hi]} (both {@code > 0}) rounded out to round values (1, 1.5, 2, 2.5, 3, 4 … 9
   * times a power of ten), with a small margin, and labels those two ends besides the round ticks inside: every
   * value drawn lies between two labelled ticks (a range cut between ticks leaves the largest values above the
   * last label).
   */
  void fit(double lo, double hi) {
    double[] r = niceRange(lo, hi);
    ends = r;
    setRange(r[0] / 1.03, r[1] * 1.03);
  }

  /** {@code [lo, hi]} rounded out to the multipliers {@link #ENDS} of a power of ten. */
  static double[] niceRange(double lo, double hi) {
    if (!(lo > 0) || !(hi >= lo) || !Double.isFinite(hi)) {
      return new double[] {1, 10};
    }
    double a = below(lo);
    double b = above(hi);
    if (!(b > a)) {
      b = above(a * 1.0001);
    }
    return new double[] {a, b};
  }

  /** The largest {@code m·10^e ≤ v}, m in {@link #ENDS}. */
  private static double below(double v) {
    int e = (int) Math.floor(Math.log10(v));
    for (int k = e; k >= e - 1; k--) {
      for (int i = ENDS.length - 1; i >= 0; i--) {
        double t = ENDS[i] * Math.pow(10, k);
        if (t <= v * (1 + 1e-12)) {
          return t;
        }
      }
    }
    return Math.pow(10, e - 1);
  }

  /** The smallest {@code m·10^e ≥ v}, m in {@link #ENDS}. */
  private static double above(double v) {
    int e = (int) Math.floor(Math.log10(v));
    for (int k = e; k <= e + 1; k++) {
      for (double m : ENDS) {
        double t = m * Math.pow(10, k);
        if (t >= v * (1 - 1e-12)) {
          return t;
        }
      }
    }
    return Math.pow(10, e + 2);
  }

  /** The tick values drawn: {@link #logTicks} of the range, plus the fitted ends (neighbours too close dropped). */
  List<Double> tickValues() {
    List<Double> t = logTicks(getLowerBound(), getUpperBound());
    if (ends == null) {
      return t;
    }
    List<Double> out = new ArrayList<>();
    for (double v : t) {
      boolean nearEnd = false;
      for (double e : ends) {
        nearEnd |= Math.abs(v / e - 1) > 1e-9 && Math.max(v / e, e / v) < CROWDED;
      }
      if (!nearEnd) {
        out.add(v);
      }
    }
    for (double e : ends) {
      if (e >= getLowerBound() && e <= getUpperBound() && out.stream().noneMatch(v -> Math.abs(v / e - 1) < 1e-9)) {
        out.add(e);
      }
    }
    out.sort(null);
    return out;
  }

  /** Round ticks in {@code [lo, hi]}, {@code lo > 0}: 1-3, 1-2-5 or 1..9 times decades, at most ~9. */
  static List<Double> logTicks(double lo, double hi) {
    List<Double> out = new ArrayList<>();
    if (!(lo > 0) || !(hi > lo)) {
      return out;
    }
    int e0 = (int) Math.floor(Math.log10(lo));
    int e1 = (int) Math.ceil(Math.log10(hi));
    int[][] sets = {{1}, {1, 3}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
    for (int[] mult : sets) {
      out.clear();
      for (int e = e0; e <= e1; e++) {
        for (int m : mult) {
          double v = m * Math.pow(10, e);
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
            out.add(v);
          }
        }
      }
      if (out.size() >= 4) {
        break;
      }
    }
    if (out.size() > 9) {
      List<Double> thin = new ArrayList<>();
      int step = (out.size() + 8) / 9;
      for (int i = 0; i < out.size(); i += step) {
        thin.add(out.get(i));
      }
      return thin;
    }
    return out;
  }
}
