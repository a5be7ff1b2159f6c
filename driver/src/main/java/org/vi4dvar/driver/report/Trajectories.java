package org.vi4dvar.driver.report;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Trajectories of one coordinate x_i over the window, one panel per method on a shared y axis: the truth, the
 * MAP solution, the observations brought back to the state's scale, and the method's fan — median, 50 % and
 * 90 % central bands from the quantile files, and a few sampled trajectories.
 */
final class Trajectories {

  static final int PANEL_HEIGHT = 340;
  /** Sampled trajectories drawn per panel at most. */
  static final int MAX_SAMPLES = 30;

  private static final Shape DIAMOND = diamond(4.5);
  private static final Color FORECAST = new Color(0x444444);
  private static final Shape DOT = new Ellipse2D.Double(-3.5, -3.5, 7, 7);

  private Trajectories() {
  }

  /** Width of each of {@code n} panels. */
  static int panelWidth(int n) {
    return Math.max(240, Math.min(340, 1340 / Math.max(1, n)));
  }

  /** trajectory_x&lt;i&gt;.png, or null if no method has anything to draw for it. */
  static Figure of(RunOutput run, int i) {
    List<MethodOutput> cols = new ArrayList<>();
    boolean usesMean = false;
    for (MethodOutput m : run.withPrior()) {
      if (!m.quantiles.isEmpty() || m.samples != null || m.mean != null) {
        cols.add(m);
        if (!m.hasFan()) {
          List<String> missing = new ArrayList<>();
          for (int q : MethodOutput.PERCENTILES) {
            if (m.quantile(q) == null) {
              missing.add(String.format(Locale.ROOT, "q%02d.csv", q));
            }
          }
          run.notes.add("trajectory figures: " + m.label() + " has no usable " + String.join(", ", missing)
              + (m.quantile(50) == null ? ": its bands are incomplete and the mean is drawn dashed instead of the"
                  + " median" : ": its bands are incomplete"));
          usesMean |= m.quantile(50) == null && m.mean != null;
        }
      }
    }
    if (cols.isEmpty() && run.truth == null) {
      return null;
    }
    final int nStates = run.nStates;
    MethodOutput map = run.method("map");
    Grid solution = map == null ? null : map.solution;
    Observations obs = observations(run, i);

    Range yr = new Range();
    if (run.truth != null) {
      yr.add(run.truth.column(i));
    }
    if (solution != null) {
      yr.add(solution.column(i));
    }
    yr.add(obs.values());
    for (MethodOutput m : cols) {
      for (Grid q : m.quantiles.values()) {
        yr.add(q.column(i));
      }
      if (m.mean != null) {
        yr.add(m.mean.column(i));
      }
      if (m.samples != null) {
        for (int s = 0; s < Math.min(MAX_SAMPLES, m.samples.rows); s++) {
          for (int t = 0; t < nStates; t++) {
            yr.add(m.samples.get(s, t * run.nx + i));
          }
        }
      }
    }
    if (!yr.any()) {
      return null;
    }
    double pad = 0.06 * Math.max(yr.hi - yr.lo, 1e-9);

    List<PanelFigure.Cell> cells = new ArrayList<>();
    int w = panelWidth(Math.max(1, cols.size()));
    if (cols.isEmpty()) {
      cells.add(new PanelFigure.Cell(panel(run, "truth and observations", null, i, solution, obs,
          yr.lo - pad, yr.hi + pad), w));
    }
    for (MethodOutput m : cols) {
      cells.add(new PanelFigure.Cell(panel(run, m.label(), m, i, solution, obs, yr.lo - pad, yr.hi + pad), w));
    }

    Color grey = new Color(0x666666);
    List<PanelFigure.Entry> legend = new ArrayList<>();
    if (run.truth != null) {
      legend.add(PanelFigure.Entry.line(Style.TRUTH, Style.THICK, "truth"));
    }
    if (solution != null) {
      legend.add(PanelFigure.Entry.line(Style.TRUTH, Style.DOTTED, "MAP solution (4D-Var)"));
    }
    legend.add(PanelFigure.Entry.line(grey, Style.THICK, "median"));
    if (usesMean) {
      legend.add(PanelFigure.Entry.line(grey, Style.DASHED_THICK, "mean (no median file)"));
    }
    legend.add(PanelFigure.Entry.band(Style.tint(grey, 0.45), "50 % band"));
    legend.add(PanelFigure.Entry.band(Style.tint(grey, 0.78), "90 % band"));
    legend.add(PanelFigure.Entry.line(Style.alpha(grey, 0.5), Style.THIN, "sampled trajectories"));
    if (obs.count > 0) {
      legend.add(PanelFigure.Entry.marker(Style.OBS, obs.shape, obs.legend));
    }
    if (run.nAssim < run.nStates) {
      legend.add(Style.forecastEntry(run, FORECAST));
    }
    String sub = subscript(i);
    PanelFigure f = new PanelFigure("Trajectory of x" + sub + " (grid point " + i + ")")
        .row(cells, PANEL_HEIGHT, null).legend(legend);
    String caption = "x" + sub + " over the window per method: median, 50 % and 90 % central bands"
        + samplesCaption(cols) + ", with the truth and the MAP solution; " + obs.caption
        + " The dashed line starts the forecast.";
    return new Figure(String.format(Locale.ROOT, "trajectory_x%d.png", i), Figure.Section.TRAJECTORIES,
        "Trajectory of x" + sub, caption, f.render(), Figure.labels(cols));
  }

