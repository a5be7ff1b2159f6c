package org.vi4dvar.kernels.var;

import org.vi4dvar.kernels.rng.RandomStream;

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
 * <p>Implementations: {@link DiagonalTransform} (diagonal B), {@link DenseTransform} (B = U Uᵀ, U the lower
 * Cholesky factor) and {@link ControlSpace} (the whole control, block-diagonal S). They are immutable,
 * thread-safe and shippable (plain final classes, Kryo); methods write into caller-owned arrays and allocate
 * nothing (except those that say they return a new array).
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

  /**
   * {@code out = S⁻ᵀ g}; {@code g} not modified; {@code out} must not be {@code g}. With {@link #solve} it applies
   * the prior precision, {@code (S Sᵀ)⁻¹ d = S⁻ᵀ (S⁻¹ d)}. The default is for diagonal S only.
   */
  default void solveTranspose(double[] g, double[] out) {
    if (!diagonal()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " does not implement solveTranspose");
    }
    solve(g, out);
  }

  /** The same S with another centre c_b (copied; n finite values). */
  default ControlTransform withCenter(double[] newCenter) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not implement withCenter");
  }

  /**
   * {@code out = center + scale · S z}: a prior draw ({@code center = c_b}, {@code scale = 1}), a perturbation
   * or a start jitter. For diagonal S it is evaluated as {@code center_i + (scale · scale(i)) · z_i}, the
   * expression every caller used before the transform existed, so results stay bit-identical. {@code z} and
   * {@code center} not modified; {@code out} must be neither of them.
   */
  default void perturb(double[] center, double scale, double[] z, double[] out) {
    final int n = n();
    if (diagonal()) {
      for (int i = 0; i < n; i++) {
        out[i] = center[i] + scale * scale(i) * z[i];
      }
      return;
    }
    apply(z, out);
    for (int i = 0; i < n; i++) {
      out[i] = center[i] + scale * out[i];
    }
  }

  /**
   * A prior draw: {@code z} = n standard normals from {@code rng} (component order), {@code c = c_b + S z}.
   * {@code c} must not be {@code z}.
   */
  default void draw(RandomStream rng, double[] z, double[] c) {
    rng.fillGaussian(z, 0, n());
    toControl(z, c);
  }

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

  /** The prior covariance {@code S Sᵀ} as a dense row-major n×n matrix (new array). */
  default double[] covarianceMatrix() {
    final int n = n();
    double[] s = denseMatrix();
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double t = 0.0;
        for (int k = 0; k < n; k++) {
          t += s[i * n + k] * s[j * n + k];
        }
        c[i * n + j] = t;
        c[j * n + i] = t;
      }
    }
    return c;
  }

  /**
   * The prior precision {@code (S Sᵀ)⁻¹ = S⁻ᵀ S⁻¹} as a dense row-major n×n matrix (new array), column by
   * column by {@link #solve} and {@link #solveTranspose}. Diagonal implementations give {@code 1 / scale(i)²}
   * exactly as {@code 1.0 / (σ σ)}.
   */
  default double[] precisionMatrix() {
    final int n = n();
    double[] p = new double[n * n];
    double[] e = new double[n];
    double[] w = new double[n];
    double[] col = new double[n];
    for (int j = 0; j < n; j++) {
      e[j] = 1.0;
      solve(e, w);
      solveTranspose(w, col);
      e[j] = 0.0;
      for (int i = 0; i < n; i++) {
        p[i * n + j] = col[i];
      }
    }
    for (int i = 0; i < n; i++) {               // symmetric up to round-off: make it exactly so
      for (int j = 0; j < i; j++) {
        double m = 0.5 * (p[i * n + j] + p[j * n + i]);
        p[i * n + j] = m;
        p[j * n + i] = m;
      }
    }
    return p;
  }

  /** The diagonal transform {@code c = center + std ⊙ v} (arrays copied). */
  static ControlTransform diagonal(double[] center, double[] std) {
    return new DiagonalTransform(center, std);
  }

  /**
   * {@code B = D C D} with {@code D = diag(std)} and C the correlation {@code model} of length {@code length}
   * grid points on the periodic grid of {@code center.length} points: diagonal for {@link CorrelationModel#NONE},
   * else a {@link DenseTransform} (see {@link DenseTransform#correlated}).
   */
  static ControlTransform correlated(double[] center, double[] std, CorrelationModel model, double length) {
    return model == CorrelationModel.NONE ? new DiagonalTransform(center, std)
        : DenseTransform.correlated(center, std, model, length);
  }
}
