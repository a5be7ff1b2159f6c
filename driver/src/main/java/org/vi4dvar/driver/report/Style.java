package org.vi4dvar.driver.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleInsets;

/** The figures' look: fonts, colours, strokes and the common styling of a panel. */
final class Style {

  static final String FAMILY = Font.SANS_SERIF;
  static final Font SUPTITLE = new Font(FAMILY, Font.BOLD, 18);
  static final Font TITLE = new Font(FAMILY, Font.BOLD, 15);
  static final Font LABEL = new Font(FAMILY, Font.PLAIN, 13);
  static final Font TICK = new Font(FAMILY, Font.PLAIN, 12);
  static final Font SMALL = new Font(FAMILY, Font.PLAIN, 12);

  static final Color TEXT = new Color(0x222222);
  static final Color GRID = new Color(0xDDDDDD);
  static final Color OUTLINE = new Color(0x888888);
  static final Color TRUTH = Color.BLACK;
  static final Color OBS = new Color(0x555555);
  static final Color THRESHOLD = new Color(0xC0392B);

  static final Stroke THIN = new BasicStroke(0.8f);
  static final Stroke LINE = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  static final Stroke THICK = new BasicStroke(2.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  static final Stroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
      new float[] {6f, 4f}, 0f);
  static final Stroke DASHED_THICK = new BasicStroke(2.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
      new float[] {7f, 4f}, 0f);
  static final Stroke DOTTED = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
      new float[] {0.5f, 4.5f}, 0f);

  /** Method colours (Okabe-Ito, colour-blind safe); others fall back to {@link #OTHER}. */
  private static final Map<String, Color> METHOD = Map.of(
      "prior", new Color(0xE69F00),
      "map", new Color(0xCC79A7),
      "abc", new Color(0x009E73),
      "ensemble", new Color(0xD55E00),
      "vi", new Color(0x0072B2));
  private static final Color OTHER = new Color(0x56B4E9);
  /**
   * Colours of methods this report does not know (added later: mcmc, map-is, …), in display order: the
   * Okabe-Ito colours the known ones leave, then darker Tableau ones.
   */
  private static final Color[] OTHERS = {OTHER, new Color(0x7F6000), new Color(0x332288), new Color(0x999933),
      new Color(0x882255), new Color(0x44AA99), new Color(0x666666)};

  /** A qualitative palette for series within one panel (restarts): Tableau 10. */
  static final Color[] SERIES = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
      new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
      new Color(0x9C755F), new Color(0xBAB0AC)};

  private Style() {
  }

  static Color method(String name) {
    return METHOD.getOrDefault(name, OTHER);
  }

  /** Whether {@code name} has a colour of its own. */
  static boolean isKnown(String name) {
    return METHOD.containsKey(name);
  }

  /** The colour of the k-th method without one of its own. */
  static Color other(int k) {
    return OTHERS[Math.floorMod(k, OTHERS.length)];
  }

  /**
   * One number format for a set of values shown together (a legend): fixed decimals, enough for four
   * significant digits of the largest magnitude, trailing zeros kept so that the numbers line up ("-73.00",
   * "-72.47"); scientific with three decimals when the largest is ≥ 10⁶ or below 10⁻³.
   */
  static java.util.function.DoubleFunction<String> numbers(double... values) {
    double max = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        max = Math.max(max, Math.abs(v));
      }
    }
    if (max >= 1e6 || (max > 0 && max < 1e-3)) {
      return v -> String.format(java.util.Locale.ROOT, "%.3e", v);
    }
    int decimals = max == 0 ? 0 : Math.max(0, Math.min(6, 3 - (int) Math.floor(Math.log10(max))));
    String f = "%." + decimals + "f";
    return v -> String.format(java.util.Locale.ROOT, f, v);
  }

  /** {@code c} with alpha {@code a} in [0, 1]. */
  static Color alpha(Color c, double a) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * a));
  }

  /** A lighter tint of {@code c} (mixed with white by {@code w}). */
  static Color tint(Color c, double w) {
    return new Color((int) Math.round(c.getRed() + (255 - c.getRed()) * w),
        (int) Math.round(c.getGreen() + (255 - c.getGreen()) * w),
        (int) Math.round(c.getBlue() + (255 - c.getBlue()) * w));
  }

  /** Applies the common look to a chart with an XY plot: white, light grid, fonts, title, no legend. */
  static JFreeChart panel(JFreeChart chart, String title) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.removeLegend();
    chart.setTextAntiAlias(true);
    chart.setPadding(new RectangleInsets(4, 4, 4, 8));
    if (title != null) {
      TextTitle t = new TextTitle(title, TITLE);
      t.setPaint(TEXT);
      t.setPadding(new RectangleInsets(2, 2, 6, 2));
      chart.setTitle(t);
    }
    if (chart.getPlot() instanceof XYPlot) {
      XYPlot p = chart.getXYPlot();
      p.setBackgroundPaint(Color.WHITE);
      p.setOutlinePaint(OUTLINE);
      p.setDomainGridlinePaint(GRID);
      p.setRangeGridlinePaint(GRID);
      p.setDomainGridlineStroke(THIN);
      p.setRangeGridlineStroke(THIN);
      p.setAxisOffset(RectangleInsets.ZERO_INSETS);
      p.setInsets(new RectangleInsets(2, 2, 2, 2));
      axis(p.getDomainAxis());
      axis(p.getRangeAxis());
    }
    return chart;
  }

  /** Fonts and colours of an axis. */
  static <A extends ValueAxis> A axis(A a) {
    if (a == null) {
      return null;
    }
    a.setLabelFont(LABEL);
    a.setTickLabelFont(TICK);
    a.setLabelPaint(TEXT);
    a.setTickLabelPaint(TEXT);
    a.setAxisLinePaint(OUTLINE);
    a.setTickMarkPaint(OUTLINE);
    return a;
  }

  /** A number axis with integer ticks (state and grid indices). */
  static NumberAxis indexAxis(String label) {
    NumberAxis a = axis(new NumberAxis(label));
    a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    a.setAutoRangeIncludesZero(false);
    return a;
  }

  /**
   * Marks the start of the forecast on a time axis: a dashed vertical line at {@code x} (explained by the
   * figure legend, {@link #forecastEntry}; a label inside the narrow forecast part would be cut).
   */
  static void forecastLine(XYPlot p, double x, Color colour) {
    p.addDomainMarker(new ValueMarker(x, colour, DASHED), Layer.FOREGROUND);
  }

  /** The legend entry of {@link #forecastLine}. */
  static PanelFigure.Entry forecastEntry(RunOutput run, Color colour) {
    return PanelFigure.Entry.line(colour, DASHED, "forecast starts (t = " + run.nAssim + ")");
  }
}