  /**
   * What the caption says of the sampled trajectories: the number actually drawn per panel, e.g.
   * " and 20 sampled trajectories per panel", or per method when they differ.
   */
  static String samplesCaption(List<MethodOutput> cols) {
    java.util.Map<Integer, List<String>> byCount = new java.util.TreeMap<>(java.util.Collections.reverseOrder());
    for (MethodOutput m : cols) {
      int n = drawn(m);
      byCount.computeIfAbsent(n, k -> new ArrayList<>()).add(m.label());
    }
    if (byCount.isEmpty() || byCount.keySet().equals(java.util.Set.of(0))) {
      return " (no sampled trajectories: no samples.csv)";
    }
    if (byCount.size() == 1) {
      int n = byCount.keySet().iterator().next();
      return " and " + n + " sampled " + (n == 1 ? "trajectory" : "trajectories") + " per panel";
    }
    List<String> parts = new ArrayList<>();
    for (java.util.Map.Entry<Integer, List<String>> e : byCount.entrySet()) {
      parts.add(e.getKey() + " for " + String.join(", ", e.getValue()));
    }
    return " and sampled trajectories (" + String.join("; ", parts) + ")";
  }

  /** Sampled trajectories drawn in a method's panel. */
  static int drawn(MethodOutput m) {
    return m.samples == null ? 0 : Math.min(MAX_SAMPLES, m.samples.rows);
  }

  private static JFreeChart panel(RunOutput run, String title, MethodOutput m, int i, Grid solution,
      Observations obs, double lo, double hi) {
    final int nStates = run.nStates;
    NumberAxis xa = Style.indexAxis("time step t");
    xa.setRange(-0.3, nStates - 0.7);
    NumberAxis ya = Style.axis(new NumberAxis("x" + subscript(i)));
    ya.setRange(lo, hi);
    XYPlot p = new XYPlot();
    p.setDomainAxis(xa);
    p.setRangeAxis(ya);
    p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    int d = 0;
    Color c = m == null ? Color.GRAY : m.colour;

    if (m != null) {
      d = band(p, d, m, 5, 95, i, Style.tint(c, 0.78));
      d = band(p, d, m, 25, 75, i, Style.tint(c, 0.45));
    }
    if (m != null && m.samples != null) {
      XYSeriesCollection ss = new XYSeriesCollection();
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
      int n = Math.min(MAX_SAMPLES, m.samples.rows);
      for (int s = 0; s < n; s++) {
        XYSeries se = new XYSeries("sample " + s, false, true);
        for (int t = 0; t < nStates; t++) {
          se.add(t, m.samples.get(s, t * run.nx + i));
        }
        ss.addSeries(se);
        r.setSeriesPaint(s, Style.alpha(c.darker(), 0.35));
        r.setSeriesStroke(s, Style.THIN);
      }
      p.setDataset(d, ss);
      p.setRenderer(d++, r);
    }
    Grid centre = m == null ? null : m.quantile(50) != null ? m.quantile(50) : m.mean;
    if (centre != null) {
      p.setDataset(d, line("centre", centre, i));
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
      r.setSeriesPaint(0, c);
      r.setSeriesStroke(0, centre == m.mean ? Style.DASHED_THICK : Style.THICK);
      p.setRenderer(d++, r);
    }
    if (run.truth != null) {
      p.setDataset(d, line("truth", run.truth, i));
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
      r.setSeriesPaint(0, Style.TRUTH);
      r.setSeriesStroke(0, Style.THICK);
      p.setRenderer(d++, r);
    }
    if (solution != null) {
      p.setDataset(d, line("MAP", solution, i));
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
      r.setSeriesPaint(0, Style.TRUTH);
      r.setSeriesStroke(0, Style.DOTTED);
      p.setRenderer(d++, r);
    }
    if (obs.count > 0) {
      p.setDataset(d, obs.series);
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
      for (int s = 0; s < obs.series.getSeriesCount(); s++) {
        r.setSeriesShape(s, obs.shape);
        r.setSeriesPaint(s, Style.OBS);
        r.setSeriesOutlinePaint(s, Color.WHITE);
      }
      r.setUseOutlinePaint(true);
      r.setDrawOutlines(true);
      p.setRenderer(d++, r);
    }
    JFreeChart chart = Style.panel(new JFreeChart(null, Style.TITLE, p, false), title);
    if (run.nAssim < nStates) {
      Style.forecastLine(p, run.nAssim - 0.5, FORECAST);
    }
    return chart;
  }

