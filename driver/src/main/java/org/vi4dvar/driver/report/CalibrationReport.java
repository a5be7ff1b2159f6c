package org.vi4dvar.driver.report;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.vi4dvar.driver.io.Abortable;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.output.CalibrationWriter;

/**
 * The figures and the self-contained page of a {@code calibrate} output directory, in the style of the run
 * report (its {@link Style}, {@link PanelFigure}, CSS and escaping): {@code figures/calibration_ranks.png} (the
 * pooled rank histogram of every method and part relative to its calibrated expectation, with the twin-clustered
 * band), {@code figures/calibration_coverage.png} (coverage of the 50 % and 90 % intervals with their intervals
 * against the nominal and calibrated levels), {@code figures/calibration_scores.png} (the distribution over twins
 * of RMSE, spread/skill, CRPS and 90 % coverage, assimilated states) and {@code calibration.html}. Reads only
 * calibration.json and twins.csv; every number was computed by the kernel. A figure that cannot be drawn is left
 * out with a note.
 */
public final class CalibrationReport {

  static final String RANKS = "calibration_ranks.png";
  static final String COVERAGE = "calibration_coverage.png";
  static final String SCORES = "calibration_scores.png";
  private static final String[] PARTS = {"x0", "assim", "forecast"};
  private static final String[] PART_LABELS = {"x0", "assimilated states", "forecast states"};
  private static final Color BAND = new Color(0xD9D9D9);

  private CalibrationReport() {
  }

  /** Builds the figures and calibration.html of {@code dir}, which will be renamed to {@code shownAs}. */
  public static void build(Path dir, Path shownAs) throws IOException {
    build(dir, shownAs, a -> { }, s -> { });
  }

