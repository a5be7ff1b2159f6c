package org.vi4dvar.driver.report;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The optimisation views: the VI ELBO traces per restart, the ensemble members' costs per iteration, the ABC
 * histogram of the prior trials' distances with the acceptance threshold, and the MAP starts' final costs.
 */
final class Optimisation {

  static final int HEIGHT = 400;
  /** Ensemble members drawn at most (all enter the median). */
  static final int MAX_MEMBERS = 300;

  private Optimisation() {
  }

  /** opt_vi_elbo.png, or null. */
  static Figure vi(RunOutput run) {
    MethodOutput m = run.method("vi");
    if (m == null || !m.hasFolder) {
      return null;
    }
    if (m.elboTrace == null || m.elboTrace.rows == 0) {
      run.notes.add("opt_vi_elbo.png: vi/elbo_trace.csv is missing or empty: not drawn");
      return null;
    }
    Grid tr = m.elboTrace;
    int nr = tr.cols;
    double[] finalElbo = column(run, m.restarts, "final_elbo", nr);
    double[] stderr = column(run, m.restarts, "elbo_stderr", nr);
    boolean[] diverged = m.restarts != null && m.restarts.has("diverged") ? m.restarts.flags("diverged")
        : new boolean[nr];
    Double bestD = JsonReader.number(m.summary, "best_restart");
    int best = bestD != null ? bestD.intValue() : argmax(finalElbo);

    int win = Math.max(1, tr.rows / 50);
    XYSeriesCollection raw = new XYSeriesCollection();
    XYSeriesCollection smooth = new XYSeriesCollection();
    XYLineAndShapeRenderer rr = new XYLineAndShapeRenderer(true, false);
    XYLineAndShapeRenderer sr = new XYLineAndShapeRenderer(true, false);
    Range yr = new Range();
    List<Double> settled = new ArrayList<>();
    List<PanelFigure.Entry> legend = new ArrayList<>();
    for (int r = 0; r < nr; r++) {
      double[] y = tr.column(r);
      double[] s = movingAverage(y, win);
      XYSeries a = new XYSeries("raw " + r, false, true);
      XYSeries b = new XYSeries("restart " + r, false, true);
      for (int k = 0; k < y.length; k++) {
        if (Double.isFinite(y[k])) {
          a.add(k, y[k]);
        }
        if (Double.isFinite(s[k])) {
          b.add(k, s[k]);
          yr.add(s[k]);
          if (k >= y.length / 20) {
            settled.add(s[k]);
          }
        }
      }
      raw.addSeries(a);
      smooth.addSeries(b);
      boolean div = r < diverged.length && diverged[r];
      Color c = div ? Color.GRAY : Style.SERIES[r % Style.SERIES.length];
      rr.setSeriesPaint(r, Style.alpha(c, 0.18));
      rr.setSeriesStroke(r, Style.THIN);
      sr.setSeriesPaint(r, c);
      sr.setSeriesStroke(r, div ? Style.DASHED : r == best ? Style.THICK : Style.LINE);
      String fe = r < finalElbo.length && Double.isFinite(finalElbo[r]) ? ", final " + ColourBar.format(finalElbo[r])
          : "";
      legend.add(PanelFigure.Entry.line(c, div ? Style.DASHED : r == best ? Style.THICK : Style.LINE,
          "restart " + r + fe + (r == best ? " (best)" : "") + (div ? " (diverged)" : "")));
    }
    XYPlot p = new XYPlot();
    p.setDomainAxis(Style.indexAxis("iteration"));
    NumberAxis ya = Style.axis(new NumberAxis("ELBO (higher is better)"));
    ya.setAutoRangeIncludesZero(false);
    if (!settled.isEmpty()) {
      double[] v = settled.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double lo = v[(int) Math.floor(0.02 * (v.length - 1))];
      double hi = v[v.length - 1];
      for (int r = 0; r < nr; r++) {
        if (r < finalElbo.length && Double.isFinite(finalElbo[r])) {
          hi = Math.max(hi, finalElbo[r]);
        }
      }
      double pad = 0.08 * Math.max(hi - lo, 1e-9);
      ya.setRange(lo - pad, hi + pad);
    }
    p.setRangeAxis(ya);
    p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    p.setDataset(0, raw);
    p.setRenderer(0, rr);
    p.setDataset(1, smooth);
    p.setRenderer(1, sr);
    JFreeChart trace = Style.panel(new JFreeChart(null, Style.TITLE, p, false), "ELBO per iteration");

    List<PanelFigure.Cell> cells = new ArrayList<>();
    cells.add(new PanelFigure.Cell(trace, 880));
    if (finite(finalElbo) > 0) {
      cells.add(new PanelFigure.Cell(finalElboPanel(finalElbo, stderr, diverged, best), 360));
    }
    PanelFigure f = new PanelFigure("VI-4D-Var optimisation").row(cells, HEIGHT, null).legend(legend);
    return new Figure("opt_vi_elbo.png", Figure.Section.OPTIMISATION, "VI-4D-Var ELBO traces",
        "Single-sample ELBO estimate per Adam iteration for each restart (faint) and its moving average over "
            + win + " iterations (bold), the y axis fitted to the averages after the first iterations; right: "
            + "the final ELBO of each restart ± its standard error.", f.render());
  }

