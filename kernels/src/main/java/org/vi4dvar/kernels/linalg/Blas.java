package org.vi4dvar.kernels.linalg;

/**
 * BLAS level-1 helpers on the first {@code n} entries of flat arrays. Plain counted loops (C2 unrolls and
 * vectorises them); no allocation.
 */
public final class Blas {

  private Blas() {
  }

  /** {@code Σ_{i<n} x_i y_i}. Not modified. */
  public static double dot(int n, double[] x, double[] y) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  /** {@code y += a x} on the first n entries. {@code y} modified. */
  public static void axpy(int n, double a, double[] x, double[] y) {
    for (int i = 0; i < n; i++) {
      y[i] += a * x[i];
    }
  }

  /** {@code x *= a} on the first n entries. {@code x} modified. */
  public static void scal(int n, double a, double[] x) {
    for (int i = 0; i < n; i++) {
      x[i] *= a;
    }
  }

  /** {@code y = x} on the first n entries. {@code y} modified. */
  public static void copy(int n, double[] x, double[] y) {
    System.arraycopy(x, 0, y, 0, n);
  }

  /**
   * Euclidean norm {@code ‖x‖₂} of the first n entries. One pass of {@code Σ x_i²}; if that over- or
   * underflows (result infinite, or zero while some entry is not), a second pass scaled by {@code max |x_i|}
   * gives the right finite value. Returns NaN if an entry is NaN and +∞ if an entry is infinite.
   */
  public static double nrm2(int n, double[] x) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += x[i] * x[i];
    }
    if (s < Double.POSITIVE_INFINITY && s > Double.MIN_NORMAL * 1e16) {
      return Math.sqrt(s);
    }
    if (Double.isNaN(s)) {
      return s;
    }
    double m = 0.0;
    for (int i = 0; i < n; i++) {
      double a = Math.abs(x[i]);
      if (Double.isNaN(a)) {
        return a;
      }
      m = Math.max(m, a);
    }
    if (m == 0.0 || m == Double.POSITIVE_INFINITY) {
      return m;
    }
    double t = 0.0;
    for (int i = 0; i < n; i++) {
      double v = x[i] / m;
      t += v * v;
    }
    return m * Math.sqrt(t);
  }

  /** {@code max_i |x_i|} over the first n entries (NaN if one is NaN). */
  public static double normInf(int n, double[] x) {
    double m = 0.0;
    for (int i = 0; i < n; i++) {
      double a = Math.abs(x[i]);
      if (!(a <= m)) {
        m = a; // also takes NaN
        if (Double.isNaN(a)) {
          return a;
        }
      }
    }
    return m;
  }

  /** Whether the first n entries are all finite. */
  public static boolean allFinite(int n, double[] x) {
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(x[i])) {
        return false;
      }
    }
    return true;
  }
}
