package org.vi4dvar.kernels.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Taylor (tangent-linear / gradient) checks: the remainder {@code r(ε) = ‖F(x+ε dx) − F(x) − ε F'(x)dx‖}
 * must fall as {@code ε²}. The slope of {@code log r} against {@code log ε} is fitted by least squares over the
 * ε for which r is well above round-off, and returned; callers assert it is 2 ± {@link Tol#TAYLOR_SLOPE}.
 */
public final class TaylorCheck {

  private TaylorCheck() {
  }

  /** The log10 ε grid: 10^-1 ... 10^-8 in half decades. */
  public static double[] epsilons() {
    double[] e = new double[15];
    for (int k = 0; k < e.length; k++) {
      e[k] = Math.pow(10.0, -1.0 - 0.5 * k);
    }
    return e;
  }

  /**
   * Fits the slope of {@code log r(ε)} over the ε whose remainder exceeds {@code floor} (round-off level) by a
   * factor 100 and that are small enough to be asymptotic (the remainder is below {@code 0.1 × ε·‖F'dx‖}).
   *
   * @param remainder r(ε)
   * @param linearNorm ‖F'(x) dx‖ (or |⟨∇J, h⟩| for a gradient)
   * @param floor round-off level of r, e.g. 1e-15 × ‖F(x)‖
   * @return the fitted slope; NaN if fewer than 4 points qualify
   */
  public static double slope(DoubleUnaryOperator remainder, double linearNorm, double floor) {
    List<double[]> pts = new ArrayList<>();
    for (double eps : epsilons()) {
      double r = remainder.applyAsDouble(eps);
      if (r > 100 * floor && r < 0.1 * eps * linearNorm) {
        pts.add(new double[] {Math.log10(eps), Math.log10(r)});
      }
    }
    if (pts.size() < 4) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : pts) {
      mx += p[0];
      my += p[1];
    }
    mx /= pts.size();
    my /= pts.size();
    double sxy = 0;
    double sxx = 0;
    for (double[] p : pts) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    return sxy / sxx;
  }

  /** Euclidean norm. */
  public static double norm(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** Dot product. */
  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** {@code x + eps dx}. */
  public static double[] axpy(double[] x, double eps, double[] dx) {
    double[] r = x.clone();
    for (int i = 0; i < r.length; i++) {
      r[i] += eps * dx[i];
    }
    return r;
  }

  /** ‖a − b − eps c‖. */
  public static double remainderNorm(double[] a, double[] b, double eps, double[] c) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i] - eps * c[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** {@code |lhs − rhs| / max(|lhs|, |rhs|)}: the relative mismatch of a dot-product test. */
  public static double relativeMismatch(double lhs, double rhs) {
    return Math.abs(lhs - rhs) / Math.max(Math.abs(lhs), Math.abs(rhs));
  }
}
