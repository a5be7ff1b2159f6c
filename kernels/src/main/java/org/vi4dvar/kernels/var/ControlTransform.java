package org.vi4dvar.kernels.var;

/**
 * The affine change of variable between the control vector {@code c} of a 4D-Var problem and its whitened
 * control variable {@code v}:
 * <pre>
 *   c = c_b + S v,      S = prior square root (S Sᵀ = prior covariance of c),   v ~ N(0, I) under the prior
 *   ∇_v f = Sᵀ ∇_c J,   log q_c(c) = log q_v(v) − log |det S|
 * </pre>
 * For strong-constraint 4D-Var {@code c = x0}, {@code c_b = x_b} and {@code S = B½} (math-2.md, "Control-variable
 * transform"); a weak-constraint or parameter control stacks more blocks (x0, η_0 … η_{T−2}, parameters) with a
 * block-diagonal S. Every part of vi4dvar that touches the prior covariance goes through this interface: prior
 * draws {@code c_b + S z}, perturbations, start jitter, finite-difference steps, posterior families expressed in v.
 *
 * <p>Implementations are immutable, thread-safe and shippable (plain final classes, Kryo); methods write into
 * caller-owned arrays and allocate nothing.
 */
public interface ControlTransform extends java.io.Serializable {

  /** The dimension n of c and v. */
  int n();

  /** {@code c_b[i]}, the prior mean of component i. */
  double center(int i);

  /** {@code out = S w} (no shift); {@code w} not modified; {@code out} must not be {@code w}. */
  void apply(double[] w, double[] out);

  /** {@code out = Sᵀ g}; {@code g} not modified; {@code out} must not be {@code g}. */
  void applyTranspose(double[] g, double[] out);

  /** {@code out = S⁻¹ d} (no shift); {@code d} not modified; {@code out} must not be {@code d}. */
  void solve(double[] d, double[] out);

  /** {@code log |det S|} (= ½ log det of the prior covariance). */
  double logDet();

  /**
   * The prior standard deviation of component i, {@code √(S Sᵀ)_ii}: the natural scale of component i (jitter,
   * finite-difference steps, tolerances).
   */
  double scale(int i);

  /** Whether S is diagonal ({@link #apply} is then {@code out_i = scale(i) w_i}). */
  boolean diagonal();

  /** {@code c = c_b + S v}; {@code v} not modified; {@code c} must not be {@code v}. */
  default void toControl(double[] v, double[] c) {
    apply(v, c);
    final int n = n();
    for (int i = 0; i < n; i++) {
      c[i] += center(i);
    }
  }

  /**
   * {@code c_t = c_b + S w_t} for {@code nb} vectors at once — the batched {@link #toControl}, the same numbers bit
   * for bit — on state-major rows (the layout of the batched cost): {@code w[i][t]} (not modified) into
   * {@code c[i][t]}, {@code t < nb}; {@code c} must not share rows with {@code w}. The default applies S vector by
   * vector and allocates two n-vectors per call; implementations override it with loops over whole rows.
   */
  default void toControlRows(double[][] w, int nb, double[][] c) {
    final int n = n();
    double[] v = new double[n];
    double[] x = new double[n];
    for (int t = 0; t < nb; t++) {
      for (int i = 0; i < n; i++) {
        v[i] = w[i][t];
      }
      toControl(v, x);
      for (int i = 0; i < n; i++) {
        c[i][t] = x[i];
      }
    }
  }

  /** {@code v = S⁻¹ (c − c_b)}; {@code scratch} (n values) is overwritten; {@code v} must not be {@code c}. */
  default void toWhitened(double[] c, double[] scratch, double[] v) {
    final int n = n();
    for (int i = 0; i < n; i++) {
      scratch[i] = c[i] - center(i);
    }
    solve(scratch, v);
  }

  /** The prior mean {@code c_b} (new array). */
  default double[] centerVector() {
    final int n = n();
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = center(i);
    }
    return c;
  }

  /** S as a dense row-major n×n matrix (new array; O(n²) memory). */
  default double[] denseMatrix() {
    final int n = n();
    double[] s = new double[n * n];
    double[] e = new double[n];
    double[] col = new double[n];
    for (int j = 0; j < n; j++) {
      e[j] = 1.0;
      apply(e, col);
      e[j] = 0.0;
      for (int i = 0; i < n; i++) {
        s[i * n + j] = col[i];
      }
    }
    return s;
  }

  /** The diagonal transform {@code c = center + std ⊙ v} (arrays copied). */
  static ControlTransform diagonal(double[] center, double[] std) {
    return new DiagonalTransform(center, std);
  }
}
