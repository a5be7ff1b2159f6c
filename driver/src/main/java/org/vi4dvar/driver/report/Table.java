package org.vi4dvar.driver.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A small CSV table with a header row (lower-cased names); fields are kept as text and parsed on demand. */
final class Table {

  final String name;
  private final String[] header;
  private final List<String[]> rows;

  Table(String name, String[] header, List<String[]> rows) {
    this.name = name;
    this.header = header;
    this.rows = List.copyOf(rows);
  }

  int size() {
    return rows.size();
  }

  boolean has(String column) {
    return index(column) >= 0;
  }

  /** Field text, or "" if the row is short or the column absent. */
  String text(int row, String column) {
    int c = index(column);
    String[] f = rows.get(row);
    return c >= 0 && c < f.length ? f[c].trim() : "";
  }

  /** A numeric column (NaN where empty); absent column: all NaN. */
  double[] numbers(String column) throws IOException {
    double[] out = new double[rows.size()];
    for (int r = 0; r < out.length; r++) {
      out[r] = Csv.number(text(r, column), Path.of(name), r + 2);
    }
    return out;
  }

  /** A boolean column: {@code true}/{@code 1} are true. */
  boolean[] flags(String column) {
    boolean[] out = new boolean[rows.size()];
    for (int r = 0; r < out.length; r++) {
      String s = text(r, column);
      out[r] = s.equalsIgnoreCase("true") || s.equals("1");
    }
    return out;
  }

  private int index(String column) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].equals(column)) {
        return i;
      }
    }
    return -1;
  }
}
