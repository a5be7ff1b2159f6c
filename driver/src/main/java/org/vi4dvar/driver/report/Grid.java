package org.vi4dvar.driver.report;

/**
 * A dense row-major matrix of doubles read from a CSV file, {@code NaN} where a field was empty (missing).
 * Immutable once built (the array is owned).
 */
final class Grid {

  final int rows;
  final int cols;
  private final double[] v;

  Grid(int rows, int cols, double[] v) {
    if (rows < 0 || cols < 0 || v.length != rows * cols) {
      throw new IllegalArgumentException("grid " + rows + " x " + cols + " needs " + (rows * cols)
          + " values, got " + v.length);
    }
    this.rows = rows;
    this.cols = cols;
    this.v = v;
  }

  /** Value at row {@code r}, column {@code c} (NaN if missing). */
  double get(int r, int c) {
    return v[r * cols + c];
  }

  /** Whether this grid is {@code rows x cols}. */
  boolean hasShape(int r, int c) {
    return rows == r && cols == c;
  }

  /** Column {@code c}, copied. */
  double[] column(int c) {
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = v[r * cols + c];
    }
    return out;
  }

  /** Number of finite values. */
  int finiteCount() {
    int n = 0;
    for (double x : v) {
      if (Double.isFinite(x)) {
        n++;
      }
    }
    return n;
  }

  /** {@code this - other} elementwise (same shape). */
  Grid minus(Grid other) {
    if (!other.hasShape(rows, cols)) {
      throw new IllegalArgumentException("shape " + other.rows + " x " + other.cols + " != " + rows + " x " + cols);
    }
    double[] d = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      d[k] = v[k] - other.v[k];
    }
    return new Grid(rows, cols, d);
  }

  /** {@code f(x)} elementwise; {@code f} sees NaN for missing values. */
  Grid map(java.util.function.DoubleUnaryOperator f) {
    double[] d = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      d[k] = f.applyAsDouble(v[k]);
    }
    return new Grid(rows, cols, d);
  }

  /** Correlation matrix of a covariance matrix ({@code NaN} where a variance is not positive). */
  Grid correlation() {
    double[] d = new double[v.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double s = Math.sqrt(get(i, i) * get(j, j));
        d[i * cols + j] = s > 0 ? get(i, j) / s : Double.NaN;
      }
    }
    return new Grid(rows, cols, d);
  }

  /** The values, for range computations (not copied: do not modify). */
  double[] values() {
    return v;
  }
}
