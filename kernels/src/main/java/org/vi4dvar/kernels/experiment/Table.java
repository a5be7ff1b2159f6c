package org.vi4dvar.kernels.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A table a method reports besides its posterior — MAP's starts, the ensemble's members, VI's restarts, the
 * long-form traces — with named, typed columns held as primitive arrays. The driver writes it as
 * {@code <method>/<name>.csv} with a header line; its column names are constants of the method that builds it,
 * which the writer, the report and the tests all use. Immutable once built.
 */
public final class Table implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** One column: exactly one of the arrays is set. */
  public static final class Column implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** The column's name (CSV header). */
    public final String name;
    /** Numbers (NaN and infinities are written as empty fields). */
    public final double[] doubles;
    /** Integers. */
    public final long[] longs;
    /** Text (no commas, quotes or line breaks). */
    public final String[] strings;

    private Column(String name, double[] d, long[] l, String[] s) {
      this.name = name;
      this.doubles = d;
      this.longs = l;
      this.strings = s;
    }

    /** Number of rows. */
    public int rows() {
      return doubles != null ? doubles.length : longs != null ? longs.length : strings.length;
    }
  }

  /** The table's name: its file is {@code <method>/<name>.csv}. */
  public final String name;
  private final List<Column> columns;

  private Table(String name, List<Column> columns) {
    this.name = name;
    this.columns = Collections.unmodifiableList(columns);
  }

  /** The columns, in order. */
  public List<Column> columns() {
    return columns;
  }

  /** Number of rows. */
  public int rows() {
    return columns.isEmpty() ? 0 : columns.get(0).rows();
  }

  /** The column named {@code name}, or null. */
  public Column column(String name) {
    for (Column c : columns) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** A builder of a table named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a table column by column; every column must have the same number of rows. */
  public static final class Builder {
    private final String name;
    private final List<Column> columns = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    private Builder add(Column c) {
      if (!columns.isEmpty() && columns.get(0).rows() != c.rows()) {
        throw new IllegalArgumentException("table " + name + ": column " + c.name + " has " + c.rows()
            + " rows, expected " + columns.get(0).rows());
      }
      for (Column o : columns) {
        if (o.name.equals(c.name)) {
          throw new IllegalArgumentException("table " + name + ": column " + c.name + " given twice");
        }
      }
      columns.add(c);
      return this;
    }

    /** A numeric column (the array is kept). */
    public Builder doubles(String column, double[] values) {
      return add(new Column(column, values, null, null));
    }

    /** An integer column (the array is kept). */
    public Builder longs(String column, long[] values) {
      return add(new Column(column, null, values, null));
    }

    /** An integer column from ints. */
    public Builder ints(String column, int[] values) {
      long[] l = new long[values.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = values[i];
      }
      return longs(column, l);
    }

    /** A text column (the array is kept). */
    public Builder strings(String column, String[] values) {
      return add(new Column(column, null, null, values));
    }

    /** A boolean column, written as true/false. */
    public Builder booleans(String column, boolean[] values) {
      String[] s = new String[values.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = Boolean.toString(values[i]);
      }
      return strings(column, s);
    }

    /**
     * The columns {@code prefix0 … prefix(n−1)} of a row-major {@code rows × n} matrix (copied per column), e.g.
     * MAP's trajectory as {@code x_0, x_1, …}.
     */
    public Builder matrix(String prefix, double[] rowMajor, int n) {
      String[] names = new String[n];
      for (int k = 0; k < n; k++) {
        names[k] = prefix + k;
      }
      return matrix(names, rowMajor);
    }

    /**
     * The columns {@code names[0] … names[n−1]} of a row-major {@code rows × n} matrix (copied per column), e.g.
     * ABC's kept controls under their {@code FourDVarProblem.controlNames()}.
     */
    public Builder matrix(String[] names, double[] rowMajor) {
      final int n = names.length;
      int rows = n == 0 ? 0 : rowMajor.length / n;
      for (int k = 0; k < n; k++) {
        double[] col = new double[rows];
        for (int r = 0; r < rows; r++) {
          col[r] = rowMajor[r * n + k];
        }
        doubles(names[k], col);
      }
      return this;
    }

    /** The table. */
    public Table build() {
      return new Table(name, new ArrayList<>(columns));
    }
  }
}
