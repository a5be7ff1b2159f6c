package org.vi4dvar.driver.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;

/**
 * A figure made of JFreeChart panels laid out in rows, with colour bars (one per panel, or one shared by a
 * row, drawn beside it and aligned with the panels' data areas), a figure title and a figure-wide legend at
 * the bottom. JFreeChart has no subplot grid of independent charts; this draws each chart into its cell of one
 * image.
 */
final class PanelFigure {

  static final int MARGIN = 14;
  static final int TITLE_HEIGHT = 36;
  /** Height of a row heading. */
  static final int HEADING = 24;
  private static final int LEGEND_LINE = 26;
  private static final int SWATCH = 30;
  private static final int ENTRY_GAP = 22;

  /**
   * One panel: a chart of {@code width} pixels and, optionally, its own colour bar to its right; without a bar,
   * {@code reserve} pixels are kept free in its place (so that the panels of two rows align).
   */
  record Cell(JFreeChart chart, int width, ColourBar bar, int reserve) {
    Cell(JFreeChart chart, int width) {
      this(chart, width, null, 0);
    }

    Cell(JFreeChart chart, int width, ColourBar bar) {
      this(chart, width, bar, 0);
    }

    int totalWidth() {
      return width + (bar != null ? bar.width() : reserve);
    }
  }

  /**
   * A row of panels of {@code height} pixels, optionally with a colour bar shared by the row and a heading
   * (drawn above the panels, in {@link #HEADING} more pixels).
   */
  record Row(List<Cell> cells, int height, ColourBar shared, String heading) {
    int width() {
      int w = 0;
      for (Cell c : cells) {
        w += c.totalWidth();
      }
      return w + (shared == null ? 0 : shared.width());
    }

    int totalHeight() {
      return height + (heading == null ? 0 : HEADING);
    }
  }

  /** A figure legend entry: what it looks like and its text. */
  record Entry(Kind kind, Color colour, Stroke stroke, Shape shape, String text) {
    static Entry line(Color c, Stroke s, String text) {
      return new Entry(Kind.LINE, c, s, null, text);
    }

    static Entry band(Color c, String text) {
      return new Entry(Kind.BAND, c, null, null, text);
    }

    static Entry marker(Color c, Shape shape, String text) {
      return new Entry(Kind.MARKER, c, null, shape, text);
    }
  }

  /** Legend entry kinds. */
  enum Kind {
    LINE, BAND, MARKER
  }

  private final String title;
  private final List<Row> rows = new ArrayList<>();
  private final List<Entry> legend = new ArrayList<>();

  PanelFigure(String title) {
    this.title = title;
  }

  PanelFigure row(List<Cell> cells, int height, ColourBar shared) {
    return row(cells, height, shared, null);
  }

  /** A row with a heading above it (what the row shows, when the rows of a figure differ). */
  PanelFigure row(List<Cell> cells, int height, ColourBar shared, String heading) {
    if (!cells.isEmpty()) {
      rows.add(new Row(List.copyOf(cells), height, shared, heading));
    }
    return this;
  }

  PanelFigure legend(List<Entry> entries) {
    legend.addAll(entries);
    return this;
  }

  int width() {
    int w = 0;
    for (Row r : rows) {
      w = Math.max(w, r.width());
    }
    return w + 2 * MARGIN;
  }

  int height() {
    int h = 2 * MARGIN + (title == null ? 0 : TITLE_HEIGHT);
    for (Row r : rows) {
      h += r.totalHeight();
    }
    return h + legendLines(width()) * LEGEND_LINE;
  }

