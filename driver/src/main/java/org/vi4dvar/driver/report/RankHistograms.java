package org.vi4dvar.driver.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * Rank histograms of the truth among each method's posterior draws (summary.json's {@code rank_histogram} with
 * {@code rank_expected}, the probability of each bin for a calibrated posterior), the assimilated states in the
 * top row and the forecast in the bottom one, every method (and the prior) in a column.
 *
 * <p>Each bin is drawn over its share of the PIT axis (its expected probability, so unequal bins keep their
 * width) as density relative to calibration: {@code (n_b / N) / p_b}, flat at 1 when calibrated; a U shape means
 * too narrow, a dome too wide, a slope a bias. Where few points fall in each bin, neighbouring bins are pooled
 * (the counts and their expected probabilities both) so that about {@link #MIN_EXPECTED} or more are expected per
 * bin. The grey band is the central 95 % range of {@code n_b} for a calibrated posterior if the N points were
 * independent, {@code Binomial(N, p_b)}: points close in space and time are correlated, so the real sampling
 * noise is wider, and the band is a lower bound on it.
 */
final class RankHistograms {

  /** Bins drawn at most. */
  static final int BINS = 20;
  /** Expected points per drawn bin at least, where pooling allows. */
  static final int MIN_EXPECTED = 5;
  /** Probability outside the band, split evenly between the two tails. */
  static final double BAND_ALPHA = 0.05;
  static final int HEIGHT = 270;

  private RankHistograms() {
  }

  /** One drawn rank histogram: bin edges on the PIT axis, relative density, and the band. */
  static final class Drawn {
    /** Lower and upper PIT edge of each bin (cumulative expected probabilities). */
    final double[] lower;
    final double[] upper;
    /** (n_b / N) / p_b. */
    final double[] density;
    /** The band's ends, relative like {@link #density}. */
    final double[] bandLo;
    final double[] bandHi;
    /** Points N. */
    final long points;

    Drawn(double[] lower, double[] upper, double[] density, double[] bandLo, double[] bandHi, long points) {
      this.lower = lower;
      this.upper = upper;
      this.density = density;
      this.bandLo = bandLo;
      this.bandHi = bandHi;
      this.points = points;
    }

    int bins() {
      return density.length;
    }
  }

  /** rank_histograms.png, or null if no method has a histogram. */
  static Figure of(RunOutput run) {
    List<MethodOutput> cols = new ArrayList<>();
    List<Drawn[]> data = new ArrayList<>();
    double ymax = 1.0;
    boolean anyForecast = false;
    for (MethodOutput m : run.withPrior()) {
      Drawn a = drawn(JsonReader.at(m.summary, "scores", "assim", "rank_histogram"),
          JsonReader.at(m.summary, "scores", "assim", "rank_expected"));
      Drawn f = drawn(JsonReader.at(m.summary, "scores", "forecast", "rank_histogram"),
          JsonReader.at(m.summary, "scores", "forecast", "rank_expected"));
      if (a == null && f == null) {
        if (!m.summary.isEmpty() && run.truthKnown() && !m.isPrior() && !m.unavailable()) {
          run.notes.add("rank_histograms.png: " + m.label() + " has no rank histogram in summary.json");
        }
        continue;
      }
      for (Drawn d : new Drawn[] {a, f}) {
        if (d != null) {
          for (int b = 0; b < d.bins(); b++) {
            ymax = Math.max(ymax, Math.max(d.density[b], d.bandHi[b]));
          }
        }
      }
      anyForecast |= f != null;
      cols.add(m);
      data.add(new Drawn[] {a, f});
    }
    if (cols.isEmpty()) {
      if (run.summary != null) {
        run.notes.add("rank_histograms.png: no rank histogram in summary.json (truth unknown?): not drawn");
      }
      return null;
    }
    int w = Math.max(230, Math.min(300, 1400 / cols.size()));
    List<PanelFigure.Cell> top = new ArrayList<>();
    List<PanelFigure.Cell> bottom = new ArrayList<>();
    List<String> bins = new ArrayList<>();
    java.util.Set<Long> pointsA = new java.util.TreeSet<>();
    java.util.Set<Long> pointsF = new java.util.TreeSet<>();
    for (Drawn[] d : data) {
      if (d[0] != null) {
        pointsA.add(d[0].points);
      }
      if (d[1] != null) {
        pointsF.add(d[1].points);
      }
    }
    for (int k = 0; k < cols.size(); k++) {
      MethodOutput m = cols.get(k);
      for (int part = 0; part < 2; part++) {
        Drawn d = data.get(k)[part];
        if (part == 1 && !anyForecast) {
          continue;
        }
        boolean sameN = (part == 0 ? pointsA : pointsF).size() <= 1;
        String title = m.label() + (d == null ? " (none)" : sameN ? "" : " (N = " + d.points + ")");
        (part == 0 ? top : bottom).add(new PanelFigure.Cell(panel(d, m.colour, ymax, title), w));
        if (d != null && !bins.contains(Integer.toString(d.bins()))) {
          bins.add(Integer.toString(d.bins()));
        }
      }
    }
    List<PanelFigure.Entry> legend = List.of(
        PanelFigure.Entry.line(Color.DARK_GRAY, Style.THICK, "observed density of the truth's rank"),
        PanelFigure.Entry.band(BAND, "95 % range for a calibrated posterior (independent points)"),
        PanelFigure.Entry.line(Color.BLACK, Style.DASHED, "calibrated (density 1)"));
    PanelFigure f = new PanelFigure("Rank histograms of the truth")
        .row(top, HEIGHT, null, "Assimilated states" + points(pointsA))
        .row(bottom, HEIGHT, null, "Forecast states" + points(pointsF))
        .legend(legend);
    return new Figure("rank_histograms.png", Figure.Section.CALIBRATION, "Rank histograms",
        "Rank of the truth among each method's posterior draws at every point (t, i) — assimilated states on top"
            + (anyForecast ? ", forecast states below" : "") + "; N points per panel — in " + String.join(" or ", bins)
            + " bins (summary.json's rank_histogram, neighbouring bins pooled where fewer than " + MIN_EXPECTED
            + " points per bin are expected; with fewer draws m than bins, the bins none of the m + 1 ranks falls in "
            + "are left out), as density relative to a calibrated posterior (rank_expected): flat "
            + "at 1 is calibrated, U-shaped too narrow, dome-shaped too wide, sloped biased. The grey band is the "
            + "central 95 % range of each bin's count for a calibrated posterior if the N points were independent, "
            + "Binomial(N, p_b); neighbouring points and times are correlated, so the real sampling noise is wider "
            + "than the band.", f.render(), Figure.labels(cols));
  }

  /** " (N = 192 points per panel)" when one N holds for the whole row. */
  private static String points(java.util.Set<Long> n) {
    return n.size() == 1 ? " (N = " + n.iterator().next() + " points (t, i) per panel)" : "";
  }

  /** The band's colour. */
  static final Color BAND = new Color(0xD6D6D6);

  /** A panel: the band (grey boxes) behind, the relative density as a step line in the method's colour. */
  private static JFreeChart panel(Drawn d, Color c, double ymax, String title) {
    XYPlot p = new XYPlot();
    NumberAxis xa = Style.axis(new NumberAxis("rank of the truth (PIT)"));
    xa.setRange(0, 1);
    NumberAxis ya = Style.axis(new NumberAxis("density / calibrated"));
    ya.setRange(0, ymax * 1.08);
    p.setDomainAxis(xa);
    p.setRangeAxis(ya);
    p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    if (d != null) {
      XYIntervalSeries band = new XYIntervalSeries("band");
      org.jfree.data.xy.XYSeries step = new org.jfree.data.xy.XYSeries("density", false, true);
      for (int b = 0; b < d.bins(); b++) {
        double mid = 0.5 * (d.lower[b] + d.upper[b]);
        band.add(mid, d.lower[b], d.upper[b], 0.5 * (d.bandLo[b] + d.bandHi[b]), d.bandLo[b], d.bandHi[b]);
        step.add(d.lower[b], d.density[b]);
        step.add(d.upper[b], d.density[b]);
      }
      p.setDataset(0, collection(band));
      p.setRenderer(0, bars(BAND));
      p.setDataset(1, new org.jfree.data.xy.XYSeriesCollection(step));
      org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r =
          new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, false);
      r.setSeriesPaint(0, c.darker());
      r.setSeriesStroke(0, Style.THICK);
      p.setRenderer(1, r);
    }
    p.addRangeMarker(new ValueMarker(1.0, Color.BLACK, Style.DASHED), Layer.FOREGROUND);
    return Style.panel(new JFreeChart(null, Style.TITLE, p, false), title);
  }

  private static XYIntervalSeriesCollection collection(XYIntervalSeries s) {
    XYIntervalSeriesCollection c = new XYIntervalSeriesCollection();
    c.addSeries(s);
    return c;
  }

  private static XYBarRenderer bars(Color fill) {
    XYBarRenderer r = new XYBarRenderer(0.0);
    r.setBarPainter(new StandardXYBarPainter());
    r.setShadowVisible(false);
    r.setUseYInterval(true);
    r.setSeriesPaint(0, fill);
    r.setDrawBarOutline(false);
    return r;
  }

  /** Numbers of a JSON list, or null (absent, empty). */
  static double[] numbers(Object o) {
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

  /**
   * What is drawn of one histogram: counts pooled into at most {@link #BINS} bins with about
   * {@link #MIN_EXPECTED} expected points or more per bin, the relative density and the binomial band; null when
   * there are no counts. Without (or with mis-sized) expected probabilities the bins are taken as equally likely.
   */
  static Drawn drawn(Object countsJson, Object expectedJson) {
    double[] counts = numbers(countsJson);
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
    double[] expected = numbers(expectedJson);
    if (expected == null || expected.length != n) {
      expected = new double[n];
      java.util.Arrays.fill(expected, 1.0 / n);
    }
    int nb = displayBins(n, total);
    double[] lower = new double[nb];
    double[] upper = new double[nb];
    double[] density = new double[nb];
    double[] lo = new double[nb];
    double[] hi = new double[nb];
    double sumP = 0;
    for (double e : expected) {
      sumP += e;
    }
    long points = Math.round(total);
    double edge = 0;
    for (int b = 0; b < nb; b++) {
      int from = (int) ((long) b * n / nb);
      int to = (int) ((long) (b + 1) * n / nb);
      double s = 0;
      double p = 0;
      for (int k = from; k < to; k++) {
        s += counts[k];
        p += expected[k] / sumP;
      }
      lower[b] = edge;
      edge += p;
      upper[b] = b == nb - 1 ? 1.0 : edge;
      double mean = total * p;
      density[b] = mean > 0 ? s / mean : 0;
      long[] q = binomialQuantiles(points, p, BAND_ALPHA / 2, 1 - BAND_ALPHA / 2);
      lo[b] = mean > 0 ? q[0] / mean : 0;
      hi[b] = mean > 0 ? q[1] / mean : 0;
    }
    // bins that no rank can fall in (fewer ranks than bins: m + 1 < bins) are left out, not drawn at zero width
    int kept = 0;
    for (int b = 0; b < nb; b++) {
      if (upper[b] - lower[b] > 1e-12 || density[b] > 0) {
        lower[kept] = lower[b];
        upper[kept] = upper[b];
        density[kept] = density[b];
        lo[kept] = lo[b];
        hi[kept] = hi[b];
        kept++;
      }
    }
    return new Drawn(java.util.Arrays.copyOf(lower, kept), java.util.Arrays.copyOf(upper, kept),
        java.util.Arrays.copyOf(density, kept), java.util.Arrays.copyOf(lo, kept), java.util.Arrays.copyOf(hi, kept),
        points);
  }

  /**
   * Bins to draw of {@code n} bins holding {@code total} points: at most {@link #BINS}, with at least
   * {@link #MIN_EXPECTED} points per bin on average where that leaves two or more; a divisor of {@code n} when one
   * is at least half of that (equal pooling), else the bins are pooled in nearly equal runs.
   */
  static int displayBins(int n, double total) {
    int target = Math.min(Math.min(n, BINS), Math.max(2, (int) Math.floor(total / MIN_EXPECTED)));
    target = Math.min(target, n);
    for (int b = target; b >= Math.max(1, (target + 1) / 2); b--) {
      if (n % b == 0) {
        return b;
      }
    }
    return target;
  }

  /**
   * The {@code a}- and {@code b}-quantiles of Binomial(n, p): the smallest k with P(X ≤ k) ≥ a, and the
   * smallest k with P(X ≤ k) ≥ b. Exact: the pmf by its recurrence in log space, summed up to the b-quantile
   * (O(n p) steps; terms that underflow are below any quantile that matters).
   */
  static long[] binomialQuantiles(long n, double p, double a, double b) {
    if (n <= 0 || !(p > 0)) {
      return new long[] {0, 0};
    }
    if (p >= 1) {
      return new long[] {n, n};
    }
    double logP = Math.log(p);
    double logQ = Math.log1p(-p);
    double logPmf = n * logQ;
    double cdf = 0;
    long qa = -1;
    long qb = -1;
    for (long k = 0; k <= n; k++) {
      if (k > 0) {
        logPmf += Math.log((double) (n - k + 1) / k) + logP - logQ;
      }
      cdf += Math.exp(logPmf);
      if (qa < 0 && cdf >= a * (1 - 1e-12)) {
        qa = k;
      }
      if (cdf >= b * (1 - 1e-12)) {
        qb = k;
        break;
      }
    }
    if (qa < 0) {
      qa = n;
    }
    if (qb < 0) {
      qb = n;
    }
    return new long[] {qa, qb};
  }
}
