package org.vi4dvar.driver.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * Rank histograms of the truth among each method's posterior samples (from summary.json), assimilated and
 * forecast states side by side. The m + 1 ranks are pooled into at most {@link #BINS} bins and shown as density
 * relative to uniform, so a calibrated posterior is flat at 1; a U shape means too narrow, a dome too wide, a
 * slope a bias.
 */
final class RankHistograms {

  static final int BINS = 20;
  static final int HEIGHT = 320;

  private RankHistograms() {
  }

  /** rank_histograms.png, or null if no method has a histogram. */
  static Figure of(RunOutput run) {
    List<MethodOutput> cols = new ArrayList<>();
    List<double[][]> data = new ArrayList<>();
    double ymax = 1.0;
    for (MethodOutput m : run.methods) {
      double[] a = counts(JsonReader.at(m.summary, "scores", "assim", "rank_histogram"));
      double[] f = counts(JsonReader.at(m.summary, "scores", "forecast", "rank_histogram"));
      if (a == null && f == null) {
        if (!m.summary.isEmpty() && run.truthKnown()) {
          run.notes.add("rank_histograms.png: " + m.label() + " has no rank histogram in summary.json");
        }
        continue;
      }
      double[] ra = relative(a);
      double[] rf = relative(f);
      for (double[] r : new double[][] {ra, rf}) {
        if (r != null) {
          for (double v : r) {
            ymax = Math.max(ymax, v);
          }
        }
      }
      cols.add(m);
      data.add(new double[][] {ra, rf});
    }
    if (cols.isEmpty()) {
      if (run.summary != null) {
        run.notes.add("rank_histograms.png: no rank histogram in summary.json (truth unknown?): not drawn");
      }
      return null;
    }
    Color assimColour = new Color(0x4E79A7);
    Color forecastColour = new Color(0xF28E2B);
    int w = Math.max(240, Math.min(330, 1340 / cols.size()));
    List<PanelFigure.Cell> cells = new ArrayList<>();
    for (int k = 0; k < cols.size(); k++) {
      double[] ra = data.get(k)[0];
      double[] rf = data.get(k)[1];
      XYIntervalSeriesCollection ds = new XYIntervalSeriesCollection();
      XYBarRenderer r = new XYBarRenderer(0.0);
      r.setBarPainter(new StandardXYBarPainter());
      r.setShadowVisible(false);
      r.setUseYInterval(true);
      int s = 0;
      for (int part = 0; part < 2; part++) {
        double[] rel = part == 0 ? ra : rf;
        if (rel == null) {
          continue;
        }
        int nb = rel.length;
        XYIntervalSeries se = new XYIntervalSeries(part == 0 ? "assimilated" : "forecast");
        for (int b = 0; b < nb; b++) {
          double lo = (double) b / nb;
          double wdt = 1.0 / nb;
          double x0 = lo + wdt * (0.08 + 0.42 * part);
          double x1 = x0 + wdt * 0.42;
          se.add((x0 + x1) / 2, x0, x1, rel[b], 0, rel[b]);
        }
        ds.addSeries(se);
        r.setSeriesPaint(s++, part == 0 ? assimColour : forecastColour);
      }
      NumberAxis xa = Style.axis(new NumberAxis("rank of the truth / m"));
      xa.setRange(0, 1);
      NumberAxis ya = Style.axis(new NumberAxis("density (uniform = 1)"));
      ya.setRange(0, ymax * 1.08);
      XYPlot p = new XYPlot(ds, xa, ya, r);
      p.addRangeMarker(new ValueMarker(1.0, Color.BLACK, Style.DASHED), Layer.FOREGROUND);
      cells.add(new PanelFigure.Cell(Style.panel(new JFreeChart(null, Style.TITLE, p, false),
          cols.get(k).label()), w));
    }
    List<PanelFigure.Entry> legend = List.of(
        PanelFigure.Entry.band(assimColour, "assimilated states"),
        PanelFigure.Entry.band(forecastColour, "forecast states"),
        PanelFigure.Entry.line(Color.BLACK, Style.DASHED, "flat (calibrated)"));
    PanelFigure f = new PanelFigure("Rank histograms of the truth").row(cells, HEIGHT, null).legend(legend);
    return new Figure("rank_histograms.png", Figure.Section.CALIBRATION, "Rank histograms",
        "Rank of the truth among the posterior samples at every (t, i), pooled into at most " + BINS
            + " bins, density relative to uniform: flat is calibrated, U-shaped too narrow, dome-shaped too wide.",
        f.render());
  }

  private static double[] counts(Object o) {
    if (!(o instanceof List) || ((List<?>) o).isEmpty()) {
      return null;
    }
    List<?> l = (List<?>) o;
    double[] c = new double[l.size()];
    for (int k = 0; k < c.length; k++) {
      c[k] = l.get(k) instanceof Double ? (Double) l.get(k) : 0;
    }
    return c;
  }

  /** Pools m + 1 rank counts into at most BINS bins, as density relative to uniform. */
  static double[] relative(double[] counts) {
    if (counts == null) {
      return null;
    }
    final int n = counts.length;
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    if (!(total > 0)) {
      return null;
    }
    int nb = Math.min(BINS, n);
    double[] out = new double[nb];
    for (int b = 0; b < nb; b++) {
      int from = (int) ((long) b * n / nb);
      int to = (int) ((long) (b + 1) * n / nb);
      double s = 0;
      for (int k = from; k < to; k++) {
        s += counts[k];
      }
      out[b] = (s / total) / ((double) (to - from) / n);
    }
    return out;
  }
}