  /** Renders the figure (headless). */
  BufferedImage render() {
    final int w = width();
    final int h = height();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      hints(g);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      int y = MARGIN;
      if (title != null) {
        g.setFont(Style.SUPTITLE);
        g.setColor(Style.TEXT);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (w - fm.stringWidth(title)) / 2, y + fm.getAscent());
        y += TITLE_HEIGHT;
      }
      for (Row r : rows) {
        int x = MARGIN + (w - 2 * MARGIN - r.width()) / 2;
        if (r.heading != null) {
          g.setFont(Style.LABEL.deriveFont(java.awt.Font.BOLD));
          g.setColor(Style.TEXT);
          FontMetrics hm = g.getFontMetrics();
          g.drawString(r.heading, x + 6, y + (HEADING + hm.getAscent()) / 2 - 2);
          y += HEADING;
        }
        Rectangle2D firstData = null;
        for (Cell c : r.cells) {
          ChartRenderingInfo info = new ChartRenderingInfo();
          hints(g);
          c.chart.draw(g, new Rectangle2D.Double(x, y, c.width, r.height), info);
          Rectangle2D data = info.getPlotInfo().getDataArea();
          if (firstData == null) {
            firstData = data;
          }
          x += c.width;
          if (c.bar != null) {
            hints(g);
            c.bar.draw(g, x, data);
          }
          x += c.bar != null ? c.bar.width() : c.reserve;
        }
        if (r.shared != null && firstData != null) {
          hints(g);
          r.shared.draw(g, x, firstData);
        }
        y += r.height;
      }
      drawLegend(g, y, w);
    } finally {
      g.dispose();
    }
    return img;
  }

  private static void hints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
  }

  private int legendLines(int w) {
    if (legend.isEmpty()) {
      return 0;
    }
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scratch.createGraphics();
    try {
      return layout(g, w).size();
    } finally {
      g.dispose();
    }
  }

  /** Entries split into lines that fit the figure width. */
  private List<List<Entry>> layout(Graphics2D g, int w) {
    g.setFont(Style.SMALL);
    FontMetrics fm = g.getFontMetrics();
    List<List<Entry>> lines = new ArrayList<>();
    List<Entry> cur = new ArrayList<>();
    int used = 0;
    for (Entry e : legend) {
      int ew = entryWidth(fm, e);
      if (!cur.isEmpty() && used + ew > w - 2 * MARGIN) {
        lines.add(cur);
        cur = new ArrayList<>();
        used = 0;
      }
      cur.add(e);
      used += ew;
    }
    if (!cur.isEmpty()) {
      lines.add(cur);
    }
    return lines;
  }

  private static int entryWidth(FontMetrics fm, Entry e) {
    return SWATCH + 6 + fm.stringWidth(e.text) + ENTRY_GAP;
  }

  private void drawLegend(Graphics2D g, int y, int w) {
    if (legend.isEmpty()) {
      return;
    }
    g.setFont(Style.SMALL);
    FontMetrics fm = g.getFontMetrics();
    for (List<Entry> line : layout(g, w)) {
      int lw = 0;
      for (Entry e : line) {
        lw += entryWidth(fm, e);
      }
      lw -= ENTRY_GAP;
      int x = (w - lw) / 2;
      int cy = y + LEGEND_LINE / 2;
      for (Entry e : line) {
        swatch(g, e, x, cy);
        g.setColor(Style.TEXT);
        g.drawString(e.text, x + SWATCH + 6, cy + fm.getAscent() / 2 - 1);
        x += entryWidth(fm, e);
      }
      y += LEGEND_LINE;
    }
  }

  private static void swatch(Graphics2D g, Entry e, int x, int cy) {
    switch (e.kind) {
      case LINE:
        g.setColor(e.colour);
        g.setStroke(e.stroke == null ? Style.LINE : e.stroke);
        g.draw(new Line2D.Double(x + 1, cy, x + SWATCH - 1, cy));
        g.setStroke(new BasicStroke(1f));
        break;
      case BAND:
        g.setColor(e.colour);
        g.fillRect(x, cy - 7, SWATCH, 14);
        break;
      case MARKER:
        AffineTransform saved = g.getTransform();
        g.translate(x + SWATCH / 2.0, cy);
        g.setColor(e.colour);
        g.fill(e.shape);
        g.setTransform(saved);
        break;
      default:
        throw new AssertionError(e.kind);
    }
  }
}
