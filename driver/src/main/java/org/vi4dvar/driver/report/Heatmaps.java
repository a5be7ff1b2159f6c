package org.vi4dvar.driver.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Time x grid-point heatmaps (the data, the error of the posterior mean, the posterior std) and covariance
 * matrices, every method side by side on a shared colour scale. Time runs left to right, grid points bottom to
 * top; a dashed line separates the assimilation window from the forecast.
 */
final class Heatmaps {

  static final int PANEL_HEIGHT = 320;
  static final int STRIP_WIDTH = 112;

  private Heatmaps() {
  }

  /** Value of a heatmap cell (column {@code x}, row {@code y}); NaN leaves it blank. */
  @FunctionalInterface
  interface Cells {
    double at(int x, int y);
  }

  /** Width of each of {@code n} time x grid panels in a row. */
  static int panelWidth(int n) {
    return Math.max(200, Math.min(280, 1340 / Math.max(1, n)));
  }

  /**
   * A heatmap panel over {@code nCols x nRows} unit cells.
   *
   * @param forecastAt x of the forecast line, or NaN for none
   * @param invertY row 0 at the top (matrices)
   */
  static JFreeChart heatmap(String title, int nCols, int nRows, Cells z, ColourScale scale, String xLabel,
      String yLabel, double forecastAt, boolean invertY) {
    int n = 0;
    double[][] xyz = new double[3][nCols * nRows];
    for (int x = 0; x < nCols; x++) {
      for (int y = 0; y < nRows; y++) {
        double v = z.at(x, y);
        if (Double.isFinite(v)) {
          xyz[0][n] = x;
          xyz[1][n] = y;
          xyz[2][n] = v;
          n++;
        }
      }
    }
    double[][] data = new double[3][];
    for (int k = 0; k < 3; k++) {
      data[k] = java.util.Arrays.copyOf(xyz[k], n);
    }
    DefaultXYZDataset ds = new DefaultXYZDataset();
    ds.addSeries("z", data);
    XYBlockRenderer r = new XYBlockRenderer();
    r.setPaintScale(scale);
    r.setBlockWidth(1.0);
    r.setBlockHeight(1.0);
    NumberAxis xa = Style.indexAxis(xLabel);
    xa.setRange(-0.5, nCols - 0.5);
    NumberAxis ya = Style.indexAxis(yLabel);
    ya.setRange(-0.5, nRows - 0.5);
    ya.setInverted(invertY);
    if (nCols == 1) {
      xa.setTickUnit(new NumberTickUnit(1));
    }
    XYPlot p = new XYPlot(ds, xa, ya, r);
    p.setDomainGridlinesVisible(false);
    p.setRangeGridlinesVisible(false);
    JFreeChart c = Style.panel(new JFreeChart(null, Style.TITLE, p, false), title);
    p.setBackgroundPaint(Color.WHITE);
    // no antialiasing of the cells: it would leave hairline seams between neighbouring blocks
    c.setAntiAlias(false);
    if (!Double.isNaN(forecastAt)) {
      Style.forecastLine(p, forecastAt, Color.BLACK);
    }
    return c;
  }

  /**
   * A time x grid-point panel of an {@code nStates x n} grid, its first {@code shown} columns (a window of a
   * large state; all of a small one).
   */
  static JFreeChart timeGrid(String title, Grid g, int shown, ColourScale scale, String yLabel, RunOutput run) {
    double forecast = run.nAssim < run.nStates ? run.nAssim - 0.5 : Double.NaN;
    return heatmap(title, g.rows, shown, g::get, scale, "time step t", yLabel, forecast, false);
  }

  /** The columns of {@code g} that the time x grid-point heatmaps show (a window for a large state). */
  static int shown(RunOutput run, Grid g) {
    if (g.cols == run.nx) {
      return run.gridShown();
    }
    // an observation grid: the blocks that cover the grid points shown
    int blocks = (run.gridShown() + run.pooling - 1) / Math.max(1, run.pooling);
    return Math.min(g.cols, Math.max(1, blocks));
  }