  /** A central band between two quantile files, if both are present; returns the next dataset index. */
  private static int band(XYPlot p, int d, MethodOutput m, int lo, int hi, int i, Color fill) {
    Grid a = m.quantile(lo);
    Grid b = m.quantile(hi);
    if (a == null || b == null) {
      return d;
    }
    YIntervalSeries s = new YIntervalSeries(lo + "-" + hi);
    for (int t = 0; t < a.rows; t++) {
      s.add(t, 0.5 * (a.get(t, i) + b.get(t, i)), a.get(t, i), b.get(t, i));
    }
    YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
    ds.addSeries(s);
    DeviationRenderer r = new DeviationRenderer(false, false);
    r.setAlpha(1.0f);
    r.setSeriesFillPaint(0, fill);
    p.setDataset(d, ds);
    p.setRenderer(d, r);
    return d + 1;
  }

  private static XYSeriesCollection line(String name, Grid g, int i) {
    XYSeries s = new XYSeries(name, false, true);
    for (int t = 0; t < g.rows; t++) {
      s.add(t, g.get(t, i));
    }
    return new XYSeriesCollection(s);
  }

  /** The observations of the point (or pooled block) holding x_i, mapped back through h⁻¹ where it exists. */
  private static Observations observations(RunOutput run, int i) {
    Observations o = new Observations();
    if (run.obs == null) {
      o.caption = "no observations were found.";
      return o;
    }
    if (run.nonlinearity == null) {
      o.caption = "the observation operator is unknown (no obs.nonlinearity in summary.json), so the "
          + "observations are not drawn.";
      run.notes.add("trajectory figures: obs.nonlinearity is not in summary.json's config; observations left out");
      return o;
    }
    int j = i / Math.max(1, run.pooling);
    String what = run.pooling > 1
        ? "the observation of block " + j + " (the mean x̄ of " + run.pooling + " grid points, not x_i itself)"
        : "the observation of x_i";
    XYSeries plus = new XYSeries("obs+", false, true);
    XYSeries minus = new XYSeries("obs−", false, true);
    int clippedAtZero = 0;
    for (int t = 0; t < run.nStates; t++) {
      double y = run.obs.get(t, j);
      if (!Double.isFinite(y)) {
        continue;
      }
      switch (run.nonlinearity) {
        case "identity":
          plus.add(t, y);
          break;
        case "square":
          if (y < 0) {
            clippedAtZero++;
          }
          double r = Math.sqrt(Math.max(0, y));
          plus.add(t, r);
          minus.add(t, -r);
          break;
        case "cube":
          plus.add(t, Math.cbrt(y));
          break;
        case "tanh":
          if (Math.abs(y) < 1) {
            plus.add(t, 0.5 * Math.log((1 + y) / (1 - y)));
          } else {
            continue;
          }
          break;
        default:
          break;
      }
      o.count++;
    }
    o.series.addSeries(plus);
    if (minus.getItemCount() > 0) {
      o.series.addSeries(minus);
    }
    switch (run.nonlinearity) {
      case "square":
        o.shape = DIAMOND;
        o.legend = "±√y (observation of " + (run.pooling > 1 ? "x̄²" : "x²") + ", both signs)";
        o.caption = "diamonds are " + what + ", y = x² + ε, drawn at ±√y since y does not tell the sign"
            + (clippedAtZero > 0 ? " (" + clippedAtZero + " negative y drawn at 0)." : ".");
        break;
      case "identity":
        o.legend = "observation y";
        o.caption = "dots are " + what + ".";
        break;
      case "cube":
        o.legend = "∛y (observation of x³)";
        o.caption = "dots are " + what + ", y = x³ + ε, drawn at ∛y.";
        break;
      case "tanh":
        o.legend = "atanh y (observation of tanh x)";
        o.caption = "dots are " + what + ", y = tanh x + ε, drawn at atanh y (|y| ≥ 1 left out).";
        break;
      default:
        o.count = 0;
        o.caption = "the observation operator '" + run.nonlinearity + "' has no inverse here: observations are"
            + " not drawn.";
        return o;
    }
    if (o.count == 0) {
      o.caption = "x" + subscript(i) + (run.pooling > 1 ? "'s block" : "") + " is never observed.";
    }
    return o;
  }

  /** Observations in state units for one coordinate. */
  private static final class Observations {
    final XYSeriesCollection series = new XYSeriesCollection();
    int count;
    Shape shape = DOT;
    String legend = "observation";
    String caption;

    double[] values() {
      List<Double> v = new ArrayList<>();
      for (int s = 0; s < series.getSeriesCount(); s++) {
        for (int k = 0; k < series.getItemCount(s); k++) {
          v.add(series.getYValue(s, k));
        }
      }
      return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  /** {@code 7} as subscript digits ({@code ₇}). */
  static String subscript(int i) {
    StringBuilder b = new StringBuilder();
    for (char ch : Integer.toString(i).toCharArray()) {
      b.append((char) ('₀' + (ch - '0')));
    }
    return b.toString();
  }

  private static Shape diamond(double r) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(0, -r);
    p.lineTo(r, 0);
    p.lineTo(0, r);
    p.lineTo(-r, 0);
    p.closePath();
    return p;
  }
}