  private static JFreeChart finalElboPanel(double[] fe, double[] se, boolean[] diverged, int best) {
    YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawXError(false);
    r.setDefaultLinesVisible(false);
    r.setErrorPaint(Style.TEXT);
    for (int k = 0; k < fe.length; k++) {
      YIntervalSeries s = new YIntervalSeries("restart " + k);
      if (Double.isFinite(fe[k])) {
        double e = k < se.length && Double.isFinite(se[k]) ? se[k] : 0;
        s.add(k, fe[k], fe[k] - e, fe[k] + e);
      }
      ds.addSeries(s);
      boolean div = k < diverged.length && diverged[k];
      r.setSeriesPaint(k, div ? Color.GRAY : Style.SERIES[k % Style.SERIES.length]);
      double d = k == best ? 12 : 8;
      r.setSeriesShape(k, new Ellipse2D.Double(-d / 2, -d / 2, d, d));
      r.setSeriesShapesVisible(k, true);
    }
    NumberAxis xa = Style.indexAxis("restart");
    xa.setRange(-0.6, fe.length - 0.4);
    NumberAxis ya = Style.axis(new NumberAxis("final ELBO"));
    ya.setAutoRangeIncludesZero(false);
    XYPlot p = new XYPlot(ds, xa, ya, r);
    return Style.panel(new JFreeChart(null, Style.TITLE, p, false), "Final ELBO per restart");
  }

