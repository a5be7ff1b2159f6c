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
    for (double v : logTicks(getLowerBound(), getUpperBound())) {
      out.add(new NumberTick(TickType.MAJOR, v, ColourBar.format(v), anchor, TextAnchor.CENTER, 0.0));
    }
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
