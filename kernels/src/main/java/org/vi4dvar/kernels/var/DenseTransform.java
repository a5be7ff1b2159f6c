package org.vi4dvar.kernels.var;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.linalg.NotPositiveDefiniteException;

/**
 * {@code c = c_b + U v} with a full prior covariance {@code B = U Uᵀ}, U its lower Cholesky factor
 * (math-2.md, "Control-variable transform"):
 * <pre>
 *   B½ v = U v              (row dots over k ≤ i)            B½ᵀ w = Uᵀ w   (row-wise axpys)
 *   S⁻¹ d: U u = d          (forward substitution)           S⁻ᵀ g: Uᵀ u = g (back substitution)
 *   Jb = ½ (x − x_b)ᵀ B⁻¹ (x − x_b) = ½ ‖U⁻¹ (x − x_b)‖²,     ∇_x Jb = U⁻ᵀ U⁻¹ (x − x_b);  in v: ½ ‖v‖², ∇ = v
 *   log det B = 2 Σ log U_ii,   prior draw x_b + U z,   scale(i) = √B_ii
 * </pre>
 * Each operation is O(n²) flops on an n² array, allocation-free; building the factor is O(n³/3).
 *
 * <p><b>Size limit.</b> U is n² doubles: 8 MiB at n = 1024, 32 MiB at 2048, 128 MiB at 4096 (plus as much
 * again for B itself when built {@link #fromCovariance from a covariance matrix}; {@link #correlated} factorises
 * in place), and it travels whole (a Spark broadcast of 128 MiB at 4096). One application or triangular solve is
 * n² multiply-adds; a cost-and-gradient evaluation needs two (solve and transposed solve in c, apply and
 * transposed apply in v). The factorisation ({@link Cholesky#decomposeAt}, n³/6 multiply-adds) measured on this
 * project's 2-core VM, in thread CPU time (BENCHMARKS.md, "Issue 12 (B½)"; the machine was loaded, so wall
 * times were 3–4× longer): 0.06 s at n = 1024, 0.4 s at 2048, 2.7 s at 3072, 8.5 s at 4096 (the blocked
 * factorisation; the textbook row order takes 0.11 s, 1.2 s and 17 s). So dense B is comfortable up to
 * n ≈ 2048, usable at 4096 when it is built once per run and the minimisations are short (each evaluation
 * then adds ~35·10⁶ flops, tens of ms), and not reasonable beyond: at 8192 the factor is 512 MiB and its
 * factorisation over a minute, and the O(n²) per evaluation dominates the model. There a B½ that is an operator
 * (spectral on the periodic grid, a diffusion, a localised ensemble B) is the way, not a matrix.
 *
 * <p>Immutable and shippable (a plain final class of primitive arrays, Kryo).
 */
public final class DenseTransform implements ControlTransform {

  private static final long serialVersionUID = 1L;

  /** Largest order whose n² entries fit a Java array index. */
  public static final int MAX_ORDER = 46340;

  /** Relative symmetry tolerance of a given covariance matrix: {@code |B_ij − B_ji| ≤ 1e-12 max(|B_ij|, |B_ji|)}. */
  public static final double SYMMETRY_TOL = 1e-12;

  private final int n;
  private final double[] center;
  private final double[] u;
  private final double[] scale;
  private final double logDet;

  private DenseTransform(double[] center, double[] u, double[] scale) {
    this.n = center.length;
    this.center = center;
    this.u = u;
    this.scale = scale;
    double ld = 0.0;
    for (int i = 0; i < n; i++) {
      ld += Math.log(u[i * n + i]);
    }
    this.logDet = ld;
  }

