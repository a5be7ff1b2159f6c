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

  /** A time x grid-point panel of an {@code nStates x n} grid. */
  static JFreeChart timeGrid(String title, Grid g, ColourScale scale, String yLabel, RunOutput run) {
    double forecast = run.nAssim < run.nStates ? run.nAssim - 0.5 : Double.NaN;
    return heatmap(title, g.rows, g.cols, g::get, scale, "time step t", yLabel, forecast, false);
  }

  /** data.png: the truth, the background and its precision, the observations and their precision. */
  static Figure data(RunOutput run) {
    List<PanelFigure.Cell> cells = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    int w = 250;
    double forecast = run.nAssim < run.nStates ? run.nAssim - 0.5 : Double.NaN;
    Range xr = new Range();
    if (run.truth != null) {
      xr.add(run.truth.values());
    }
    if (run.background != null) {
      xr.add(run.background.values());
    }
    ColourScale xs = ColourScale.sequential(xr.lo, xr.hi);
    if (run.truth != null) {
      cells.add(new PanelFigure.Cell(timeGrid("truth x", run.truth, xs, "grid point i", run), w,
          run.background == null ? new ColourBar(xs, "x") : null));
      shown.add("the true trajectory x");
    }
    if (run.background != null) {
      cells.add(new PanelFigure.Cell(heatmap("x_b", 1, run.nx, (x, y) -> run.background.get(0, y), xs, "t = 0",
          "grid point i", Double.NaN, false), STRIP_WIDTH, new ColourBar(xs, "x")));
      shown.add("the background x_b of x₀ (same colour scale as the truth)");
    }
    if (run.backgroundStd != null) {
      Grid prec = run.backgroundStd.map(s -> 1.0 / (s * s));
      Range r = new Range().add(prec.values());
      ColourScale s = ColourScale.sequential(r.lo, r.hi);
      cells.add(new PanelFigure.Cell(heatmap("B⁻¹", 1, run.nx, (x, y) -> prec.get(0, y), s, "t = 0",
          "grid point i", Double.NaN, false), STRIP_WIDTH, new ColourBar(s, "1 / σ_b²")));
      shown.add("the background precision 1/σ_b²");
    }
    String yName = run.pooling > 1 ? "observed block j" : "grid point i";
    if (run.obs != null) {
      Range r = new Range().add(run.obs.values());
      ColourScale s = ColourScale.sequential(r.lo, r.hi);
      cells.add(new PanelFigure.Cell(heatmap("observations y", run.nStates, run.ny, run.obs::get, s,
          "time step t", yName, forecast, false), w, new ColourBar(s, "y = " + hName(run) + " + ε")));
      shown.add("the observations y = " + hName(run) + " + ε (" + run.obs.finiteCount() + " observed)");
    }
    if (run.obsStd != null) {
      Grid prec = run.obsStd.map(s -> 1.0 / (s * s));
      Range r = new Range().add(prec.values());
      ColourScale s = ColourScale.sequential(r.lo, r.hi);
      cells.add(new PanelFigure.Cell(heatmap("R⁻¹", run.nStates, run.ny, prec::get, s, "time step t", yName,
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
            + "starts the forecast.", f.render());
  }

  /** mean_error.png: posterior mean − truth per method, one symmetric colour scale. */
  static Figure meanError(RunOutput run) {
    if (!run.truthKnown()) {
      run.notes.add("mean_error.png: the truth is not known (no data/truth.csv): not drawn");
      return null;
    }
    List<MethodOutput> cols = new ArrayList<>();
    List<Grid> errors = new ArrayList<>();
    double limMethods = 0;
    double limAll = 0;
    for (MethodOutput m : run.withPrior()) {
      if (m.mean == null) {
        if (m.hasFolder) {
          run.notes.add("mean_error.png: " + m.label() + " has no usable mean.csv: column left out");
        }
        continue;
      }
      Grid e = m.mean.minus(run.truth);
      double a = new Range().add(e.values()).absMax();
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
    boolean clipped = limAll > lim * (1 + 1e-12);
    ColourScale s = ColourScale.diverging(lim);
    int w = panelWidth(cols.size());
    List<PanelFigure.Cell> cells = new ArrayList<>();
    for (int k = 0; k < cols.size(); k++) {
      cells.add(new PanelFigure.Cell(timeGrid(cols.get(k).label(), errors.get(k), s, "grid point i", run), w));
    }
    PanelFigure f = new PanelFigure("Error of the posterior mean (mean − truth)")
        .row(cells, PANEL_HEIGHT, new ColourBar(s, clipped ? "mean − truth (prior clipped)" : "mean − truth"));
    forecastLegend(f, run);
    return new Figure("mean_error.png", Figure.Section.POSTERIOR, "Error of the posterior mean",
        "Posterior mean minus truth, time × grid point, one colour scale for all methods (blue: too low, red: "
            + "too high)" + (clipped ? "; the prior exceeds the methods' range and is clipped" : "")
            + "; the dashed line starts the forecast.", f.render());
  }

  /** std.png: posterior standard deviation per method, one logarithmic colour scale. */
  static Figure std(RunOutput run) {
    List<MethodOutput> cols = new ArrayList<>();
    Range r = new Range();
    for (MethodOutput m : run.withPrior()) {
      if (m.std == null) {
        if (m.hasFolder) {
          run.notes.add("std.png: " + m.label() + " has no usable std.csv: column left out");
        }
        continue;
      }
      cols.add(m);
      for (double v : m.std.values()) {
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
    int w = panelWidth(cols.size());
    List<PanelFigure.Cell> cells = new ArrayList<>();
    for (MethodOutput m : cols) {
      cells.add(new PanelFigure.Cell(timeGrid(m.label(), m.std, s, "grid point i", run), w));
    }
    PanelFigure f = new PanelFigure("Posterior standard deviation")
        .row(cells, PANEL_HEIGHT, new ColourBar(s, "posterior std (log scale)"));
    forecastLegend(f, run);
    return new Figure("std.png", Figure.Section.POSTERIOR, "Posterior standard deviation",
        "Posterior std, time × grid point, one logarithmic colour scale for all methods (ratios compare); the "
            + "dashed line starts the forecast.", f.render());
  }

  /** covariance_t&lt;k&gt;.png: the covariance (top) and the correlation (bottom) of x_k per method. */
  static Figure covariance(RunOutput run, int k) {
    List<MethodOutput> cols = new ArrayList<>();
    List<Double> methodMax = new ArrayList<>();
    double limAll = 0;
    for (MethodOutput m : run.withPrior()) {
      Grid c = m.covariances.get(k);
      if (c == null) {
        if (m.hasFolder) {
          run.notes.add(String.format(Locale.ROOT, "covariance_t%d.png: %s has no usable cov_t%d.csv: left out",
              k, m.label(), k));
        }
        continue;
      }
      cols.add(m);
      double a = new Range().add(c.values()).absMax();
      limAll = Math.max(limAll, a);
      if (!m.isPrior()) {
        methodMax.add(a);
      }
    }
    if (cols.isEmpty()) {
      return null;
    }
    // one scale for all panels, set by the median method: posteriors differ in spread by orders of magnitude
    // (ABC's kept trials against a Laplace approximation), and a scale set by the widest would blank the others
    java.util.Collections.sort(methodMax);
    int nm = methodMax.size();
    double lim = nm == 0 ? limAll
        : nm % 2 == 1 ? methodMax.get(nm / 2) : 0.5 * (methodMax.get(nm / 2 - 1) + methodMax.get(nm / 2));
    if (!(lim > 0)) {
      lim = limAll > 0 ? limAll : 1.0;
    }
    boolean clipped = limAll > lim * (1 + 1e-12);
    ColourScale cs = ColourScale.diverging(lim);
    ColourScale rs = ColourScale.diverging(1.0);
    int w = Math.max(230, Math.min(270, 1340 / cols.size()));
    List<PanelFigure.Cell> top = new ArrayList<>();
    List<PanelFigure.Cell> bottom = new ArrayList<>();
    for (MethodOutput m : cols) {
      Grid c = m.covariances.get(k);
      Grid r = c.correlation();
      top.add(new PanelFigure.Cell(heatmap(m.label() + ": covariance", run.nx, run.nx, (x, y) -> c.get(y, x),
          cs, "grid point j", "grid point i", Double.NaN, true), w));
      bottom.add(new PanelFigure.Cell(heatmap(m.label() + ": correlation", run.nx, run.nx,
          (x, y) -> r.get(y, x), rs, "grid point j", "grid point i", Double.NaN, true), w));
    }
    String when = stateName(run, k);
    PanelFigure f = new PanelFigure("Posterior covariance of the state at t = " + k + " (" + when + ")")
        .row(top, w + 10, new ColourBar(cs, "cov(x_i, x_j)"))
        .row(bottom, w + 10, new ColourBar(rs, "corr(x_i, x_j)"));
    return new Figure(String.format(Locale.ROOT, "covariance_t%d.png", k), Figure.Section.COVARIANCE,
        "Posterior covariance at t = " + k,
        "Sample covariance (top, one symmetric scale set by the median method" + (clipped ? ", wider values clipped"
            : "")
            + ") and correlation (bottom) of x_t at t = " + k + ", the " + when + ", per method.", f.render());
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