  /** opt_ensemble_costs.png, or null. */
  static Figure ensemble(RunOutput run) {
    MethodOutput m = run.method("ensemble");
    if (m == null || !m.hasFolder) {
      return null;
    }
    if (m.costTrace == null || m.costTrace.rows == 0) {
      run.notes.add("opt_ensemble_costs.png: ensemble/cost_trace.csv is missing or empty: not drawn");
      return null;
    }
    Grid tr = m.costTrace;
    boolean[] conv = m.members != null && m.members.has("converged") ? m.members.flags("converged") : null;
    Color c = Style.method("ensemble");
    XYSeriesCollection lines = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    int drawn = Math.min(MAX_MEMBERS, tr.cols);
    int notConverged = 0;
    Range yr = new Range();
    for (int k = 0; k < drawn; k++) {
      XYSeries s = new XYSeries("member " + k, false, true);
      for (int it = 0; it < tr.rows; it++) {
        double v = tr.get(it, k);
        if (v > 0 && Double.isFinite(v)) {
          s.add(it, v);
          yr.add(v);
        }
      }
      lines.addSeries(s);
      boolean ok = conv == null || (k < conv.length && conv[k]);
      if (!ok) {
        notConverged++;
      }
      r.setSeriesPaint(k, ok ? Style.alpha(c, 0.28) : Style.alpha(Color.DARK_GRAY, 0.55));
      r.setSeriesStroke(k, Style.THIN);
    }
    // median over members, a stopped member counting at its last cost
    XYSeries med = new XYSeries("median", false, true);
    double[] last = new double[tr.cols];
    Arrays.fill(last, Double.NaN);
    for (int it = 0; it < tr.rows; it++) {
      for (int k = 0; k < tr.cols; k++) {
        double v = tr.get(it, k);
        if (Double.isFinite(v)) {
          last[k] = v;
        }
      }
      double q = median(last);
      if (q > 0) {
        med.add(it, q);
      }
    }
    if (!yr.any()) {
      run.notes.add("opt_ensemble_costs.png: no positive cost in ensemble/cost_trace.csv: not drawn");
      return null;
    }
    XYPlot p = new XYPlot();
    p.setDomainAxis(Style.indexAxis("iteration"));
    LogAxis ya = logAxis("cost J (log scale)");
    Double truthJ = JsonReader.number(run.summary, "data", "cost_at_truth");
    Double mapJ = JsonReader.number(run.summary, "methods", "map", "best_cost");
    if (truthJ != null && truthJ > 0) {
      yr.add(truthJ);
    }
    if (mapJ != null && mapJ > 0) {
      yr.add(mapJ);
    }
    ya.setRange(yr.lo / 1.3, yr.hi * 1.3);
    p.setRangeAxis(ya);
    p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    p.setDataset(0, lines);
    p.setRenderer(0, r);
    p.setDataset(1, new XYSeriesCollection(med));
    XYLineAndShapeRenderer mr = new XYLineAndShapeRenderer(true, false);
    mr.setSeriesPaint(0, c.darker().darker());
    mr.setSeriesStroke(0, Style.THICK);
    p.setRenderer(1, mr);
    List<PanelFigure.Entry> legend = new ArrayList<>();
    legend.add(PanelFigure.Entry.line(Style.alpha(c, 0.6), Style.LINE, "member (converged)"));
    if (notConverged > 0) {
      legend.add(PanelFigure.Entry.line(Style.alpha(Color.DARK_GRAY, 0.7), Style.LINE, "member (not converged)"));
    }
    legend.add(PanelFigure.Entry.line(c.darker().darker(), Style.THICK, "median over members"));
    if (truthJ != null && truthJ > 0) {
      hline(p, truthJ, Style.DASHED);
      legend.add(PanelFigure.Entry.line(Color.BLACK, Style.DASHED, "J at the truth = " + ColourBar.format(truthJ)));
    }
    if (mapJ != null && mapJ > 0) {
      hline(p, mapJ, Style.DOTTED);
      legend.add(PanelFigure.Entry.line(Color.BLACK, Style.DOTTED, "best MAP minimum = " + ColourBar.format(mapJ)));
    }
    JFreeChart chart = Style.panel(new JFreeChart(null, Style.TITLE, p, false),
        "Cost of each member per L-BFGS iteration");
    PanelFigure f = new PanelFigure("Ensemble of 4D-Var optimisation")
        .row(List.of(new PanelFigure.Cell(chart, 1000)), HEIGHT + 40, null).legend(legend);
    return new Figure("opt_ensemble_costs.png", Figure.Section.OPTIMISATION, "Ensemble member costs",
        "Cost of each of " + tr.cols + " members per iteration (log scale"
            + (drawn < tr.cols ? "; the first " + drawn + " drawn" : "") + "); each member minimises its own "
            + "perturbed cost, the bold line is the median (a stopped member counts at its last cost).",
        f.render());
  }