  /**
   * From a covariance matrix B (row-major n×n, n = {@code center.length}; finite, symmetric to
   * {@link #SYMMETRY_TOL}, positive definite). Only the lower triangle is factorised.
   *
   * @throws NotPositiveDefiniteException naming the first failing pivot
   * @throws IllegalArgumentException on a wrong size, a non-finite entry or an asymmetry (naming the entry)
   */
  public static DenseTransform fromCovariance(double[] center, double[] cov) {
    final int n = requireCenter(center);
    if (cov == null || cov.length != n * n) {
      throw new IllegalArgumentException("covariance must be " + n + "×" + n + " (" + n * n + " values), got "
          + (cov == null ? "null" : cov.length));
    }
    double[] scale = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double a = cov[i * n + j];
        double b = cov[j * n + i];
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
          throw new IllegalArgumentException("covariance (" + i + ", " + j + ") is not finite: " + a + ", " + b);
        }
        if (Math.abs(a - b) > SYMMETRY_TOL * Math.max(Math.abs(a), Math.abs(b))) {
          throw new IllegalArgumentException("covariance is not symmetric at (" + i + ", " + j + "): " + a
              + " vs " + b);
        }
      }
      scale[i] = Math.sqrt(cov[i * n + i]);
    }
    double[] u = new double[n * n];
    int p = Cholesky.decomposeAt(n, cov, u);
    if (p >= 0) {
      throw new NotPositiveDefiniteException("the covariance", p, n);
    }
    return new DenseTransform(center.clone(), u, scale);
  }

  /**
   * From a lower-triangular factor U (row-major n×n; the strict upper triangle is ignored and treated as 0),
   * finite, with a positive diagonal.
   */
  public static DenseTransform fromFactor(double[] center, double[] lower) {
    final int n = requireCenter(center);
    if (lower == null || lower.length != n * n) {
      throw new IllegalArgumentException("factor must be " + n + "×" + n + ", got "
          + (lower == null ? "null" : lower.length));
    }
    double[] u = new double[n * n];
    double[] scale = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0.0;
      for (int j = 0; j <= i; j++) {
        double v = lower[i * n + j];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("factor (" + i + ", " + j + ") is not finite: " + v);
        }
        u[i * n + j] = v;
        s += v * v;
      }
      if (!(lower[i * n + i] > 0)) {
        throw new IllegalArgumentException("factor diagonal (" + i + ") must be > 0, got " + lower[i * n + i]);
      }
      scale[i] = Math.sqrt(s);
    }
    return new DenseTransform(center.clone(), u, scale);
  }

  /**
   * {@code B = D C D}, {@code D = diag(std)}, C the correlation matrix of {@code model} with length
   * {@code length} grid points on the periodic grid of n points ({@link CorrelationModel}). Factorised as
   * {@code U = D L} with {@code C = L Lᵀ} (C has a unit diagonal, so this is B's own Cholesky factor);
   * {@code scale(i) = std_i} exactly.
   *
   * @throws NotPositiveDefiniteException if C is not numerically positive definite (naming the pivot)
   */
  public static DenseTransform correlated(double[] center, double[] std, CorrelationModel model, double length) {
    final int n = requireCenter(center);
    if (std == null || std.length != n) {
      throw new IllegalArgumentException("std must have " + n + " values, got " + (std == null ? "null"
          : std.length));
    }
    for (int i = 0; i < n; i++) {
      if (!(std[i] > 0) || !Double.isFinite(std[i])) {
        throw new IllegalArgumentException("background std [" + i + "] must be finite and > 0, got " + std[i]);
      }
    }
    double[] l = model.matrix(n, length);
    int p = Cholesky.decomposeAt(n, l, l);
    if (p >= 0) {
      throw new NotPositiveDefiniteException("the " + model.configName() + " correlation matrix (length "
          + length + ", n " + n + ")", p, n);
    }
    for (int i = 0; i < n; i++) {
      final double s = std[i];
      for (int j = 0; j <= i; j++) {
        l[i * n + j] *= s;
      }
    }
    return new DenseTransform(center.clone(), l, std.clone());
  }

  private static int requireCenter(double[] center) {
    if (center == null || center.length == 0 || center.length > MAX_ORDER) {
      throw new IllegalArgumentException("center must have 1.." + MAX_ORDER + " values, got "
          + (center == null ? "null" : center.length));
    }
    for (int i = 0; i < center.length; i++) {
      if (!Double.isFinite(center[i])) {
        throw new IllegalArgumentException("center[" + i + "] is not finite: " + center[i]);
      }
    }
    return center.length;
  }

  @Override
  public int n() {
    return n;
  }

  @Override
  public double center(int i) {
    return center[i];
  }

  /** {@code out_i = Σ_{k≤i} U_ik w_k}. */
  @Override
  public void apply(double[] w, double[] out) {
    for (int i = 0; i < n; i++) {
      final int oi = i * n;
      double s = 0.0;
      for (int k = 0; k <= i; k++) {
        s += u[oi + k] * w[k];
      }
      out[i] = s;
    }
  }

  /** {@code out = Uᵀ g}, accumulated row by row: {@code out[0..i] += g_i U_i,0..i}. */
  @Override
  public void applyTranspose(double[] g, double[] out) {
    java.util.Arrays.fill(out, 0, n, 0.0);
    for (int i = 0; i < n; i++) {
      final int oi = i * n;
      final double gi = g[i];
      for (int k = 0; k <= i; k++) {
        out[k] += u[oi + k] * gi;
      }
    }
  }

  /** {@code U out = d} by forward substitution. */
  @Override
  public void solve(double[] d, double[] out) {
    for (int i = 0; i < n; i++) {
      final int oi = i * n;
      double s = d[i];
      for (int k = 0; k < i; k++) {
        s -= u[oi + k] * out[k];
      }
      out[i] = s / u[oi + i];
    }
  }

  /** {@code Uᵀ out = g} by back substitution, column-oriented so that U is read by rows. */
  @Override
  public void solveTranspose(double[] g, double[] out) {
    System.arraycopy(g, 0, out, 0, n);
    for (int i = n - 1; i >= 0; i--) {
      final int oi = i * n;
      final double xi = out[i] / u[oi + i];
      out[i] = xi;
      for (int k = 0; k < i; k++) {
        out[k] -= u[oi + k] * xi;
      }
    }
  }

  @Override
  public double logDet() {
    return logDet;
  }

  @Override
  public double scale(int i) {
    return scale[i];
  }

  @Override
  public boolean diagonal() {
    return false;
  }

  @Override
  public DenseTransform withCenter(double[] newCenter) {
    if (newCenter.length != n) {
      throw new IllegalArgumentException("center must have " + n + " values, got " + newCenter.length);
    }
    requireCenter(newCenter);
    return new DenseTransform(newCenter.clone(), u, scale);
  }

  /** U (row-major n×n lower triangle, zeros above; copy). */
  public double[] factor() {
    return u.clone();
  }

  /** {@code S = U} (copy): as {@link #factor()}. */
  @Override
  public double[] denseMatrix() {
    return u.clone();
  }
}