  /** The values of the first {@code cols} columns of {@code g}, for colour ranges. */
  static double[] window(Grid g, int cols) {
    if (cols >= g.cols) {
      return g.values();
    }
    double[] v = new double[g.rows * cols];
    for (int r = 0; r < g.rows; r++) {
      for (int c = 0; c < cols; c++) {
        v[r * cols + c] = g.get(r, c);
      }
    }
    return v;
  }

  /**
   * What a caption says of the window of a large state ("" when every grid point is shown): the heatmaps show
   * the first {@link RunOutput#GRID_WINDOW} grid points at full resolution.
   */
  static String windowNote(RunOutput run) {
    if (run.gridShown() >= run.nx) {
      return "";
    }
    return " Of the nx = " + run.nx + " grid points the first " + run.gridShown() + " (i = 0…" + (run.gridShown() - 1)
        + ") are shown, at full resolution: a window, not an average (the scores are over every point).";
  }

  /** data.png: the truth, the background and its precision, the observations and their precision. */
  static Figure data(RunOutput run) {
    List<PanelFigure.Cell> cells = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    int w = 250;
    final int nShown = run.gridShown();
    double forecast = run.nAssim < run.nStates ? run.nAssim - 0.5 : Double.NaN;
    Range xr = new Range();
    if (run.truth != null) {
      xr.add(window(run.truth, nShown));
    }
    if (run.background != null) {
      xr.add(window(run.background, nShown));
    }
    ColourScale xs = ColourScale.sequential(xr.lo, xr.hi);
    if (run.truth != null) {
      cells.add(new PanelFigure.Cell(timeGrid("truth x", run.truth, nShown, xs, "grid point i", run), w,
          run.background == null ? new ColourBar(xs, "x") : null));
      shown.add("the true trajectory x");
    }
    if (run.background != null) {
      cells.add(new PanelFigure.Cell(heatmap("x_b", 1, nShown, (x, y) -> run.background.get(0, y), xs, "t = 0",
          "grid point i", Double.NaN, false), STRIP_WIDTH, new ColourBar(xs, "x")));
      shown.add("the background x_b of x₀ (same colour scale as the truth)");
    }
    if (run.backgroundStd != null) {
      Grid prec = run.backgroundStd.map(s -> 1.0 / (s * s));
      Range r = new Range().add(window(prec, nShown));
      ColourScale s = ColourScale.sequential(r.lo, r.hi);
      cells.add(new PanelFigure.Cell(heatmap("B⁻¹", 1, nShown, (x, y) -> prec.get(0, y), s, "t = 0",
          "grid point i", Double.NaN, false), STRIP_WIDTH, new ColourBar(s, "1 / σ_b²")));
      shown.add("the background precision 1/σ_b²");
    }
    String yName = run.pooling > 1 ? "observed block j" : "grid point i";
    if (run.obs != null) {
      int js = shown(run, run.obs);
      Range r = new Range().add(window(run.obs, js));
      ColourScale s = ColourScale.sequential(r.lo, r.hi);
      cells.add(new PanelFigure.Cell(heatmap("observations y", run.nStates, js, run.obs::get, s,
          "time step t", yName, forecast, false), w, new ColourBar(s, "y = " + hName(run) + " + ε")));
      shown.add("the observations y = " + hName(run) + " + ε (" + run.obs.finiteCount() + " observed"
          + (js < run.ny ? " in all, " + new Grid(run.nStates, js, window(run.obs, js)).finiteCount() + " shown" : "")
          + ")");
    }
    if (run.obsStd != null) {
      Grid prec = run.obsStd.map(s -> 1.0 / (s * s));
      int js = shown(run, prec);
      Range r = new Range().add(window(prec, js));
      ColourScale s = ColourScale.sequential(r.lo, r.hi);
      cells.add(new PanelFigure.Cell(heatmap("R⁻¹", run.nStates, js, prec::get, s, "time step t", yName,
          forecast, false), w, new ColourBar(s, "1 / σ_o²")));
      shown.add("the observation precision 1/σ_o²");
    }
    if (cells.isEmpty()) {
      run.notes.add("data.png: no readable file in data/ (truth.csv, obs.csv, obs_std.csv, background.csv, "
          + "background_std.csv): not drawn");
      return null;
    }
    PanelFigure f = new PanelFigure("The data").row(cells, PANEL_HEIGHT, null);
    if (!Double.isNaN(forecast)) {
      f.legend(List.of(Style.forecastEntry(run, Color.BLACK)));
    }
    return new Figure("data.png", Figure.Section.DATA, "The data",
        "Time × grid point: " + String.join(", ", shown) + "; blank cells are unobserved, the dashed line "
            + "starts the forecast." + windowNote(run), f.render());
  }

