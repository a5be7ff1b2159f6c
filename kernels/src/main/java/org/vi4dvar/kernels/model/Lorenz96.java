package org.vi4dvar.kernels.model;

/**
 * Lorenz (1996) model, periodic in {@code i}:
 * <pre>
 *   f_i(x)  = (x_{i+1} − x_{i−2}) x_{i−1} − x_i + F
 *   df_i    = (dx_{i+1} − dx_{i−2}) x_{i−1} + (x_{i+1} − x_{i−2}) dx_{i−1} − dx_i
 *   ax_j    = x_{j−2} af_{j−1} − x_{j+1} af_{j+2} + (x_{j+2} − x_{j−1}) af_{j+1} − af_j
 * </pre>
 * The adjoint is written in gather form (each {@code ax_j} computed once, no scatter), which is the transpose
 * of the tangent term by term. Boundary cells are written with explicit periodic indices and the interior as
 * one straight counted loop, so that C2 can unroll and vectorise it.
 */
public final class Lorenz96 implements Dynamics {

  /** The usual chaotic forcing (Lorenz 1996). */
  public static final double DEFAULT_FORCING = 8.0;

  private final int nx;
  private final double forcing;

  /**
   * @param nx number of grid points, at least 4
   * @param forcing the forcing F (finite)
   */
  public Lorenz96(int nx, double forcing) {
    if (nx < 4) {
      throw new IllegalArgumentException("Lorenz96 needs nx >= 4, got " + nx);
    }
    if (!Double.isFinite(forcing)) {
      throw new IllegalArgumentException("Lorenz96 forcing must be finite, got " + forcing);
    }
    this.nx = nx;
    this.forcing = forcing;
  }

  @Override
  public int nx() {
    return nx;
  }

  /** The forcing F. */
  public double forcing() {
    return forcing;
  }

  private int wrap(int i) {
    return i < 0 ? i + nx : (i >= nx ? i - nx : i);
  }

  @Override
  public void tendency(double[] x, int xo, double[] f) {
    final int n = nx;
    final double ff = forcing;
    f[0] = (x[xo + 1] - x[xo + n - 2]) * x[xo + n - 1] - x[xo] + ff;
    f[1] = (x[xo + 2] - x[xo + n - 1]) * x[xo] - x[xo + 1] + ff;
    for (int i = 2; i < n - 1; i++) {
      f[i] = (x[xo + i + 1] - x[xo + i - 2]) * x[xo + i - 1] - x[xo + i] + ff;
    }
    f[n - 1] = (x[xo] - x[xo + n - 3]) * x[xo + n - 2] - x[xo + n - 1] + ff;
  }

  @Override
  public void tendencyTangent(double[] x, int xo, double[] dx, double[] df) {
    final int n = nx;
    tangentAt(0, x, xo, dx, df);
    tangentAt(1, x, xo, dx, df);
    for (int i = 2; i < n - 1; i++) {
      df[i] = (dx[i + 1] - dx[i - 2]) * x[xo + i - 1]
          + (x[xo + i + 1] - x[xo + i - 2]) * dx[i - 1] - dx[i];
    }
    tangentAt(n - 1, x, xo, dx, df);
  }

  private void tangentAt(int i, double[] x, int xo, double[] dx, double[] df) {
    int ip1 = wrap(i + 1);
    int im1 = wrap(i - 1);
    int im2 = wrap(i - 2);
    df[i] = (dx[ip1] - dx[im2]) * x[xo + im1] + (x[xo + ip1] - x[xo + im2]) * dx[im1] - dx[i];
  }

  @Override
  public void tendencyAdjoint(double[] x, int xo, double[] af, double[] ax) {
    final int n = nx;
    adjointAt(0, x, xo, af, ax);
    adjointAt(1, x, xo, af, ax);
    for (int j = 2; j < n - 2; j++) {
      ax[j] = x[xo + j - 2] * af[j - 1] - x[xo + j + 1] * af[j + 2]
          + (x[xo + j + 2] - x[xo + j - 1]) * af[j + 1] - af[j];
    }
    adjointAt(n - 2, x, xo, af, ax);
    adjointAt(n - 1, x, xo, af, ax);
  }

  private void adjointAt(int j, double[] x, int xo, double[] af, double[] ax) {
    int jm2 = wrap(j - 2);
    int jm1 = wrap(j - 1);
    int jp1 = wrap(j + 1);
    int jp2 = wrap(j + 2);
    ax[j] = x[xo + jm2] * af[jm1] - x[xo + jp1] * af[jp2] + (x[xo + jp2] - x[xo + jm1]) * af[jp1] - af[j];
  }

  @Override
  public void tendencyBatch(double[] x, double[] f, int nb) {
    final int n = nx;
    final double ff = forcing;
    for (int i = 0; i < n; i++) {
      final int o = i * nb;
      final int op1 = wrap(i + 1) * nb;
      final int om1 = wrap(i - 1) * nb;
      final int om2 = wrap(i - 2) * nb;
      for (int b = 0; b < nb; b++) {
        f[o + b] = (x[op1 + b] - x[om2 + b]) * x[om1 + b] - x[o + b] + ff;
      }
    }
  }
}
