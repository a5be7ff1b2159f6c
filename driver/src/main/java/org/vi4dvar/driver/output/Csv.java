package org.vi4dvar.driver.output;

import java.io.IOException;
import java.io.Writer;
import org.vi4dvar.kernels.experiment.Table;

/** Formats the CSV files of {@link OutputLayout}: numbers by {@link Double#toString}, non-finite as empty. */
final class Csv {

  private Csv() {
  }

  static void number(Writer w, double v) throws IOException {
    if (Double.isFinite(v)) {
      w.write(Double.toString(v));
    }
  }

  /**
   * {@code rows × cols} values of {@code a} (row-major from {@code off}) with a leading coordinate column
   * {@code coord} (the row index) and the header {@code coord,prefix0,…}.
   */
  static void grid(Writer w, String coord, String prefix, double[] a, int off, int rows, int cols)
      throws IOException {
    w.write(OutputLayout.header(coord, prefix, cols));
    w.write('\n');
    for (int r = 0; r < rows; r++) {
      w.write(Integer.toString(r));
      for (int c = 0; c < cols; c++) {
        w.write(',');
        number(w, a[off + r * cols + c]);
      }
      w.write('\n');
    }
  }

  /** One row of values under the header {@code prefix0,…}. */
  static void row(Writer w, String prefix, double[] a) throws IOException {
    w.write(OutputLayout.header(null, prefix, a.length));
    w.write('\n');
    for (int c = 0; c < a.length; c++) {
      if (c > 0) {
        w.write(',');
      }
      number(w, a[c]);
    }
    w.write('\n');
  }

  /** A kernel table with its header. */
  static void table(Writer w, Table t) throws IOException {
    int rows = t.rows();
    StringBuilder h = new StringBuilder();
    for (Table.Column c : t.columns()) {
      if (h.length() > 0) {
        h.append(',');
      }
      h.append(c.name);
    }
    w.write(h.toString());
    w.write('\n');
    StringBuilder b = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      b.setLength(0);
      boolean first = true;
      for (Table.Column c : t.columns()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        if (c.doubles != null) {
          double v = c.doubles[r];
          if (Double.isFinite(v)) {
            b.append(v);
          }
        } else if (c.longs != null) {
          b.append(c.longs[r]);
        } else {
          b.append(c.strings[r]);
        }
      }
      b.append('\n');
      w.write(b.toString());
    }
  }
}