  /** opt_abc_distances.png, or null. */
  static Figure abc(RunOutput run) {
    MethodOutput m = run.method("abc");
    if (m == null || !m.hasFolder) {
      return null;
    }
    if (m.distanceHistogram == null || m.distanceHistogram.size() == 0) {
      run.notes.add("opt_abc_distances.png: abc/distance_histogram.csv is missing or empty: not drawn");
      return null;
    }
    double[] lower;
    double[] upper;
    double[] count;
    try {
      lower = m.distanceHistogram.numbers("lower");
      upper = m.distanceHistogram.numbers("upper");
      count = m.distanceHistogram.numbers("count");
    } catch (IOException e) {
      run.notes.add("opt_abc_distances.png: " + e.getMessage() + ": not drawn");
      return null;
    }
    Color c = Style.method("abc");
    Double threshold = JsonReader.number(m.summary, "threshold");
    Object dist = JsonReader.at(m.summary, "distance");
    String distance = dist instanceof String ? (String) dist : null;
    String dName = "full".equals(distance) ? "distance J = Jb + Jo" : "observation".equals(distance)
        ? "distance Jo (fit to the observations)" : "distance";

    XYIntervalSeries s = new XYIntervalSeries("trials");
    Range xr = new Range();
    double total = 0;
    for (int k = 0; k < lower.length; k++) {
      if (lower[k] > 0 && upper[k] > lower[k] && count[k] >= 0) {
        s.add(Math.sqrt(lower[k] * upper[k]), lower[k], upper[k], count[k], 0, count[k]);
        xr.add(lower[k]).add(upper[k]);
        total += count[k];
      }
    }
    if (!xr.any()) {
      run.notes.add("opt_abc_distances.png: no positive bin in abc/distance_histogram.csv: not drawn");
      return null;
    }
    XYIntervalSeriesCollection ds = new XYIntervalSeriesCollection();
    ds.addSeries(s);
    LogAxis xa = logAxis(dName + ", log scale");
    double xlo = xr.lo;
    double xhi = xr.hi;
    if (threshold != null && threshold > 0) {
      xlo = Math.min(xlo, threshold);
      xhi = Math.max(xhi, threshold);
    }
    xa.setRange(xlo / 1.15, xhi * 1.15);
    NumberAxis ya = Style.axis(new NumberAxis("prior trials per bin"));
    XYPlot p = new XYPlot(ds, xa, ya, bars(c));
    List<PanelFigure.Entry> legend = new ArrayList<>();
    legend.add(PanelFigure.Entry.band(c, "prior trials x₀ ~ N(x_b, B)"));
    if (threshold != null) {
      vline(p, threshold, "threshold " + ColourBar.format(threshold), true);
      legend.add(PanelFigure.Entry.line(Style.THRESHOLD, Style.DASHED, "acceptance threshold"));
    }
    // the histogram covers the statistics subsample (the first trials, evaluated in full), not every trial
    Double trials = JsonReader.number(m.summary, "counts", "trials");
    Double statsTrials = JsonReader.number(m.summary, "statistics_trials");
    boolean subsample = trials != null && statsTrials != null && statsTrials < trials;
    String covered = subsample
        ? "The first " + String.format(java.util.Locale.ROOT, "%,.0f", statsTrials) + " of "
            + String.format(java.util.Locale.ROOT, "%,.0f", trials) + " prior trials"
        : "All " + String.format(java.util.Locale.ROOT, "%,.0f", total) + " prior trials";
    JFreeChart all = Style.panel(new JFreeChart(null, Style.TITLE, p, false), covered);
    List<PanelFigure.Cell> cells = new ArrayList<>();
    cells.add(new PanelFigure.Cell(all, 680));

    double[] kept = null;
    if (m.kept != null) {
      try {
        kept = m.kept.numbers("distance");
      } catch (IOException e) {
        run.notes.add("opt_abc_distances.png: " + e.getMessage() + ": kept trials not drawn");
      }
    }
    if (kept != null && finite(kept) > 0) {
      cells.add(new PanelFigure.Cell(keptPanel(kept, threshold, dName, c.darker()), 520));
    }
    Double accepted = JsonReader.number(m.summary, "accepted");
    PanelFigure f = new PanelFigure("ABC rejection sampling").row(cells, HEIGHT, null).legend(legend);
    return new Figure("opt_abc_distances.png", Figure.Section.OPTIMISATION, "ABC distances",
        "Histogram of the " + dName + " of " + (subsample ? "the first prior trials (a deterministic subsample "
            + "evaluated in full; early rejection never completes the others)" : "every prior trial")
            + " (log-spaced bins, log x) with the acceptance threshold" + (accepted != null ? " (" + ColourBar.format(accepted) + " trials kept)" : "")
            + (cells.size() > 1 ? "; right: the kept trials' distances" : "") + ".", f.render());
  }