  /** mean_error.png: posterior mean − truth per method, one symmetric colour scale. */
  static Figure meanError(RunOutput run) {
    if (!run.truthKnown()) {
      run.notes.add("mean_error.png: the truth is not known (no data/truth.csv): not drawn");
      return null;
    }
    final int nShown = run.gridShown();
    List<MethodOutput> cols = new ArrayList<>();
    List<Grid> errors = new ArrayList<>();
    double limMethods = 0;
    double limAll = 0;
    for (MethodOutput m : run.withPrior()) {
      if (m.mean == null) {
        if (m.hasFolder && !m.unavailable()) {
          run.notes.add("mean_error.png: " + m.label() + " has no usable mean.csv: column left out");
        }
        continue;
      }
      Grid e = m.mean.minus(run.truth);
      double a = new Range().add(window(e, nShown)).absMax();
      limAll = Math.max(limAll, a);
      if (!m.isPrior()) {
        limMethods = Math.max(limMethods, a);
      }
      cols.add(m);
      errors.add(e);
    }
    if (cols.isEmpty()) {
      run.notes.add("mean_error.png: no method has a mean.csv: not drawn");
      return null;
    }
    double lim = limMethods > 0 ? limMethods : limAll;
    ColourScale s = ColourScale.diverging(lim);
    ColourBar bar = new ColourBar(s, "mean − truth");
    List<String> clippedNames = new ArrayList<>();
    for (int k = 0; k < cols.size(); k++) {
      ColourBar b = new ColourBar(s, null).clipping(window(errors.get(k), nShown));
      if (b.below || b.above) {
        clippedNames.add(cols.get(k).label());
      }
      bar = bar.clipping(window(errors.get(k), nShown));
    }
    int w = panelWidth(cols.size());
    List<PanelFigure.Cell> cells = new ArrayList<>();
    for (int k = 0; k < cols.size(); k++) {
      cells.add(new PanelFigure.Cell(timeGrid(cols.get(k).label(), errors.get(k), nShown, s, "grid point i", run),
          w));
    }
    PanelFigure f = new PanelFigure("Error of the posterior mean (mean − truth)").row(cells, PANEL_HEIGHT, bar);
    forecastLegend(f, run);
    return new Figure("mean_error.png", Figure.Section.POSTERIOR, "Error of the posterior mean",
        "Posterior mean minus truth, time × grid point, one symmetric colour scale for all methods, set by the "
            + "largest error of the methods (blue: too low, red: too high)"
            + (clippedNames.isEmpty() ? "" : "; " + String.join(", ", clippedNames) + " exceed" 
                + (clippedNames.size() == 1 ? "s" : "") + " it and " + (clippedNames.size() == 1 ? "is" : "are")
                + " clipped to the end colours, marked by the triangles on the colour bar")
            + "; the dashed line starts the forecast." + windowNote(run), f.render(), Figure.labels(cols));
  }

