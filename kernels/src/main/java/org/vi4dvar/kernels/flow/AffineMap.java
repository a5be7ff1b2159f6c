package org.vi4dvar.kernels.flow;

/**
 * A fixed affine map {@code v = shift + P w} with P diagonal (n values) or lower-triangular (n×n row-major,
 * strict upper triangle ignored), with positive diagonal:
 * <pre>
 *   apply:            v = shift + P w
 *   applyTranspose:   g_w = Pᵀ g_v                (a cotangent pulled back from v to w)
 *   solve:            w = P⁻¹ (v − shift)
 *   solveTranspose:   g_v = P⁻ᵀ g_w               (a cotangent pushed forward from w to v)
 *   log |det P| = Σ log P_ii
 * </pre>
 * VI uses it twice: as the preconditioner that puts the variational parameters in the coordinates of the start's
 * scale (μ0 and the initial factor), and inside {@link FlowPosterior} to map the flow's output back to the
 * whitened control v. Immutable and shippable; methods write into caller-owned arrays and allocate nothing.
 */
public final class AffineMap implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private final int n;
  private final double[] shift;
  private final boolean diagonal;
  private final double[] p;
  private final double logDet;

  private AffineMap(double[] shift, boolean diagonal, double[] p) {
    this.n = shift.length;
    if (n < 1) {
      throw new IllegalArgumentException("dimension must be >= 1");
    }
    if (p.length != (diagonal ? n : n * n)) {
      throw new IllegalArgumentException("factor must have " + (diagonal ? n : n * n) + " values, got "
          + p.length);
    }
    double ld = 0.0;
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(shift[i])) {
        throw new IllegalArgumentException("shift[" + i + "] is not finite: " + shift[i]);
      }
      double d = diagonal ? p[i] : p[i * n + i];
      if (!(d > 0) || !Double.isFinite(d)) {
        throw new IllegalArgumentException("factor diagonal [" + i + "] must be finite and > 0, got " + d);
      }
      ld += Math.log(d);
      if (!diagonal) {
        for (int j = 0; j < i; j++) {
          if (!Double.isFinite(p[i * n + j])) {
            throw new IllegalArgumentException("factor (" + i + ", " + j + ") is not finite");
          }
        }
      }
    }
    this.shift = shift.clone();
    this.diagonal = diagonal;
    this.p = p.clone();
    if (!diagonal) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          this.p[i * n + j] = 0.0;
        }
      }
    }
    this.logDet = ld;
  }

  /** {@code v = shift + diag(p) w} (arrays copied). */
  public static AffineMap diagonal(double[] shift, double[] p) {
    return new AffineMap(shift, true, p);
  }

  /** {@code v = shift + L w}, L lower-triangular n×n row-major (arrays copied). */
  public static AffineMap lower(double[] shift, double[] l) {
    return new AffineMap(shift, false, l);
  }

  /** The dimension n. */
  public int n() {
    return n;
  }

  /** Whether P is diagonal. */
  public boolean isDiagonal() {
    return diagonal;
  }

  /** {@code log |det P|}. */
  public double logDet() {
    return logDet;
  }

  /** The shift (copy). */
  public double[] shift() {
    return shift.clone();
  }

  /** P (copy): n values if diagonal, else n×n lower-triangular. */
  public double[] factor() {
    return p.clone();
  }

  /** P as a dense lower-triangular n×n matrix (new array). */
  public double[] denseFactor() {
    if (!diagonal) {
      return p.clone();
    }
    double[] l = new double[n * n];
    for (int i = 0; i < n; i++) {
      l[i * n + i] = p[i];
    }
    return l;
  }

  /** {@code v = shift + P w}; w not modified; v must not be w. */
  public void apply(double[] w, double[] v) {
    if (diagonal) {
      for (int i = 0; i < n; i++) {
        v[i] = shift[i] + p[i] * w[i];
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      final int o = i * n;
      double s = shift[i];
      for (int j = 0; j <= i; j++) {
        s += p[o + j] * w[j];
      }
      v[i] = s;
    }
  }

  /** {@code gw = Pᵀ gv}; gv not modified; gw must not be gv. */
  public void applyTranspose(double[] gv, double[] gw) {
    if (diagonal) {
      for (int i = 0; i < n; i++) {
        gw[i] = p[i] * gv[i];
      }
      return;
    }
    java.util.Arrays.fill(gw, 0, n, 0.0);
    for (int i = 0; i < n; i++) {
      final int o = i * n;
      final double g = gv[i];
      for (int j = 0; j <= i; j++) {
        gw[j] += p[o + j] * g;
      }
    }
  }

  /** {@code w = P⁻¹ (v − shift)}; v not modified; w must not be v. */
  public void solve(double[] v, double[] w) {
    if (diagonal) {
      for (int i = 0; i < n; i++) {
        w[i] = (v[i] - shift[i]) / p[i];
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      final int o = i * n;
      double s = v[i] - shift[i];
      for (int j = 0; j < i; j++) {
        s -= p[o + j] * w[j];
      }
      w[i] = s / p[o + i];
    }
  }

  /** {@code gv = P⁻ᵀ gw}; gw not modified; gv must not be gw. */
  public void solveTranspose(double[] gw, double[] gv) {
    if (diagonal) {
      for (int i = 0; i < n; i++) {
        gv[i] = gw[i] / p[i];
      }
      return;
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = gw[i];
      for (int j = i + 1; j < n; j++) {
        s -= p[j * n + i] * gv[j];
      }
      gv[i] = s / p[i * n + i];
    }
  }
}
