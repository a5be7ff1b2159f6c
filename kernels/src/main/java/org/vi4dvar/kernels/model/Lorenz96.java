package org.vi4dvar.kernels.model;

/**
 * Lorenz (1996) model, periodic in {@code i}:
 * <pre>
 *   f_i(x)  = (x_{i+1} − x_{i−2}) x_{i−1} − x_i + F
 *   df_i    = (dx_{i+1} − dx_{i−2}) x_{i−1} + (x_{i+1} − x_{i−2}) dx_{i−1} − dx_i
 *   ax_j    = x_{j−2} af_{j−1} − x_{j+1} af_{j+2} + (x_{j+2} − x_{j−1}) af_{j+1} − af_j
 *   ∂f_i/∂F = 1      (the forcing is parameter 0, {@code forcing}: tangent df_i = dF, adjoint aF = Σ_i af_i)
 * </pre>
 * The adjoint is written in gather form (each {@code ax_j} computed once, no scatter), which is the transpose
 * of the tangent term by term. The scalar routines copy their inputs into ghost-padded workspaces (two cells
 * each side), so that each is one straight counted loop with constant offsets that C2 unrolls and vectorises;
 * the batched routines work on rows (see {@link Dynamics#tendencyBatch}). Owns these small workspaces, so an
 * instance is <b>not thread-safe</b>: {@link Lorenz96Spec#newModel()} builds one per model.
 */
public final class Lorenz96 implements Dynamics {

  /** The usual chaotic forcing (Lorenz 1996). */
  public static final double DEFAULT_FORCING = 8.0;

  /** The name of parameter 0, the forcing F. */
  public static final String FORCING = "forcing";

  private final int nx;
  private double forcing;
  // ghost-padded copies of the state and of the tangent/adjoint argument (workspaces)
  private final double[] px;
  private final double[] pd;

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
    this.px = new double[nx + 4];
    this.pd = new double[nx + 4];
  }

  @Override
  public int nx() {
    return nx;
  }

  /** The forcing F. */
  public double forcing() {
    return forcing;
  }

  @Override
  public int nParameters() {
    return 1;
  }

  @Override
  public String parameterName(int k) {
    checkParameter(k);
    return FORCING;
  }

  @Override
  public double parameter(int k) {
    checkParameter(k);
    return forcing;
  }

  @Override
  public void setParameter(int k, double value) {
    checkParameter(k);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Lorenz96 forcing must be finite, got " + value);
    }
    this.forcing = value;
  }

  /** {@code ∂f_i/∂F = 1}. */
  @Override
  public void tendencyParameter(double[] x, int xo, int k, double[] fp) {
    checkParameter(k);
    java.util.Arrays.fill(fp, 0, nx, 1.0);
  }

  static void checkParameter(int k) {
    if (k != 0) {
      throw new IndexOutOfBoundsException("Lorenz96 has one parameter (0: forcing), not " + k);
    }
  }

  private int wrap(int i) {
    return i < 0 ? i + nx : (i >= nx ? i - nx : i);
  }

  /** {@code p[0..n+4) = (x_{n−2}, x_{n−1}, x_0, …, x_{n−1}, x_0, x_1)}: two ghost cells each side. */
  private void pad(double[] x, int xo, double[] p) {
    final int n = nx;
    p[0] = x[xo + n - 2];
    p[1] = x[xo + n - 1];
    System.arraycopy(x, xo, p, 2, n);
    p[n + 2] = x[xo];
    p[n + 3] = x[xo + 1];
  }

  @Override
  public void tendency(double[] x, int xo, double[] f) {
    final int n = nx;
    final double ff = forcing;
    final double[] p = px;
    pad(x, xo, p);
    for (int i = 0; i < n; i++) {
      f[i] = (p[i + 3] - p[i]) * p[i + 1] - p[i + 2] + ff;
    }
  }

  @Override
  public void tendencyTangent(double[] x, int xo, double[] dx, double[] df) {
    final int n = nx;
    final double[] p = px;
    final double[] d = pd;
    pad(x, xo, p);
    pad(dx, 0, d);
    for (int i = 0; i < n; i++) {
      df[i] = (d[i + 3] - d[i]) * p[i + 1] + (p[i + 3] - p[i]) * d[i + 1] - d[i + 2];
    }
  }

  @Override
  public void tendencyAdjoint(double[] x, int xo, double[] af, double[] ax) {
    final int n = nx;
    final double[] p = px;
    final double[] a = pd;
    pad(x, xo, p);
    pad(af, 0, a);
    for (int j = 0; j < n; j++) {
      ax[j] = p[j] * a[j + 1] - p[j + 3] * a[j + 4] + (p[j + 4] - p[j + 1]) * a[j + 3] - a[j + 2];
    }
  }

  @Override
  public void tendencyBatch(double[][] x, double[][] f, int nb) {
    final int n = nx;
    final double ff = forcing;
    for (int i = 0; i < n; i++) {
      final double[] xp1 = x[wrap(i + 1)];
      final double[] xm1 = x[wrap(i - 1)];
      final double[] xm2 = x[wrap(i - 2)];
      final double[] xi = x[i];
      final double[] fi = f[i];
      for (int b = 0; b < nb; b++) {
        fi[b] = (xp1[b] - xm2[b]) * xm1[b] - xi[b] + ff;
      }
    }
  }

  @Override
  public void tendencyBatchRow(double[][] x, int i, double[] fi, int nb) {
    final double ff = forcing;
    final double[] xp1 = x[wrap(i + 1)];
    final double[] xm1 = x[wrap(i - 1)];
    final double[] xm2 = x[wrap(i - 2)];
    final double[] xi = x[i];
    for (int b = 0; b < nb; b++) {
      fi[b] = (xp1[b] - xm2[b]) * xm1[b] - xi[b] + ff;
    }
  }
}