  /** std.png: posterior standard deviation per method, one logarithmic colour scale. */
  static Figure std(RunOutput run) {
    final int nShown = run.gridShown();
    List<MethodOutput> cols = new ArrayList<>();
    Range r = new Range();
    for (MethodOutput m : run.withPrior()) {
      if (m.std == null) {
        if (m.hasFolder && !m.unavailable()) {
          run.notes.add("std.png: " + m.label() + " has no usable std.csv: column left out");
        }
        continue;
      }
      cols.add(m);
      for (double v : window(m.std, nShown)) {
        if (v > 0) {
          r.add(v);
        }
      }
    }
    if (cols.isEmpty()) {
      run.notes.add("std.png: no method has a std.csv: not drawn");
      return null;
    }
    if (!r.any()) {
      r.add(1e-3).add(1);
    }
    ColourScale s = ColourScale.logarithmic(r.lo, r.hi);
    ColourBar bar = new ColourBar(s, "posterior std (log scale)");
    int w = panelWidth(cols.size());
    List<PanelFigure.Cell> cells = new ArrayList<>();
    for (MethodOutput m : cols) {
      cells.add(new PanelFigure.Cell(timeGrid(m.label(), m.std, nShown, s, "grid point i", run), w));
      bar = bar.clipping(window(m.std, nShown));
    }
    PanelFigure f = new PanelFigure("Posterior standard deviation").row(cells, PANEL_HEIGHT, bar);
    forecastLegend(f, run);
    return new Figure("std.png", Figure.Section.POSTERIOR, "Posterior standard deviation",
        "Posterior std, time × grid point, one logarithmic colour scale for all methods (ratios compare)"
            + (bar.below ? "; a std of 0 is drawn in the lowest colour (the triangle on the colour bar)" : "")
            + "; the dashed line starts the forecast." + windowNote(run), f.render(), Figure.labels(cols));
  }

  /** Width of each of {@code n} covariance panels (each with its own colour bar). */
  static int covariancePanelWidth(int n) {
    return Math.max(200, Math.min(270, (1640 - n * ColourBar.NARROW) / Math.max(1, n)));
  }

