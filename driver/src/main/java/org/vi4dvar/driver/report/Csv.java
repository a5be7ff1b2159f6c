package org.vi4dvar.driver.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the run's comma-separated files: numeric grids without a header (an empty field is a missing value,
 * NaN), headed result grids (whole, or a window read as a stream) and tables with a header row (all columns, or
 * the named ones only). Ragged rows are padded with missing values; blank lines are skipped.
 * Errors are {@link IOException}s whose message names the file and the line, for the report's notes.
 */
final class Csv {

  private Csv() {
  }

  /** A numeric grid without a header. */
  static Grid grid(Path file) throws IOException {
    return grid(file, Integer.MAX_VALUE);
  }

  /** The first {@code maxRows} rows of a numeric grid without a header (the rest is not read). */
  static Grid grid(Path file, int maxRows) throws IOException {
    List<String[]> lines = lines(file, maxRows);
    int cols = 0;
    for (String[] f : lines) {
      cols = Math.max(cols, f.length);
    }
    double[] v = new double[lines.size() * cols];
    Arrays.fill(v, Double.NaN);
    for (int r = 0; r < lines.size(); r++) {
      String[] f = lines.get(r);
      for (int c = 0; c < f.length; c++) {
        v[r * cols + c] = number(f[c], file, r + 1);
      }
    }
    return new Grid(lines.size(), cols, v);
  }

  /**
   * A numeric grid written with a header line and a leading coordinate column ({@code t,x_0,…} or
   * {@code i,x_0,…}, see OutputLayout): the header and the coordinate column are dropped.
   */
  static Grid headedGrid(Path file) throws IOException {
    return headedWindow(file, Integer.MAX_VALUE, Integer.MAX_VALUE).grid;
  }

  /**
   * The first {@code maxRows} data rows and the first {@code maxCols} value columns of a headed grid (see
   * {@link #headedGrid}), read as a stream: the rest of each line is not parsed and the rows after the window
   * are not read, so a window of a 4096 × 4096 covariance file costs the window, not the file.
   */
  static Headed headedWindow(Path file, int maxRows, int maxCols) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      while (header != null && header.isBlank()) {
        header = r.readLine();
      }
      if (header == null) {
        throw new IOException(file.getFileName() + ": empty (no header row)");
      }
      int headerCols = count(header, ',');
      int want = Math.min(maxCols, headerCols);
      double[] v = new double[Math.max(16, want) * 16];
      int rows = 0;
      int cols = want;
      int line = 1;
      for (String s = r.readLine(); s != null && rows < maxRows; s = r.readLine()) {
        line++;
        if (s.isBlank()) {
          continue;
        }
        if ((long) (rows + 1) * cols > v.length) {
          v = Arrays.copyOf(v, (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) (rows + 1) * cols,
              2L * v.length)));
        }
        Arrays.fill(v, rows * cols, (rows + 1) * cols, Double.NaN);
        // skip the coordinate column, then parse at most `cols` fields
        int at = s.indexOf(',');
        for (int c = 0; c < cols && at >= 0; c++) {
          int next = s.indexOf(',', at + 1);
          String f = next < 0 ? s.substring(at + 1) : s.substring(at + 1, next);
          v[rows * cols + c] = number(f, file, line);
          at = next;
        }
        rows++;
      }
      return new Headed(new Grid(rows, cols, Arrays.copyOf(v, rows * cols)), headerCols);
    }
  }

  /** A window of a headed grid and the number of value columns its header names. */
  static final class Headed {
    final Grid grid;
    final int columns;

    Headed(Grid grid, int columns) {
      this.grid = grid;
      this.columns = columns;
    }
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int k = s.indexOf(c); k >= 0; k = s.indexOf(c, k + 1)) {
      n++;
    }
    return n;
  }

  /**
   * A long-form table {@code series,step,value} (e.g. {@code member,iteration,perturbed_cost}) as a grid with
   * one row per step and one column per series (in the order they appear; NaN where a series has ended).
   */
  static Grid longForm(Path file, String seriesColumn, String stepColumn, String valueColumn) throws IOException {
    Table t = table(file);
    double[] series = t.numbers(seriesColumn);
    double[] step = t.numbers(stepColumn);
    double[] value = t.numbers(valueColumn);
    java.util.Map<Double, Integer> col = new java.util.LinkedHashMap<>();
    int rows = 0;
    for (int r = 0; r < series.length; r++) {
      col.putIfAbsent(series[r], col.size());
      rows = Math.max(rows, (int) step[r] + 1);
    }
    int cols = col.size();
    double[] v = new double[rows * cols];
    Arrays.fill(v, Double.NaN);
    for (int r = 0; r < series.length; r++) {
      v[(int) step[r] * cols + col.get(series[r])] = value[r];
    }
    return new Grid(rows, cols, v);
  }

  /** The column names of a headed file (lower case). */
  static List<String> header(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String h = r.readLine(); h != null; h = r.readLine()) {
        if (!h.isBlank()) {
          List<String> out = new ArrayList<>();
          for (String c : h.split(",", -1)) {
            out.add(c.trim().toLowerCase(Locale.ROOT));
          }
          return out;
        }
      }
      return List.of();
    }
  }

  /** A table whose first line is the header. */
  static Table table(Path file) throws IOException {
    return table(file, null);
  }

  /**
   * A table whose first line is the header, keeping only the named columns ({@code null}: all): a kept-trials
   * table with one column per component of x0 is read without holding its thousands of x0 columns.
   */
  static Table table(Path file, java.util.Set<String> keep) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String h = r.readLine();
      while (h != null && h.isBlank()) {
        h = r.readLine();
      }
      if (h == null) {
        throw new IOException(file.getFileName() + ": empty (no header row)");
      }
      String[] header = h.split(",", -1);
      for (int i = 0; i < header.length; i++) {
        header[i] = header[i].trim().toLowerCase(Locale.ROOT);
      }
      int last = header.length - 1;
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < header.length; i++) {
        if (keep == null || keep.contains(header[i])) {
          idx.add(i);
        }
      }
      if (keep != null) {
        last = idx.isEmpty() ? -1 : idx.get(idx.size() - 1);
      }
      String[] kept = new String[idx.size()];
      for (int k = 0; k < kept.length; k++) {
        kept[k] = header[idx.get(k)];
      }
      List<String[]> rows = new ArrayList<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        if (keep == null) {
          rows.add(line.split(",", -1));
          continue;
        }
        // split only up to the last column kept: the rest of the line stays one unparsed field
        String[] f = line.split(",", last + 2);
        String[] o = new String[kept.length];
        for (int k = 0; k < o.length; k++) {
          int c = idx.get(k);
          o[k] = c < f.length ? f[c] : "";
        }
        rows.add(o);
      }
      return new Table(file.getFileName().toString(), keep == null ? header : kept, rows);
    }
  }

  /** Parses one field: empty, {@code null} or {@code NaN} give NaN. */
  static double number(String field, Path file, int line) throws IOException {
    String s = field.trim();
    if (s.isEmpty() || s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("null")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
      throw new IOException(file.getFileName() + " line " + line + ": not a number: '" + shown + "'", e);
    }
  }

  private static List<String[]> lines(Path file, int maxRows) throws IOException {
    List<String[]> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null && out.size() < maxRows; line = r.readLine()) {
        if (!line.isBlank()) {
          out.add(line.split(",", -1));
        }
      }
    }
    return out;
  }
}
