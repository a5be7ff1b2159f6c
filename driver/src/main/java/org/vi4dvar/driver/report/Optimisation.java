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
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
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
 * The optimisation views: the VI ELBO traces per restart; the ensemble members' own (perturbed) costs per
 * iteration beside their unperturbed J; the ABC histogram of the prior trials' distances with the rejection
 * threshold beside the kept trials' J; the MAP starts' J per iteration and at their minima. Every quantity is
 * named for what it is (ABC's distance is not J; a member's perturbed cost is not J), and J is compared only with
 * J (at the truth, at the best MAP minimum).
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
    java.util.function.DoubleFunction<String> ef = Style.numbers(finalElbo);
    for (int r = 0; r < nr; r++) {
      double[] y = tr.column(r);
      double[] s = movingAverage(y, win);
      XYSeries a = new XYSeries("raw " + r, false, true);
      XYSeries b = new XYSeries("restart " + r, false, true);
      for (int k : envelope(y, RAW_BUCKETS)) {
        a.add(k, y[k]);
      }
      for (int k = 0; k < y.length; k++) {
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
      String fe = r < finalElbo.length && Double.isFinite(finalElbo[r]) ? ", final " + ef.apply(finalElbo[r])
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

  /** J at the truth, from summary.json's data facts, or null. */
  static Double truthCost(RunOutput run) {
    Double v = JsonReader.number(run.summary, "data", "cost_at_truth");
    return v != null && v > 0 ? v : null;
  }

  /** J at the best MAP minimum, or null. */
  static Double mapCost(RunOutput run) {
    Double v = JsonReader.number(run.summary, "methods", "map", "best_cost");
    return v != null && v > 0 ? v : null;
  }

  /**
   * The Gaussian reference for J at a posterior draw: J_min + n/2 (for a Gaussian posterior, J(x) − J_min at a
   * draw x is χ²_n / 2, of mean n/2), with n the control dimension nx; null without a MAP minimum.
   */
  static Double drawCost(RunOutput run) {
    Double j = mapCost(run);
    return j == null || run.nx <= 0 ? null : j + run.nx / 2.0;
  }

  /** The reference lines of J (truth, best MAP minimum, J_min + n/2) on a plot, with their legend entries. */
  private static void costReferences(XYPlot p, RunOutput run, Range yr, List<PanelFigure.Entry> legend) {
    Double truthJ = truthCost(run);
    Double mapJ = mapCost(run);
    Double drawJ = drawCost(run);
    java.util.function.DoubleFunction<String> f = Style.numbers(truthJ == null ? 0 : truthJ,
        mapJ == null ? 0 : mapJ, drawJ == null ? 0 : drawJ);
    if (truthJ != null) {
      hline(p, truthJ, Style.DASHED, Color.BLACK);
      yr.add(truthJ);
      legend.add(PanelFigure.Entry.line(Color.BLACK, Style.DASHED, "J at the truth = " + f.apply(truthJ)));
    }
    if (mapJ != null) {
      hline(p, mapJ, Style.DOTTED, Color.BLACK);
      yr.add(mapJ);
      legend.add(PanelFigure.Entry.line(Color.BLACK, Style.DOTTED, "J at the best MAP minimum = " + f.apply(mapJ)));
    }
    if (drawJ != null) {
      // a broad light line behind the others: J at the truth often lies on it
      Color light = new Color(0xB8B8B8);
      p.addRangeMarker(new ValueMarker(drawJ, light, new java.awt.BasicStroke(5f)), Layer.BACKGROUND);
      yr.add(drawJ);
      legend.add(PanelFigure.Entry.line(light, new java.awt.BasicStroke(5f), "J_min + n/2 = " + f.apply(drawJ)
          + " (mean J of a draw of a Gaussian posterior)"));
    }
  }

  /**
   * opt_ensemble_costs.png, or null. Left: each member's own perturbed cost J^k per iteration (the quantity it
   * minimises: its background and observations are perturbed, so J^k is not comparable with J); right: the
   * unperturbed J at each member's minimum (members.csv final_cost) against J at the truth and at the best MAP
   * minimum.
   */
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
    Color c = m.colour;
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
    p.setDomainAxis(Style.indexAxis("L-BFGS iteration"));
    NiceLogAxis ya = new NiceLogAxis("member's perturbed cost J^k (log scale)");
    ya.fit(yr.lo, yr.hi);
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
    if (notConverged < drawn) {
      legend.add(PanelFigure.Entry.line(Style.alpha(c, 0.6), Style.LINE, "member (converged)"));
    }
    if (notConverged > 0) {
      legend.add(PanelFigure.Entry.line(Style.alpha(Color.DARK_GRAY, 0.7), Style.LINE, "member (not converged)"));
    }
    legend.add(PanelFigure.Entry.line(c.darker().darker(), Style.THICK, "median over members"));
    JFreeChart chart = Style.panel(new JFreeChart(null, Style.TITLE, p, false),
        "Each member's own cost J^k (perturbed)");
    List<PanelFigure.Cell> cells = new ArrayList<>();
    cells.add(new PanelFigure.Cell(chart, 640));

    // right: the unperturbed J at each member's minimum, comparable with J at the truth and at the MAP minimum
    double[] finalJ = null;
    if (m.members != null && m.members.has("final_cost")) {
      finalJ = column(run, m.members, "final_cost", 0);
    } else {
      run.notes.add("opt_ensemble_costs.png: ensemble/members.csv has no final_cost: the members' J is not drawn");
    }
    String medianJ = null;
    if (finalJ != null && finite(finalJ) > 0) {
      boolean[] ok = conv == null ? null : conv;
      XYSeries good = new XYSeries("converged", false, true);
      XYSeries bad = new XYSeries("not converged", false, true);
      Range jr = new Range();
      for (int k = 0; k < finalJ.length; k++) {
        if (finalJ[k] > 0 && Double.isFinite(finalJ[k])) {
          (ok == null || (k < ok.length && ok[k]) ? good : bad).add(k, finalJ[k]);
          jr.add(finalJ[k]);
        }
      }
      XYSeriesCollection ds = new XYSeriesCollection();
      ds.addSeries(good);
      ds.addSeries(bad);
      XYLineAndShapeRenderer dr = new XYLineAndShapeRenderer(false, true);
      Ellipse2D dot = new Ellipse2D.Double(-3.5, -3.5, 7, 7);
      dr.setSeriesShape(0, dot);
      dr.setSeriesShape(1, dot);
      dr.setSeriesPaint(0, Style.alpha(c, 0.75));
      dr.setSeriesPaint(1, Style.alpha(Color.DARK_GRAY, 0.8));
      NumberAxis xa = Style.indexAxis("member");
      xa.setRange(-0.5, finalJ.length - 0.5);
      XYPlot q = new XYPlot(ds, xa, null, dr);
      // the median first: the reference lines, drawn after it, stay visible where they coincide
      double medJ = median(finalJ);
      if (medJ > 0) {
        hline(q, medJ, Style.THICK, c.darker().darker());
        medianJ = Style.numbers(medJ, jr.hi).apply(medJ);
      }
      List<PanelFigure.Entry> refs = new ArrayList<>();
      costReferences(q, run, jr, refs);
      NiceLogAxis ja = new NiceLogAxis("J at the member's minimum (log scale)");
      ja.fit(jr.lo, jr.hi);
      q.setRangeAxis(ja);
      cells.add(new PanelFigure.Cell(Style.panel(new JFreeChart(null, Style.TITLE, q, false),
          "Unperturbed J at each member's minimum"), 520));
      if (good.getItemCount() > 0) {
        legend.add(PanelFigure.Entry.marker(Style.alpha(c, 0.75), dot, "member's J (members.csv final_cost)"));
      }
      if (bad.getItemCount() > 0) {
        legend.add(PanelFigure.Entry.marker(Style.alpha(Color.DARK_GRAY, 0.8), dot,
            "member's J, not converged"));
      }
      if (medianJ != null) {
        legend.add(PanelFigure.Entry.line(c.darker().darker(), Style.THICK, "their median = " + medianJ));
      }
      legend.addAll(refs);
    }
    PanelFigure f = new PanelFigure("Ensemble of 4D-Var optimisation").row(cells, HEIGHT + 40, null).legend(legend);
    return new Figure("opt_ensemble_costs.png", Figure.Section.OPTIMISATION, "Ensemble member costs",
        "Left: the cost each of the " + tr.cols + " members minimises, per L-BFGS iteration (log scale"
            + (drawn < tr.cols ? "; the first " + drawn + " drawn" : "") + "): J^k, whose background and "
            + "observations are perturbed for that member (randomised maximum likelihood), so its values are not "
            + "comparable with J; the bold line is the median over members (a stopped member counts at its last "
            + "value). " + (cells.size() > 1 ? "Right: the unperturbed 4D-Var cost J at each member's minimum "
            + "(members.csv final_cost; the bold line is their median" + (medianJ != null ? ", " + medianJ : "")
            + "), comparable with J at the truth and at the best MAP minimum; for a Gaussian posterior J at a "
            + "posterior draw is J_min + χ²_n/2, of mean J_min + n/2 (n = " + run.nx + ")." : ""), f.render());
  }

  /**
   * A histogram of the finite values, on bins chosen from the data with clean edges: log-spaced bins at
   * {@code 10^(k/m)} (m = 1, 2, 5, 10, 20 or 50 per decade) when every value is positive and they span a decade
   * or more, else linear bins at multiples of a round width (1, 2, 2.5 or 5 times a power of ten); the number of
   * bins is the one of those closest to Rice's rule 2·n^(1/3), kept within [10, 40].
   *
   * @return {lower, upper, count} per bin and, as a fourth array of one element, 1 for log bins, 0 for linear
   *     ones (empty arrays when no value is finite)
   */
  static double[][] histogram(double[] values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int n = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        n++;
      }
    }
    if (n == 0) {
      return new double[][] {new double[0], new double[0], new double[0], new double[0]};
    }
    double target = Math.max(10, Math.min(40, 2 * Math.cbrt(n)));
    boolean log = lo > 0 && hi / lo >= 10;
    double[] lower;
    double[] upper;
    if (log) {
      double decades = Math.log10(hi) - Math.log10(lo);
      int perDecade = 1;
      double bestMiss = Double.POSITIVE_INFINITY;
      for (int m : new int[] {1, 2, 5, 10, 20, 50}) {
        double bins = Math.ceil(Math.log10(hi) * m) - Math.floor(Math.log10(lo) * m);
        double miss = Math.abs(Math.log(bins / target));
        if (miss < bestMiss) {
          bestMiss = miss;
          perDecade = m;
        }
      }
      int k0 = (int) Math.floor(Math.log10(lo) * perDecade);
      int k1 = (int) Math.ceil(Math.log10(hi) * perDecade);
      if (k1 <= k0) {
        k1 = k0 + 1;
      }
      lower = new double[k1 - k0];
      upper = new double[k1 - k0];
      for (int b = 0; b < lower.length; b++) {
        lower[b] = Math.pow(10, (double) (k0 + b) / perDecade);
        upper[b] = Math.pow(10, (double) (k0 + b + 1) / perDecade);
      }
    } else {
      double span = hi > lo ? hi - lo : Math.max(Math.abs(lo), 1.0);
      double width = ColourBar.niceStep(span / target);
      // the round width closest to the target count, from the 1-2-2.5-5 steps around it
      double best = width;
      double bestMiss = Double.POSITIVE_INFINITY;
      for (double w : new double[] {width / 2.5, width / 2, width, width * 2, width * 2.5}) {
        double wn = ColourBar.niceStep(w);
        double bins = Math.floor(hi / wn) - Math.floor(lo / wn) + 1;
        double miss = Math.abs(Math.log(bins / target));
        if (miss < bestMiss) {
          bestMiss = miss;
          best = wn;
        }
      }
      long k0 = (long) Math.floor(lo / best);
      long k1 = (long) Math.floor(hi / best) + 1;
      int bins = (int) Math.max(1, k1 - k0);
      lower = new double[bins];
      upper = new double[bins];
      for (int b = 0; b < bins; b++) {
        lower[b] = (k0 + b) * best;
        upper[b] = (k0 + b + 1) * best;
      }
    }
    double[] count = new double[lower.length];
    for (double v : values) {
      if (Double.isFinite(v)) {
        int b = bin(v, lower, upper, log);
        count[b]++;
      }
    }
    return new double[][] {lower, upper, count, new double[] {log ? 1 : 0}};
  }

  /** The bin of {@code v}: {@code lower[b] ≤ v < upper[b]} (the last bin closed). */
  private static int bin(double v, double[] lower, double[] upper, boolean log) {
    int nb = lower.length;
    double a = lower[0];
    double b = upper[nb - 1];
    int k = log ? (int) Math.floor((Math.log(v) - Math.log(a)) / (Math.log(b) - Math.log(a)) * nb)
        : (int) Math.floor((v - a) / (b - a) * nb);
    k = Math.max(0, Math.min(nb - 1, k));
    // correct rounding at the edges
    while (k > 0 && v < lower[k]) {
      k--;
    }
    while (k < nb - 1 && v >= upper[k]) {
      k++;
    }
    return k;
  }

  /** The axis label of an ABC distance (summary.json's abc.distance). */
  static String distanceName(String distance) {
    if ("full".equals(distance)) {
      return "distance J = Jb + Jo";
    }
    if ("observation".equals(distance)) {
      return "distance Jo (observation term of J)";
    }
    if ("likelihood".equals(distance)) {
      return "distance Jo − E, E ~ Exp(1) (likelihood rejection)";
    }
    return "distance";
  }

  /**
   * opt_abc_distances.png, or null: as the talk's figure, left the histogram of the prior trials' distances with
   * the rejection threshold, right the 4D-Var cost J of the kept trials (one line each) against J along the best
   * MAP minimisation — ABC ranks by its distance, the other methods by J: both are shown, each named.
   */
  static Figure abc(RunOutput run) {
    MethodOutput m = run.method("abc");
    if (m == null || !m.hasFolder) {
      return null;
    }
    if (m.priorSample == null || m.priorSample.size() == 0) {
      run.notes.add("opt_abc_distances.png: abc/prior_sample.csv is missing or empty: not drawn");
      return null;
    }
    double[][] h;
    try {
      h = histogram(m.priorSample.numbers("distance"));
    } catch (IOException e) {
      run.notes.add("opt_abc_distances.png: " + e.getMessage() + ": not drawn");
      return null;
    }
    double[] lower = h[0];
    double[] upper = h[1];
    double[] count = h[2];
    if (lower.length == 0) {
      run.notes.add("opt_abc_distances.png: the prior sample has no finite distance: not drawn");
      return null;
    }
    boolean log = h[3][0] == 1;
    Color c = m.colour;
    Double threshold = JsonReader.number(m.summary, "threshold");
    Object src = JsonReader.at(m.summary, "threshold_source");
    boolean configured = "configured".equals(src);
    Object dist = JsonReader.at(m.summary, "distance");
    String dName = distanceName(dist instanceof String ? (String) dist : null);
    Double trials = JsonReader.number(m.summary, "counts", "trials");
    Double draws = JsonReader.number(m.summary, "counts", "draws");
    Double accepted = JsonReader.number(m.summary, "counts", "accepted");
    Object how = JsonReader.at(m.summary, "posterior_draws");

    XYIntervalSeries s = new XYIntervalSeries("trials");
    Range xr = new Range();
    double total = 0;
    for (int k = 0; k < lower.length; k++) {
      s.add(log ? Math.sqrt(lower[k] * upper[k]) : 0.5 * (lower[k] + upper[k]), lower[k], upper[k], count[k], 0,
          count[k]);
      xr.add(lower[k]).add(upper[k]);
      total += count[k];
    }
    XYIntervalSeriesCollection ds = new XYIntervalSeriesCollection();
    ds.addSeries(s);
    double xlo = xr.lo;
    double xhi = xr.hi;
    if (threshold != null && (!log || threshold > 0)) {
      xlo = Math.min(xlo, threshold);
      xhi = Math.max(xhi, threshold);
    }
    ValueAxis xa;
    if (log) {
      NiceLogAxis la = new NiceLogAxis(dName + ", log scale");
      la.setRange(xlo / 1.15, xhi * 1.15);
      xa = la;
    } else {
      NumberAxis na = Style.axis(new NumberAxis(dName));
      na.setAutoRangeIncludesZero(false);
      double pad = 0.04 * (xhi - xlo);
      na.setRange(xlo - pad, xhi + pad);
      xa = na;
    }
    NumberAxis ya = Style.axis(new NumberAxis("prior trials per bin"));
    ya.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot p = new XYPlot(ds, xa, ya, bars(c));
    List<PanelFigure.Entry> legend = new ArrayList<>();
    legend.add(PanelFigure.Entry.band(c, "prior trials x₀ ~ N(x_b, B)"));
    java.util.function.DoubleFunction<String> nf = Style.numbers(threshold == null ? 0 : threshold);
    if (threshold != null) {
      vline(p, threshold, null, true);
      String kept = configured
          ? "rejection threshold abc.threshold = " + nf.apply(threshold)
              + (accepted != null ? ": " + count(accepted) + " trials accepted" : "")
          : "kept: the " + (draws != null ? count(draws) + " " : "") + "smallest distances"
              + (trials != null ? " of " + count(trials) + " trials" : "") + ", ≤ " + nf.apply(threshold);
      legend.add(PanelFigure.Entry.line(Style.THRESHOLD, Style.DASHED, kept));
    }
    JFreeChart all = Style.panel(new JFreeChart(null, Style.TITLE, p, false),
        "Distances of the " + count(total) + " trials of the prior sample");
    List<PanelFigure.Cell> cells = new ArrayList<>();
    cells.add(new PanelFigure.Cell(all, 680));

    double[] keptJ = null;
    if (m.kept != null && m.kept.has("cost")) {
      try {
        keptJ = m.kept.numbers("cost");
      } catch (IOException e) {
        run.notes.add("opt_abc_distances.png: " + e.getMessage() + ": the kept trials' J is not drawn");
      }
    }
    boolean trace = false;
    if (keptJ != null && finite(keptJ) > 0) {
      JFreeChart right = keptCostPanel(run, keptJ, c, legend);
      trace = right.getXYPlot().getDataset(0).getSeriesCount() > 0;
      cells.add(new PanelFigure.Cell(right, 560));
    }
    PanelFigure f = new PanelFigure("ABC rejection sampling").row(cells, HEIGHT, null).legend(legend);
    String bins = log ? lower.length + " log-spaced bins" : lower.length + " bins of width "
        + ColourBar.format(upper[0] - lower[0]);
    StringBuilder cap = new StringBuilder();
    cap.append("Left: the ").append(dName).append(" of each of the ").append(count(total))
        .append(" trials of the prior sample (the first abc.prior-samples trials, every one evaluated in full")
        .append(trials != null ? ", of " + count(trials) + " trials in all" : "").append("), in ").append(bins);
    if (threshold != null) {
      cap.append(configured ? ", and the rejection threshold abc.threshold: every trial at or below it is accepted"
          : ", and the largest kept distance: the k trials of smallest distance are kept");
    }
    cap.append(". The posterior: ").append(how instanceof String ? (String) how
        : (draws != null ? count(draws) + " trials" : "the kept trials")).append('.');
    if (cells.size() > 1) {
      cap.append(" Right: the 4D-Var cost J = Jb + Jo of each kept trial (a line each; ABC ranks by its distance, "
          + "not by J)").append(trace ? ", against J along the best MAP start's L-BFGS minimisation" : "")
          .append(", with J at the truth.");
    }
    return new Figure("opt_abc_distances.png", Figure.Section.OPTIMISATION, "ABC distances", cap.toString(),
        f.render());
  }

  /**
   * The kept trials' J as horizontal lines (the talk's "ABC-r sampled") against J along the best MAP start's
   * minimisation (map/cost_trace.csv) and the reference J values.
   */
  private static JFreeChart keptCostPanel(RunOutput run, double[] keptJ, Color c, List<PanelFigure.Entry> legend) {
    XYPlot p = new XYPlot();
    p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    Range yr = new Range();
    MethodOutput map = run.method("map");
    XYSeries tr = null;
    if (map != null && map.costTrace != null && map.costTrace.cols > 0) {
      Double b = JsonReader.number(map.summary, "best_start");
      int col = b != null && b >= 0 && b < map.costTrace.cols ? b.intValue() : 0;
      tr = new XYSeries("MAP", false, true);
      for (int it = 0; it < map.costTrace.rows; it++) {
        double v = map.costTrace.get(it, col);
        if (v > 0 && Double.isFinite(v)) {
          tr.add(it, v);
        }
      }
      if (tr.getItemCount() == 0) {
        tr = null;
      }
    }
    int iterations = tr == null ? 1 : (int) Math.max(1, tr.getMaxX());
    // the trace starts far above the kept trials: show it from where it comes within 10× of the kept J
    double keptMax = new Range().add(keptJ).hi;
    for (double v : keptJ) {
      if (v > 0 && Double.isFinite(v)) {
        yr.add(v);
        p.addRangeMarker(new ValueMarker(v, Style.alpha(c, 0.35), Style.THIN), Layer.BACKGROUND);
      }
    }
    if (tr != null) {
      for (int k = 0; k < tr.getItemCount(); k++) {
        double v = tr.getY(k).doubleValue();
        if (v <= 10 * keptMax) {
          yr.add(v);
        }
      }
    }
    // dataset and renderer 0 always exist: XYPlot draws the markers (the kept trials' J, the reference lines)
    // with renderer 0
    p.setDataset(0, tr == null ? new XYSeriesCollection() : new XYSeriesCollection(tr));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setSeriesPaint(0, Color.BLACK);
    r.setSeriesStroke(0, Style.LINE);
    p.setRenderer(0, r);
    NumberAxis xa = Style.indexAxis(tr == null ? " " : "MAP L-BFGS iteration");
    xa.setRange(0, iterations * 1.03);
    if (tr == null) {
      xa.setTickLabelsVisible(false);
      xa.setTickMarksVisible(false);
    }
    p.setDomainAxis(xa);
    legend.add(PanelFigure.Entry.line(Style.alpha(c, 0.7), Style.LINE, "J of a kept trial"));
    if (tr != null) {
      legend.add(PanelFigure.Entry.line(Color.BLACK, Style.LINE, "J along the best MAP minimisation"));
    }
    costReferences(p, run, yr, legend);
    NiceLogAxis ya = new NiceLogAxis("4D-Var cost J (log scale)");
    ya.fit(yr.lo, yr.hi);
    p.setRangeAxis(ya);
    return Style.panel(new JFreeChart(null, Style.TITLE, p, false), "J of the " + finite(keptJ) + " kept trials");
  }

  /** A count as text, with thousands separators ("100,000"). */
  static String count(double v) {
    return String.format(java.util.Locale.ROOT, "%,.0f", v);
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
    Double truthJ = truthCost(run);
    java.util.function.DoubleFunction<String> nf = Style.numbers(truthJ == null ? 0 : truthJ, yr.hi);
    if (truthJ != null) {
      yr.add(truthJ);
    }
    NumberAxis xa = Style.indexAxis("start");
    xa.setRange(-0.6, cost.length - 0.4);
    NiceLogAxis ya = new NiceLogAxis("J at the start's minimum (log scale)");
    ya.fit(yr.lo, yr.hi);
    XYPlot p = new XYPlot(ds, xa, ya, r);
    if (truthJ != null) {
      hline(p, truthJ, Style.DASHED, Color.BLACK);
      legend.add(PanelFigure.Entry.line(Color.BLACK, Style.DASHED, "J at the truth = " + nf.apply(truthJ)));
    }
    Double minima = JsonReader.number(m.summary, "distinct_minima");
    Double bestCost = mapCost(run);
    if (bestCost != null) {
      legend.add(PanelFigure.Entry.line(Color.BLACK, Style.DOTTED, "J at the best minimum = " + nf.apply(bestCost)));
    }
    JFreeChart chart = Style.panel(new JFreeChart(null, Style.TITLE, p, false), "Final J of each start");
    List<PanelFigure.Cell> cells = new ArrayList<>();
    JFreeChart traces = mapTraces(m, truthJ, bestCost);
    if (traces != null) {
      cells.add(new PanelFigure.Cell(traces, 640));
    }
    if (bestCost != null) {
      hline(p, bestCost, Style.DOTTED, Color.BLACK);
    }
    cells.add(new PanelFigure.Cell(chart, traces != null ? 480 : 760));
    PanelFigure f = new PanelFigure("MAP (4D-Var) starts").row(cells, HEIGHT - 40, null).legend(legend);
    int nm = minima == null ? -1 : minima.intValue();
    int limited = 0;
    for (int s = 0; s < m.starts.size(); s++) {
      String why = m.starts.text(s, "stop_reason");
      limited += why.equals("max-iterations") || why.equals("iteration-limit") ? 1 : 0;
    }
    String stopped = limited == 0 ? "" : " " + limited + " of " + m.starts.size() + " starts stopped at the iteration "
        + "limit: their final J is not a minimum.";
    return new Figure("opt_map_starts.png", Figure.Section.OPTIMISATION, "MAP starts",
        (traces != null ? "Left: the 4D-Var cost J per L-BFGS iteration of each start (map/cost_trace.csv, log "
            + "scale); right: " : "") + "J at the end of each start's minimisation (log scale), by where the start "
            + "came from" + (nm >= 0 ? "; " + nm + " distinct " + (nm == 1 ? "minimum" : "minima") : "")
            + ": several minima mean a multimodal posterior (or starts that stopped early)." + stopped, f.render());
  }

  /** J per L-BFGS iteration of each MAP start, or null without map/cost_trace.csv. */
  private static JFreeChart mapTraces(MethodOutput m, Double truthJ, Double bestCost) {
    Grid tr = m.costTrace;
    if (tr == null || tr.rows == 0) {
      return null;
    }
    XYSeriesCollection ds = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    Range yr = new Range();
    for (int k = 0; k < tr.cols; k++) {
      XYSeries s = new XYSeries("start " + k, false, true);
      for (int it = 0; it < tr.rows; it++) {
        double v = tr.get(it, k);
        if (v > 0 && Double.isFinite(v)) {
          s.add(it, v);
          yr.add(v);
        }
      }
      ds.addSeries(s);
      r.setSeriesPaint(k, Style.alpha(m.colour.darker(), 0.6));
      r.setSeriesStroke(k, Style.LINE);
    }
    if (!yr.any()) {
      return null;
    }
    if (truthJ != null) {
      yr.add(truthJ);
    }
    XYPlot p = new XYPlot();
    p.setDataset(ds);
    p.setRenderer(r);
    p.setDomainAxis(Style.indexAxis("L-BFGS iteration"));
    NiceLogAxis ya = new NiceLogAxis("4D-Var cost J (log scale)");
    ya.fit(yr.lo, yr.hi);
    p.setRangeAxis(ya);
    if (truthJ != null) {
      hline(p, truthJ, Style.DASHED, Color.BLACK);
    }
    if (bestCost != null) {
      hline(p, bestCost, Style.DOTTED, Color.BLACK);
    }
    return Style.panel(new JFreeChart(null, Style.TITLE, p, false), "J per iteration, each start");
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

  private static void hline(XYPlot p, double y, java.awt.Stroke stroke, Color colour) {
    p.addRangeMarker(new ValueMarker(y, colour, stroke), Layer.FOREGROUND);
  }

  /** The threshold line, labelled to its right ({@code right}) or its left. */
  private static void vline(XYPlot p, double x, String label, boolean right) {
    ValueMarker mk = new ValueMarker(x, Style.THRESHOLD, Style.DASHED);
    if (label == null) {
      p.addDomainMarker(mk, Layer.FOREGROUND);
      return;
    }
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

  /** Buckets of the raw ELBO traces' envelope: 2 px of the 880 px panel each, finer than a line shows. */
  static final int RAW_BUCKETS = 440;

  /**
   * The indices of the points of {@code y} that draw the same line at a resolution of {@code buckets} columns
   * (M4 decimation, Jugel et al. 2014): per bucket of consecutive indices its first, lowest, highest and last
   * finite point, in index order; every finite point when there are fewer than 4 per bucket.
   */
  static int[] envelope(double[] y, int buckets) {
    int[] out = new int[y.length];
    int n = 0;
    if (y.length <= 4L * buckets) {
      for (int k = 0; k < y.length; k++) {
        if (Double.isFinite(y[k])) {
          out[n++] = k;
        }
      }
      return Arrays.copyOf(out, n);
    }
    for (int b = 0; b < buckets; b++) {
      int lo = (int) ((long) y.length * b / buckets);
      int hi = (int) ((long) y.length * (b + 1) / buckets);
      int first = -1;
      int last = -1;
      int min = -1;
      int max = -1;
      for (int k = lo; k < hi; k++) {
        if (!Double.isFinite(y[k])) {
          continue;
        }
        if (first < 0) {
          first = k;
        }
        last = k;
        if (min < 0 || y[k] < y[min]) {
          min = k;
        }
        if (max < 0 || y[k] > y[max]) {
          max = k;
        }
      }
      if (first < 0) {
        continue;
      }
      int[] four = {first, Math.min(min, max), Math.max(min, max), last};
      for (int k : four) {
        if (n == 0 || out[n - 1] != k) {
          out[n++] = k;
        }
      }
    }
    return Arrays.copyOf(out, n);
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