  private static JFreeChart keptPanel(double[] kept, Double threshold, String dName, Color c) {
    Range r = new Range().add(kept);
    int nb = Math.max(5, Math.min(30, (int) Math.ceil(Math.sqrt(finite(kept)))));
    double lo = r.lo;
    double hi = r.hi > r.lo ? r.hi : r.lo + 1;
    double wdt = (hi - lo) / nb;
    double[] n = new double[nb];
    for (double v : kept) {
      if (Double.isFinite(v)) {
        n[Math.min(nb - 1, (int) ((v - lo) / wdt))]++;
      }
    }
    XYIntervalSeries s = new XYIntervalSeries("kept");
    for (int k = 0; k < nb; k++) {
      double a = lo + k * wdt;
      s.add(a + wdt / 2, a, a + wdt, n[k], 0, n[k]);
    }
    XYIntervalSeriesCollection ds = new XYIntervalSeriesCollection();
    ds.addSeries(s);
    NumberAxis xa = Style.axis(new NumberAxis(dName));
    xa.setAutoRangeIncludesZero(false);
    NumberAxis ya = Style.axis(new NumberAxis("kept trials per bin"));
    ya.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot p = new XYPlot(ds, xa, ya, bars(c));
    if (threshold != null && threshold <= hi * 1.5) {
      vline(p, threshold, "threshold", false);
      xa.setRange(lo - wdt, Math.max(hi, threshold) + wdt);
    }
    return Style.panel(new JFreeChart(null, Style.TITLE, p, false), "The " + finite(kept) + " kept trials");
  }

  /** opt_map_starts.png, or null. */
  static Figure map(RunOutput run) {
    MethodOutput m = run.method("map");
    if (m == null || !m.hasFolder) {
      return null;
    }
    if (m.starts == null || m.starts.size() == 0) {
      run.notes.add("opt_map_starts.png: map/starts.csv is missing or empty: not drawn");
      return null;
    }
    double[] cost;
    try {
      cost = m.starts.numbers("final_cost");
    } catch (IOException e) {
      run.notes.add("opt_map_starts.png: " + e.getMessage() + ": not drawn");
      return null;
    }
    Map<String, XYSeries> bySource = new LinkedHashMap<>();
    Range yr = new Range();
    for (int k = 0; k < cost.length; k++) {
      if (!(cost[k] > 0)) {
        continue;
      }
      String src = m.starts.text(k, "source");
      String key = src.isEmpty() ? "start" : "from " + src;
      bySource.computeIfAbsent(key, x -> new XYSeries(x, false, true)).add(k, cost[k]);
      yr.add(cost[k]);
    }
    if (!yr.any()) {
      run.notes.add("opt_map_starts.png: no positive final_cost in map/starts.csv: not drawn");
      return null;
    }
    XYSeriesCollection ds = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    List<PanelFigure.Entry> legend = new ArrayList<>();
    int k = 0;
    for (XYSeries s : bySource.values()) {
      ds.addSeries(s);
      Color c = Style.SERIES[k % Style.SERIES.length];
      r.setSeriesPaint(k, c);
      r.setSeriesShape(k, new Ellipse2D.Double(-5, -5, 10, 10));
      legend.add(PanelFigure.Entry.marker(c, new Ellipse2D.Double(-5, -5, 10, 10), (String) s.getKey()));
      k++;
    }
    Double truthJ = JsonReader.number(run.summary, "data", "cost_at_truth");
    if (truthJ != null && truthJ > 0) {
      yr.add(truthJ);
    }
    NumberAxis xa = Style.indexAxis("start");
    xa.setRange(-0.6, cost.length - 0.4);
    LogAxis ya = logAxis("final cost J (log scale)");
    ya.setRange(yr.lo / 1.5, yr.hi * 1.5);
    XYPlot p = new XYPlot(ds, xa, ya, r);
    if (truthJ != null && truthJ > 0) {
      hline(p, truthJ, Style.DASHED);
      legend.add(PanelFigure.Entry.line(Color.BLACK, Style.DASHED, "J at the truth = " + ColourBar.format(truthJ)));
    }
    Double minima = JsonReader.number(m.summary, "distinct_minima");
    JFreeChart chart = Style.panel(new JFreeChart(null, Style.TITLE, p, false), "Final cost of each start");
    PanelFigure f = new PanelFigure("MAP (4D-Var) starts").row(List.of(new PanelFigure.Cell(chart, 760)),
        HEIGHT - 40, null).legend(legend);
    return new Figure("opt_map_starts.png", Figure.Section.OPTIMISATION, "MAP starts",
        "The cost J at the end of each L-BFGS minimisation (log scale)"
            + (minima != null ? ", " + ColourBar.format(minima) + " distinct minima" : "")
            + ": several minima mean a multimodal posterior.", f.render());
  }