  /**
   * covariance_t&lt;k&gt;.png: the covariance (top) and the correlation (bottom) of x_k per method. Posteriors
   * differ in spread by orders of magnitude (the prior propagated to the end of the window against a Laplace
   * approximation; mean-field VI at t = 0 is a diagonal of small variances), so one colour scale would saturate
   * some panels and blank others: each covariance panel has its own symmetric scale, ±max|cov| of the panel
   * (nothing clipped), with its own colour bar; the correlations share [−1, 1].
   */
  static Figure covariance(RunOutput run, int k) {
    List<MethodOutput> cols = new ArrayList<>();
    for (MethodOutput m : run.withPrior()) {
      Grid c = m.covariances.get(k);
      if (c == null) {
        if (m.hasFolder && !m.unavailable()) {
          run.notes.add(String.format(Locale.ROOT, "covariance_t%d.png: %s has no usable cov_t%d.csv: left out",
              k, m.label(), k));
        }
        continue;
      }
      cols.add(m);
    }
    if (cols.isEmpty()) {
      return null;
    }
    // the window shown, within what every file holds (output.cov-points may have written fewer points)
    int shown = run.covShown();
    for (MethodOutput m : cols) {
      Grid g = m.covariances.get(k);
      shown = Math.min(shown, Math.min(g.rows, g.cols));
    }
    final int n = shown;
    ColourScale rs = ColourScale.diverging(1.0);
    int w = covariancePanelWidth(cols.size());
    List<PanelFigure.Cell> top = new ArrayList<>();
    List<PanelFigure.Cell> bottom = new ArrayList<>();
    for (int c = 0; c < cols.size(); c++) {
      MethodOutput m = cols.get(c);
      Grid cov = m.covariances.get(k);
      ColourScale cs = ColourScale.diverging(covarianceLimit(cov));
      Grid r = cov.correlation();
      top.add(new PanelFigure.Cell(heatmap(m.label(), n, n, (x, y) -> cov.get(y, x), cs, "grid point j",
          "grid point i", Double.NaN, true), w, new ColourBar(cs, null).clipping(cov.values())));
      bottom.add(new PanelFigure.Cell(heatmap(m.label(), n, n, (x, y) -> r.get(y, x), rs, "grid point j",
          "grid point i", Double.NaN, true), w, c == cols.size() - 1 ? new ColourBar(rs, null) : null,
          ColourBar.NARROW));
    }
    // a sample covariance of m draws has rank at most m − 1: below the size shown, its structure is mostly noise
    List<String> few = new ArrayList<>();
    for (MethodOutput m : cols) {
      Double draws = JsonReader.number(m.summary, "posterior", "draws");
      if (draws != null && draws - 1 < n) {
        few.add(m.label() + " (" + draws.intValue() + " draws)");
      }
    }
    String when = stateName(run, k);
    PanelFigure f = new PanelFigure("Posterior covariance of the state at t = " + k + " (" + when + ")")
        .row(top, w + 10, null, "Covariance cov(x_i, x_j): each panel on its own symmetric scale")
        .row(bottom, w + 10, null, "Correlation corr(x_i, x_j): one scale [−1, 1]");
    String window = n < run.nx ? " Of the nx = " + run.nx + " grid points the first " + n + " (i, j = 0…" + (n - 1)
        + ") are shown, at full resolution: a window of the matrix, read from the first rows of the file." : "";
    return new Figure(String.format(Locale.ROOT, "covariance_t%d.png", k), Figure.Section.COVARIANCE,
        "Posterior covariance at t = " + k,
        "Covariance (top) and correlation (bottom) of x_t at t = " + k + ", the " + when + ", per method. Each "
            + "covariance panel has its own symmetric colour scale, ±(its largest |cov|), so nothing is clipped "
            + "and a narrow posterior stays visible beside a wide one: read magnitudes on each colour bar. The "
            + "correlations share one scale [−1, 1]." + window + (few.isEmpty() ? "" : " The covariance of m draws "
            + "has rank at most m − 1, fewer than the " + n + " points shown for " + String.join(", ", few)
            + ": there it is mostly sampling noise (a correlation of ±1 everywhere for 2 draws)."), f.render(),
        Figure.labels(cols));
  }

  /** The symmetric limit of a covariance panel: its largest |entry| (1 if none is finite and non-zero). */
  static double covarianceLimit(Grid cov) {
    double a = new Range().add(cov.values()).absMax();
    return a > 0 ? a : 1.0;
  }

  private static void forecastLegend(PanelFigure f, RunOutput run) {
    if (run.nAssim < run.nStates) {
      f.legend(List.of(Style.forecastEntry(run, Color.BLACK)));
    }
  }

  /** "first state", "last assimilated state", "last state (forecast)" or "state k". */
  static String stateName(RunOutput run, int k) {
    if (k == 0) {
      return "first state";
    }
    if (k == run.nAssim - 1) {
      return "last assimilated state";
    }
    if (k == run.nStates - 1) {
      return "last state, forecast";
    }
    return k < run.nAssim ? "assimilation window" : "forecast";
  }

  /** The observation nonlinearity as a formula ({@code x²}). */
  static String hName(RunOutput run) {
    String arg = run.pooling > 1 ? "x̄" : "x";
    if (run.nonlinearity == null) {
      return "h(" + arg + ")";
    }
    switch (run.nonlinearity) {
      case "identity":
        return arg;
      case "square":
        return arg + "²";
      case "cube":
        return arg + "³";
      case "tanh":
        return "tanh " + arg;
      default:
        return "h(" + arg + ")";
    }
  }
}
