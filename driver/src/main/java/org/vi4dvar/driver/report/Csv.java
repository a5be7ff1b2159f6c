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
 * NaN) and small tables with a header row. Ragged rows are padded with missing values; blank lines are skipped.
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
    List<String[]> lines = lines(file, Integer.MAX_VALUE);
    if (lines.isEmpty()) {
      throw new IOException(file.getFileName() + ": empty (no header row)");
    }
    int cols = 0;
    for (int r = 1; r < lines.size(); r++) {
      cols = Math.max(cols, lines.get(r).length - 1);
    }
    int rows = lines.size() - 1;
    double[] v = new double[rows * cols];
    Arrays.fill(v, Double.NaN);
    for (int r = 0; r < rows; r++) {
      String[] f = lines.get(r + 1);
      for (int c = 1; c < f.length; c++) {
        v[r * cols + c - 1] = number(f[c], file, r + 2);
      }
    }
    return new Grid(rows, cols, v);
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

  /** A table whose first line is the header. */
  static Table table(Path file) throws IOException {
    List<String[]> lines = lines(file, Integer.MAX_VALUE);
    if (lines.isEmpty()) {
      throw new IOException(file.getFileName() + ": empty (no header row)");
    }
    String[] header = lines.get(0);
    for (int i = 0; i < header.length; i++) {
      header[i] = header[i].trim().toLowerCase(Locale.ROOT);
    }
    return new Table(file.getFileName().toString(), header, lines.subList(1, lines.size()));
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