  private static XYBarRenderer bars(Color c) {
    XYBarRenderer r = new XYBarRenderer(0.0);
    r.setBarPainter(new StandardXYBarPainter());
    r.setShadowVisible(false);
    r.setDrawBarOutline(true);
    r.setSeriesOutlinePaint(0, Color.WHITE);
    r.setSeriesOutlineStroke(0, Style.THIN);
    r.setSeriesPaint(0, c);
    r.setUseYInterval(true);
    return r;
  }

  static LogAxis logAxis(String label) {
    return new NiceLogAxis(label);
  }

  private static void hline(XYPlot p, double y, java.awt.Stroke stroke) {
    p.addRangeMarker(new ValueMarker(y, Color.BLACK, stroke), Layer.FOREGROUND);
  }

  /** The threshold line, labelled to its right ({@code right}) or its left. */
  private static void vline(XYPlot p, double x, String label, boolean right) {
    ValueMarker mk = new ValueMarker(x, Style.THRESHOLD, Style.DASHED);
    mk.setLabel(label);
    mk.setLabelFont(Style.SMALL);
    mk.setLabelPaint(Style.THRESHOLD);
    mk.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    mk.setLabelAnchor(right ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.TOP_LEFT);
    mk.setLabelTextAnchor(right ? TextAnchor.TOP_LEFT : TextAnchor.TOP_RIGHT);
    mk.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
    p.addDomainMarker(mk, Layer.FOREGROUND);
  }

  private static double[] column(RunOutput run, Table t, String name, int n) {
    if (t == null || !t.has(name)) {
      double[] nan = new double[n];
      Arrays.fill(nan, Double.NaN);
      return nan;
    }
    try {
      return t.numbers(name);
    } catch (IOException e) {
      run.notes.add(e.getMessage());
      double[] nan = new double[n];
      Arrays.fill(nan, Double.NaN);
      return nan;
    }
  }

  static double[] movingAverage(double[] y, int win) {
    double[] out = new double[y.length];
    for (int k = 0; k < y.length; k++) {
      double s = 0;
      int n = 0;
      for (int j = Math.max(0, k - win + 1); j <= k; j++) {
        if (Double.isFinite(y[j])) {
          s += y[j];
          n++;
        }
      }
      out[k] = n > 0 && Double.isFinite(y[k]) ? s / n : Double.NaN;
    }
    return out;
  }

  private static double median(double[] v) {
    double[] f = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
    if (f.length == 0) {
      return Double.NaN;
    }
    return f.length % 2 == 1 ? f[f.length / 2] : 0.5 * (f[f.length / 2 - 1] + f[f.length / 2]);
  }

  private static int argmax(double[] v) {
    int best = -1;
    for (int k = 0; k < v.length; k++) {
      if (Double.isFinite(v[k]) && (best < 0 || v[k] > v[best])) {
        best = k;
      }
    }
    return best;
  }

  static int finite(double[] v) {
    int n = 0;
    for (double x : v) {
      if (Double.isFinite(x)) {
        n++;
      }
    }
    return n;
  }
}
