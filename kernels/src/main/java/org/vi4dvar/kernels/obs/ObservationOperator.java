package org.vi4dvar.kernels.obs;

/**
 * The unmasked observation operator {@code h ∘ D}: average pooling {@code D} by a factor {@code r}
 * ({@code ny = nx / r}; {@code r = 1} is no pooling) followed by a pointwise nonlinearity {@code h}.
 * <pre>
 *   p_j = (Σ_{k<r} x_{jr+k}) / r,   y_j = h(p_j)
 *   dy_j = h'(p_j) (Σ_k dx_{jr+k}) / r
 *   ax_{jr+k} += h'(p_j) ay_j / r
 * </pre>
 * The mask of observed points (per time and point) is applied by the 4D-Var cost, which weights unobserved
 * points by zero; {@link #applyMasked}, {@link #tangentMasked} and {@link #adjointMaskedAdd} give the full
 * {@code H_t = mask_t ∘ h ∘ D} for tests and callers that need it. Immutable and thread-safe.
 */
public final class ObservationOperator {

  private final int nx;
  private final int r;
  private final int ny;
  private final Nonlinearity h;

  /**
   * @param nx state size
   * @param r pooling factor, dividing nx
   * @param h the nonlinearity
   */
  public ObservationOperator(int nx, int r, Nonlinearity h) {
    if (r < 1 || nx < 1 || nx % r != 0) {
      throw new IllegalArgumentException("pooling factor " + r + " must be >= 1 and divide nx = " + nx);
    }
    this.nx = nx;
    this.r = r;
    this.ny = nx / r;
    this.h = h;
  }

  /** State size. */
  public int nx() {
    return nx;
  }

  /** Observation size {@code nx / r}. */
  public int ny() {
    return ny;
  }

  /** Pooling factor. */
  public int pooling() {
    return r;
  }

  /** The nonlinearity. */
  public Nonlinearity nonlinearity() {
    return h;
  }

  /** Pooled value {@code p_j} of {@code x[xo..]}. */
  public double pooled(double[] x, int xo, int j) {
    final int o = xo + j * r;
    if (r == 1) {
      return x[o];
    }
    double s = x[o];
    for (int k = 1; k < r; k++) {
      s += x[o + k];
    }
    return s / r;
  }

  /** {@code y = h(D x)}, all {@code ny} points. */
  public void apply(double[] x, int xo, double[] y) {
    for (int j = 0; j < ny; j++) {
      y[j] = h.value(pooled(x, xo, j));
    }
  }

  /** {@code dy = h'(Dx) D dx}. */
  public void tangent(double[] x, int xo, double[] dx, double[] dy) {
    for (int j = 0; j < ny; j++) {
      dy[j] = h.derivative(pooled(x, xo, j)) * pooled(dx, 0, j);
    }
  }

  /** {@code ax += Dᵀ (h'(Dx) ⊙ ay)} (accumulates into {@code ax}). */
  public void adjointAdd(double[] x, int xo, double[] ay, double[] ax) {
    for (int j = 0; j < ny; j++) {
      addPooledAdjoint(j, h.derivative(pooled(x, xo, j)) * ay[j], ax);
    }
  }

  /** {@code ax[jr..jr+r) += ap / r}: the transpose of the pooling for one observed point. */
  public void addPooledAdjoint(int j, double ap, double[] ax) {
    if (r == 1) {
      ax[j] += ap;
    } else {
      double v = ap / r;
      for (int k = 0; k < r; k++) {
        ax[j * r + k] += v;
      }
    }
  }

  /** {@code y = mask ⊙ h(D x)}: unobserved points ({@code observed[mo+j] == false}) are 0. */
  public void applyMasked(double[] x, int xo, boolean[] observed, int mo, double[] y) {
    apply(x, xo, y);
    for (int j = 0; j < ny; j++) {
      if (!observed[mo + j]) {
        y[j] = 0.0;
      }
    }
  }

  /** {@code dy = mask ⊙ h'(Dx) D dx}. */
  public void tangentMasked(double[] x, int xo, boolean[] observed, int mo, double[] dx, double[] dy) {
    tangent(x, xo, dx, dy);
    for (int j = 0; j < ny; j++) {
      if (!observed[mo + j]) {
        dy[j] = 0.0;
      }
    }
  }

  /** {@code ax += Dᵀ (h'(Dx) ⊙ mask ⊙ ay)}. */
  public void adjointMaskedAdd(double[] x, int xo, boolean[] observed, int mo, double[] ay, double[] ax) {
    for (int j = 0; j < ny; j++) {
      if (!observed[mo + j]) {
        continue;
      }
      addPooledAdjoint(j, h.derivative(pooled(x, xo, j)) * ay[j], ax);
    }
  }
}