  /**
   * As {@link #build(Path, Path)}, for the {@code report} command: {@code figures/} and {@code calibration.html}
   * are replaced all or nothing ({@link ReportFiles}), as for a run's report.
   *
   * @param protect receives the files being replaced, for a shutdown hook that leaves the old ones on a signal
   * @param leftovers receives a line per leftover of a killed report removed from {@code dir}
   * @throws Report.BadRequest if calibration.json cannot be read or {@code dir/figures} holds something that is
   *     not a figure (nothing is changed)
   */
  public static void build(Path dir, Path shownAs, java.util.function.Consumer<Abortable>
      protect, java.util.function.Consumer<String> leftovers) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    Path jsonFile = dir.resolve(CalibrationWriter.JSON);
    Object json;
    try {
      json = JsonReader.parse(Files.readString(jsonFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Report.BadRequest(jsonFile + " cannot be read (" + OutputDirectory.reason(e) + ")");
    }
    Path twinsFile = dir.resolve(CalibrationWriter.TWINS);
    List<String> notes = new ArrayList<>();
    Table twins = null;
    if (Files.isRegularFile(twinsFile)) {
      twins = Csv.table(twinsFile);
    } else if (Files.exists(twinsFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      notes.add(SCORES + ": " + twinsFile.getFileName() + " is not a regular file (a directory, named pipe, "
          + "device, socket or broken symbolic link)");
    } else {
      notes.add(SCORES + ": no " + twinsFile.getFileName());
    }
    Map<String, Object> methods = JsonReader.object(json, "methods");
    List<Figure> figures = new ArrayList<>();
    add(figures, notes, RANKS, () -> ranks(methods));
    add(figures, notes, COVERAGE, () -> coverage(methods));
    if (twins != null) {
      final Table t = twins;
      add(figures, notes, SCORES, () -> scores(methods, t));
    }
    ReportFiles files;
    try {
      files = ReportFiles.open(dir, CalibrationWriter.HTML, leftovers);
    } catch (IllegalStateException e) {
      throw new Report.BadRequest(e.getMessage());
    }
    protect.accept(files);
    try (ReportFiles f = files) {
      Map<String, byte[]> png = new LinkedHashMap<>();
      for (Figure fig : figures) {
        byte[] b = Report.encode(fig);
        png.put(fig.file(), b);
        f.write(f.figures().resolve(fig.file()), b);
      }
      Report.beforeCommit.run();
      String html = page(json, shownAs, figures, png, notes);
      f.write(f.page(), html.getBytes(StandardCharsets.UTF_8));
      f.commit();
    }
  }

  /** Something that draws a figure (or returns null when there is nothing to draw). */
  private interface Drawing {
    Figure draw() throws IOException;
  }

  private static void add(List<Figure> out, List<String> notes, String name, Drawing d) {
    try {
      Figure f = d.draw();
      if (f != null) {
        out.add(f);
      } else {
        notes.add(name + ": nothing to draw");
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      Report.notDrawn(notes, name, e);
    }
  }

  private static double[] numbers(Object o) {
    if (!(o instanceof List)) {
      return null;
    }
    List<?> l = (List<?>) o;
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i) instanceof Double ? (Double) l.get(i) : Double.NaN;
    }
    return a;
  }

  private static double num(Object root, String... path) {
    Double d = JsonReader.number(root, path);
    return d == null ? Double.NaN : d;
  }

  /** Rank histograms relative to calibrated (1 = calibrated) with the band, a row per method, a column per part. */
  private static Figure ranks(Map<String, Object> methods) {
    PanelFigure f = new PanelFigure("Rank histograms of the truth, pooled over twins");
    int rows = 0;
    for (Map.Entry<String, Object> e : methods.entrySet()) {
      List<PanelFigure.Cell> cells = new ArrayList<>();
      for (int p = 0; p < PARTS.length; p++) {
        Object part = JsonReader.at(e.getValue(), PARTS[p]);
        double[] h = numbers(JsonReader.at(part, "rank_histogram"));
        double[] ex = numbers(JsonReader.at(part, "rank_expected"));
        double[] lo = numbers(JsonReader.at(part, "rank_band_lo"));
        double[] hi = numbers(JsonReader.at(part, "rank_band_hi"));
        if (h == null || ex == null || num(part, "twins") == 0 || !(num(part, "twins") > 0)) {
          continue;
        }
        int nb = h.length;
        XYIntervalSeriesCollection ds = new XYIntervalSeriesCollection();
        XYIntervalSeries band = new XYIntervalSeries("band");
        XYIntervalSeries bars = new XYIntervalSeries("ranks");
        double ymax = 1.5;
        for (int b = 0; b < nb; b++) {
          double x0 = (double) b / nb;
          double x1 = (b + 1.0) / nb;
          if (ex[b] > 0) {
            double r = h[b] / ex[b];
            double l = lo != null && Double.isFinite(lo[b]) ? lo[b] / ex[b] : 1;
            double u = hi != null && Double.isFinite(hi[b]) ? hi[b] / ex[b] : 1;
            band.add((x0 + x1) / 2, x0, x1, 1, l, u);
            double w = (x1 - x0) * 0.3;
            bars.add((x0 + x1) / 2, x0 + w, x1 - w, r, 0, r);
            ymax = Math.max(ymax, Math.max(r, u));
          }
        }
        ds.addSeries(band);
        ds.addSeries(bars);
        XYBarRenderer r = new XYBarRenderer(0.0);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setUseYInterval(true);
        r.setSeriesPaint(0, BAND);
        r.setSeriesPaint(1, Style.method(e.getKey()));
        NumberAxis xa = Style.axis(new NumberAxis("rank of the truth / (m + 1)"));
        xa.setRange(0, 1);
        NumberAxis ya = Style.axis(new NumberAxis("count / calibrated count"));
        ya.setRange(0, Math.min(ymax * 1.08, 12));
        XYPlot plot = new XYPlot(ds, xa, ya, r);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        plot.addRangeMarker(new ValueMarker(1.0, Color.BLACK, Style.DASHED), Layer.FOREGROUND);
        String title = e.getKey() + " · " + PARTS[p] + " · p = " + p(num(part, "rank_pvalue"));
        cells.add(new PanelFigure.Cell(Style.panel(new JFreeChart(null, Style.TITLE, plot, false), title), 330));
      }
      if (!cells.isEmpty()) {
        f.row(cells, 230, null);
        rows++;
      }
    }
    if (rows == 0) {
      return null;
    }
    f.legend(List.of(PanelFigure.Entry.band(BAND, "band of a calibrated posterior (twin-clustered)"),
        PanelFigure.Entry.band(Style.method("map"), "pooled rank counts (method colour)"),
        PanelFigure.Entry.line(Color.BLACK, Style.DASHED, "calibrated")));
    return new Figure(RANKS, Figure.Section.CALIBRATION, "Rank histograms",
        "Rank of the truth among each method's draws, pooled over every point of every twin, as counts relative to "
            + "a calibrated posterior's (flat at 1: calibrated; U: too narrow; dome: too wide; slope: biased). The "
            + "grey band is where a calibrated method's bins fall, given the twin-to-twin variability; p is the "
            + "Rao–Scott corrected uniformity p-value.", f.render());
  }

  /** Coverage of the 50 % and 90 % intervals per method, with intervals, a panel per part. */
  private static Figure coverage(Map<String, Object> methods) {
    List<String> names = new ArrayList<>(methods.keySet());
    if (names.isEmpty()) {
      return null;
    }
    Color c50 = new Color(0x4E79A7);
    Color c90 = new Color(0xE15759);
    List<PanelFigure.Cell> cells = new ArrayList<>();
    for (int p = 0; p < PARTS.length; p++) {
      YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
      YIntervalSeries s50 = new YIntervalSeries("50 %");
      YIntervalSeries s90 = new YIntervalSeries("90 %");
      YIntervalSeries cal = new YIntervalSeries("calibrated");
      boolean any = false;
      for (int k = 0; k < names.size(); k++) {
        Object part = JsonReader.at(methods.get(names.get(k)), PARTS[p]);
        double v50 = num(part, "coverage50");
        double v90 = num(part, "coverage90");
        if (!Double.isFinite(v90)) {
          continue;
        }
        any = true;
        s50.add(k - 0.12, v50, or(num(part, "coverage50_lo"), v50), or(num(part, "coverage50_hi"), v50));
        s90.add(k + 0.12, v90, or(num(part, "coverage90_lo"), v90), or(num(part, "coverage90_hi"), v90));
        double e50 = num(part, "coverage50_calibrated");
        double e90 = num(part, "coverage90_calibrated");
        if (Double.isFinite(e50)) {
          cal.add(k - 0.12, e50, e50, e50);
        }
        if (Double.isFinite(e90)) {
          cal.add(k + 0.12, e90, e90, e90);
        }
      }
      if (!any) {
        continue;
      }
      ds.addSeries(s50);
      ds.addSeries(s90);
      ds.addSeries(cal);
      XYErrorRenderer r = new XYErrorRenderer();
      r.setDrawXError(false);
      r.setDefaultLinesVisible(false);
      r.setErrorStroke(Style.LINE);
      r.setSeriesPaint(0, c50);
      r.setSeriesPaint(1, c90);
      r.setSeriesPaint(2, Color.BLACK);
      r.setSeriesShape(0, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
      r.setSeriesShape(1, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
      r.setSeriesShape(2, new Rectangle2D.Double(-9, -1, 18, 2));
      for (int s = 0; s < 3; s++) {
        r.setSeriesShapesVisible(s, true);
      }
      SymbolAxis xa = new SymbolAxis(null, names.toArray(new String[0]));
      Style.axis(xa);
      xa.setRange(-0.6, names.size() - 0.4);
      NumberAxis ya = Style.axis(new NumberAxis("coverage"));
      ya.setRange(0, 1.02);
      XYPlot plot = new XYPlot(ds, xa, ya, r);
      plot.addRangeMarker(new ValueMarker(0.5, c50, Style.DASHED), Layer.BACKGROUND);
      plot.addRangeMarker(new ValueMarker(0.9, c90, Style.DASHED), Layer.BACKGROUND);
      cells.add(new PanelFigure.Cell(Style.panel(new JFreeChart(null, Style.TITLE, plot, false), PART_LABELS[p]),
          Math.max(300, 90 * names.size() + 120)));
    }
    if (cells.isEmpty()) {
      return null;
    }
    PanelFigure f = new PanelFigure("Coverage of the central intervals").row(cells, 340, null).legend(List.of(
        PanelFigure.Entry.marker(c50, new Ellipse2D.Double(-4.5, -4.5, 9, 9), "50 % interval (with its CI)"),
        PanelFigure.Entry.marker(c90, new Ellipse2D.Double(-4.5, -4.5, 9, 9), "90 % interval (with its CI)"),
        PanelFigure.Entry.marker(Color.BLACK, new Rectangle2D.Double(-9, -1, 18, 2),
            "calibrated value with the same draws"),
        PanelFigure.Entry.line(c90, Style.DASHED, "nominal 50 % / 90 %")));
    return new Figure(COVERAGE, Figure.Section.CALIBRATION, "Coverage",
        "Share of points whose truth lies in the method's central 50 % and 90 % intervals, pooled over twins, with "
            + "twin-clustered confidence intervals; a calibrated method's interval contains the black mark (the "
            + "nominal level shrunk by (m − 1)/(m + 1) for m draws).", f.render());
  }

  /** Distributions over twins of the assimilated-state scores, per method. */
  private static Figure scores(Map<String, Object> methods, Table twins) throws IOException {
    String[][] panels = {{"assim_rmse", "RMSE of the mean"}, {"spread_skill", "spread / RMSE"},
        {"assim_crps", "CRPS"}, {"assim_coverage90", "coverage of the 90 % interval"}};
    double[] rmse = twins.numbers("assim_rmse");
    double[] spread = twins.numbers("assim_spread");
    List<PanelFigure.Cell> cells = new ArrayList<>();
    for (String[] panel : panels) {
      double[] v = panel[0].equals("spread_skill") ? null : twins.numbers(panel[0]);
      DefaultBoxAndWhiskerCategoryDataset ds = new DefaultBoxAndWhiskerCategoryDataset();
      int series = 0;
      for (String m : methods.keySet()) {
        List<Double> xs = new ArrayList<>();
        for (int row = 0; row < twins.size(); row++) {
          if (!m.equals(twins.text(row, "method"))) {
            continue;
          }
          double x = v == null ? spread[row] / rmse[row] : v[row];
          if (Double.isFinite(x)) {
            xs.add(x);
          }
        }
        if (!xs.isEmpty()) {
          ds.add(xs, "twins", m);
          series++;
        }
      }
      if (series == 0) {
        continue;
      }
      BoxAndWhiskerRenderer r = new BoxAndWhiskerRenderer();
      r.setMeanVisible(false);
      r.setMaxOutlierVisible(false);
      r.setMinOutlierVisible(false);
      r.setFillBox(true);
      r.setSeriesPaint(0, new Color(0xA0CBE8));
      r.setSeriesOutlinePaint(0, Style.OUTLINE);
      r.setUseOutlinePaintForWhiskers(true);
      r.setMaximumBarWidth(0.12);
      CategoryAxis xa = new CategoryAxis(null);
      xa.setTickLabelFont(Style.TICK);
      NumberAxis ya = Style.axis(new NumberAxis(null));
      ya.setAutoRangeIncludesZero(false);
      CategoryPlot plot = new CategoryPlot(ds, xa, ya, r);
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(Style.GRID);
      if (panel[0].equals("spread_skill")) {
        plot.addRangeMarker(new ValueMarker(1.0, Color.BLACK, Style.DASHED), Layer.FOREGROUND);
      } else if (panel[0].endsWith("coverage90")) {
        plot.addRangeMarker(new ValueMarker(0.9, Color.BLACK, Style.DASHED), Layer.FOREGROUND);
      }
      JFreeChart chart = new JFreeChart(null, Style.TITLE, plot, false);
      cells.add(new PanelFigure.Cell(Style.panel(chart, panel[1]), Math.max(380, 90 * methods.size() + 80)));
    }
    if (cells.isEmpty()) {
      return null;
    }
    PanelFigure f = new PanelFigure("Scores over twins (assimilated states)").row(cells.subList(0,
        Math.min(2, cells.size())), 320, null);
    if (cells.size() > 2) {
      f.row(cells.subList(2, cells.size()), 320, null);
    }
    return new Figure(SCORES, Figure.Section.CALIBRATION, "Scores over twins",
        "Each twin's RMSE of the posterior mean, spread/skill (mean std / RMSE), CRPS and coverage of the 90 % "
            + "interval over the assimilated states (box: quartiles and median, whiskers: 1.5 × the interquartile range, "
            + "circles: twins beyond), from twins.csv.",
        f.render());
  }

  private static double or(double v, double fallback) {
    return Double.isFinite(v) ? v : fallback;
  }

  private static String p(double v) {
    if (v == 0) {
      return "< 1e-300";
    }
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2g", v) : "–";
  }

  // ---------------------------------------------------------------------------------------------------------
  // the page

  private static String page(Object json, Path shownAs, List<Figure> figures, Map<String, byte[]> png,
      List<String> notes) {
    Path shown = shownAs.toAbsolutePath().normalize();
    String name = shown.getFileName() == null ? shown.toString() : shown.getFileName().toString();
    StringBuilder b = new StringBuilder(1 << 20);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>vi4dvar calibration: ").append(esc(name)).append("</title>\n<style>\n")
        .append(HtmlReport.CSS).append("td.miss{color:#a05a00;font-weight:bold}\n")
        .append("</style>\n</head>\n<body>\n<main>\n");
    b.append("<header><h1>vi4dvar calibration</h1><p class=\"sub\">").append(esc(shown.toString()))
        .append("</p><p class=\"run\">vi4dvar ").append(esc(HtmlReport.text(JsonReader.at(json, "vi4dvar"))))
        .append(" · <code>calibrate</code> · ").append(esc(HtmlReport.text(JsonReader.at(json, "twins"))))
        .append(" twins · ").append(esc(HtmlReport.text(JsonReader.at(json, "seconds")))).append(" s</p></header>\n");
    b.append("<nav><a href=\"#settings\">Settings</a> <a href=\"#calibration\">Calibration</a> "
        + "<a href=\"#failures\">Failures and time</a> <a href=\"#figures\">Figures</a> "
        + "<a href=\"#statistics\">How it is computed</a></nav>\n");
    if (!notes.isEmpty()) {
      b.append("<section class=\"notes\"><h2>Left out</h2><ul>\n");
      for (String n : notes) {
        b.append("<li>").append(esc(n)).append("</li>\n");
      }
      b.append("</ul></section>\n");
    }
    settings(b, json);
    table(b, json);
    failures(b, json);
    b.append("<section id=\"figures\"><h2>Figures</h2>\n");
    for (Figure f : figures) {
      b.append("<figure id=\"fig-").append(esc(f.file().replace(".png", ""))).append("\">\n")
          .append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png.get(f.file())))
          .append("\" width=\"").append(f.image().getWidth()).append("\" height=\"").append(f.image().getHeight())
          .append("\" alt=\"").append(esc(f.title())).append("\">\n<figcaption><b>").append(esc(f.title()))
          .append(".</b> ").append(esc(f.caption())).append(" <span class=\"file\">figures/").append(esc(f.file()))
          .append("</span></figcaption>\n</figure>\n");
    }
    b.append("</section>\n<section id=\"statistics\"><h2>How it is computed</h2><dl>\n");
    for (Map.Entry<String, Object> e : JsonReader.object(json, "statistics").entrySet()) {
      b.append("<dt>").append(esc(e.getKey().replace('_', ' '))).append("</dt><dd>")
          .append(esc(HtmlReport.text(e.getValue()))).append("</dd>");
    }
    b.append("<dt>seeds</dt><dd>").append(esc(HtmlReport.text(JsonReader.at(json, "seeds")))).append("</dd>");
    b.append("</dl></section>\n<footer>Written by vi4dvar's report step from calibration.json and twins.csv; every "
        + "number is computed by the calibration, not by the report.</footer>\n</main>\n</body>\n</html>\n");
    return b.toString();
  }

  private static final String[][] KEYS = {{"seed", "master seed"}, {"model.nx", "state size nx"},
      {"model.dt", "RK4 step dt"}, {"window.states", "window states"}, {"window.assimilated", "assimilated"},
      {"obs.nonlinearity", "observation h"}, {"obs.pooling", "pooling"}, {"obs.drop", "drop rate"},
      {"methods", "methods"}, {"posterior.samples", "posterior samples"}, {"posterior.rank-bins", "rank bins"},
      {"abc.trials", "ABC trials"}, {"abc.keep", "ABC keep"}, {"map.starts", "MAP starts"},
      {"ensemble.members", "ensemble members"}, {"vi.family", "VI family"}, {"vi.restarts", "VI restarts"},
      {"vi.iterations", "VI iterations"}};

  private static void settings(StringBuilder b, Object json) {
    b.append("<section id=\"settings\"><h2>Settings of every twin</h2>\n<div class=\"cards\"><div class=\"card "
        + "wide\"><dl>");
    Map<String, Object> tc = JsonReader.object(json, "twin_config");
    Map<String, Object> c = JsonReader.object(json, "config");
    for (String[] k : KEYS) {
      Object v = k[0].equals("seed") ? JsonReader.at(c, "seed") : JsonReader.at(tc, k[0].split("\\."));
      if (v != null) {
        b.append("<dt>").append(esc(k[1])).append("</dt><dd>").append(esc(HtmlReport.text(v))).append("</dd>");
      }
    }
    b.append("<dt>calibrate.set</dt><dd>").append(esc(HtmlReport.text(flat(JsonReader.object(c, "calibrate",
        "set"))))).append("</dd></dl></div></div></section>\n");
  }

  private static String flat(Map<String, Object> m) {
    List<String> out = new ArrayList<>();
    flat("", m, out);
    return out.isEmpty() ? "(none: the twins run the configuration as it is)" : String.join(", ", out);
  }

  @SuppressWarnings("unchecked")
  private static void flat(String prefix, Map<String, Object> m, List<String> out) {
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String k = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map) {
        flat(k, (Map<String, Object>) e.getValue(), out);
      } else {
        out.add(k + " = " + HtmlReport.text(e.getValue()));
      }
    }
  }

  private static void table(StringBuilder b, Object json) {
    b.append("<section id=\"calibration\"><h2>Calibration</h2>\n<div class=\"scroll\"><table class=\"scores\">"
        + "<thead><tr><th>method</th><th>part</th><th>twins</th><th>coverage 50 % [CI]</th><th>calibrated</th>"
        + "<th>coverage 90 % [CI]</th><th>calibrated</th><th>rank p (all points)</th><th>rank p (one point)</th>"
        + "<th>RMSE [CI]</th><th>spread/skill [CI]</th><th>CRPS [CI]</th></tr></thead>\n<tbody>\n");
    for (Map.Entry<String, Object> e : JsonReader.object(json, "methods").entrySet()) {
      for (int p = 0; p < PARTS.length; p++) {
        Object part = JsonReader.at(e.getValue(), PARTS[p]);
        if (!(num(part, "twins") > 0)) {
          continue;
        }
        b.append("<tr><th>").append(p == 0 ? esc(e.getKey()) : "").append("</th><td>").append(esc(PARTS[p]))
            .append("</td><td>").append(esc(HtmlReport.fmt(num(part, "twins")))).append("</td>");
        for (String lvl : new String[] {"50", "90"}) {
          double v = num(part, "coverage" + lvl);
          double lo = num(part, "coverage" + lvl + "_lo");
          double hi = num(part, "coverage" + lvl + "_hi");
          double cal = num(part, "coverage" + lvl + "_calibrated");
          boolean miss = Double.isFinite(lo) && !(cal >= lo && cal <= hi);
          b.append(miss ? "<td class=\"miss\" title=\"the interval misses the calibrated value\">" : "<td>")
              .append(esc(ci(v, lo, hi, true))).append("</td><td class=\"ideal\">").append(esc(pct(cal)))
              .append("</td>");
        }
        for (String k : new String[] {"rank_pvalue", "rank_pvalue_one_point"}) {
          double v = num(part, k);
          b.append(v < 0.01 ? "<td class=\"miss\" title=\"uniformity rejected at 1 %\">" : "<td>")
              .append(esc(p(v))).append("</td>");
        }
        for (String k : new String[] {"rmse", "spread_skill", "crps"}) {
          b.append("<td>").append(esc(ci(num(part, k), num(part, k + "_lo"), num(part, k + "_hi"), false)))
              .append("</td>");
        }
        b.append("</tr>\n");
      }
    }
    b.append("</tbody></table></div>\n<p class=\"hint\">Highlighted: a coverage interval that misses the value a "
        + "calibrated posterior with the same draws has, or a rank p-value below 1 %. Intervals at ")
        .append(esc(pct(num(json, "statistics", "confidence")))).append(", with the twin as the unit (points of "
        + "one twin are not independent). Twins where a method had no posterior are left out of its rows.</p>"
        + "\n</section>\n");
  }

  private static void failures(StringBuilder b, Object json) {
    b.append("<section id=\"failures\"><h2>Failures and time</h2>\n<p>");
    b.append(esc(HtmlReport.text(JsonReader.at(json, "twins_failed")))).append(" of ")
        .append(esc(HtmlReport.text(JsonReader.at(json, "twins")))).append(" twins failed as a whole");
    Map<String, Object> reasons = JsonReader.object(json, "failure_reasons");
    if (!reasons.isEmpty()) {
      b.append(" (").append(esc(reasons.toString())).append(")");
    }
    b.append("; time per twin: mean ").append(esc(HtmlReport.fmt(num(json, "twin_seconds", "mean"))))
        .append(" s, median ").append(esc(HtmlReport.fmt(num(json, "twin_seconds", "median")))).append(" s, max ")
        .append(esc(HtmlReport.fmt(num(json, "twin_seconds", "max")))).append(" s.</p>\n");
    b.append("<div class=\"scroll\"><table class=\"methods\"><thead><tr><th>method</th><th>twins</th>"
        + "<th>unavailable</th><th>why</th><th>diverged</th><th>excluded</th><th>non-finite draws</th><th>unconverged</th>"
        + "<th>draws per twin</th><th>seconds per twin</th></tr></thead>\n<tbody>\n");
    for (Map.Entry<String, Object> e : JsonReader.object(json, "methods").entrySet()) {
      Object m = e.getValue();
      b.append("<tr><th>").append(esc(e.getKey())).append("</th>");
      for (String k : new String[] {"twins", "unavailable"}) {
        b.append("<td>").append(esc(HtmlReport.fmt(num(m, k)))).append("</td>");
      }
      Map<String, Object> why = JsonReader.object(m, "unavailable_reasons");
      b.append("<td style=\"text-align:left;white-space:normal\">").append(why.isEmpty() ? "" : esc(why.toString()))
          .append("</td>");
      for (String k : new String[] {"diverged", "excluded", "non_finite_draws", "unconverged"}) {
        double v = num(m, k);
        b.append(v > 0 ? "<td class=\"warn\">" : "<td>").append(esc(HtmlReport.fmt(v))).append("</td>");
      }
      b.append("<td>").append(esc(HtmlReport.fmt(num(m, "draws_per_twin", "median")))).append("</td><td>")
          .append(esc(HtmlReport.fmt(num(m, "twin_seconds", "mean")))).append("</td></tr>\n");
    }
    b.append("</tbody></table></div>\n<p class=\"hint\">diverged / excluded: units (members, restarts, starts) "
        + "summed over the twins; non-finite draws: sampled trajectories that overflowed; unconverged: twins where the method's own "
        + "convergence test failed (its posterior is still scored; calibration.json says what the test is); seconds: the method and "
        + "its statistics, mean over twins.</p>\n</section>\n");
  }

  private static String ci(double v, double lo, double hi, boolean percent) {
    if (!Double.isFinite(v)) {
      return "—";
    }
    String f = percent ? pct(v) : HtmlReport.fmt(v);
    if (!Double.isFinite(lo)) {
      return f;
    }
    return f + " [" + (percent ? pct(lo) : HtmlReport.fmt(lo)) + ", " + (percent ? pct(hi) : HtmlReport.fmt(hi))
        + "]";
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? HtmlReport.pct(v) : "—";
  }

  private static String esc(String s) {
    return HtmlReport.esc(s);
  }
}
