package org.vi4dvar.kernels.model;

/**
 * A linear model {@code x_{t+1} = A x_t} with a fixed {@code nx × nx} matrix {@code A} (row-major). Its
 * tangent is {@code A} and its adjoint {@code Aᵀ}; nothing needs recording. With the identity observation
 * operator it makes 4D-Var linear-Gaussian, where the posterior is known exactly — the reference case for every
 * estimator's tests. Immutable and thread-safe.
 */
public final class LinearModel implements Model, ModelSpec {

  private final int nx;
  private final double[] a;

  /**
   * @param nx state size
   * @param a the matrix, row-major {@code a[i*nx + j]}; copied
   */
  public LinearModel(int nx, double[] a) {
    if (nx < 1 || a.length != nx * nx) {
      throw new IllegalArgumentException("LinearModel needs an nx*nx matrix, got nx=" + nx + ", "
          + a.length + " entries");
    }
    this.nx = nx;
    this.a = a.clone();
  }

  /** This model holds no workspace, so it is its own (immutable, thread-safe) spec. */
  @Override
  public LinearModel newModel() {
    return this;
  }

  /** A copy of the matrix, row-major. */
  public double[] matrix() {
    return a.clone();
  }

  @Override
  public int nx() {
    return nx;
  }

  @Override
  public int storeSize() {
    return 0;
  }

  @Override
  public void step(double[] x, int xo, double[] xNext, int xno, double[] store, int so) {
    if (x == xNext && Math.abs(xo - xno) < nx) {
      throw new IllegalArgumentException("LinearModel.step: x and xNext overlap");
    }
    for (int i = 0; i < nx; i++) {
      double s = 0.0;
      for (int j = 0; j < nx; j++) {
        s += a[i * nx + j] * x[xo + j];
      }
      xNext[xno + i] = s;
    }
  }

  @Override
  public void stepTangent(double[] store, int so, double[] dx, double[] dxNext) {
    step(dx, 0, dxNext, 0, null, 0);
  }

  @Override
  public void stepAdjoint(double[] store, int so, double[] axNext, double[] ax) {
    for (int j = 0; j < nx; j++) {
      double s = 0.0;
      for (int i = 0; i < nx; i++) {
        s += a[i * nx + j] * axNext[i];
      }
      ax[j] = s;
    }
  }

  @Override
  public void stepBatch(double[][] x, double[][] xNext, int nb) {
    for (int i = 0; i < nx; i++) {
      final double[] yi = xNext[i];
      for (int b = 0; b < nb; b++) {
        double s = 0.0;
        for (int j = 0; j < nx; j++) {
          s += a[i * nx + j] * x[j][b];
        }
        yi[b] = s;
      }
    }
  }
}
