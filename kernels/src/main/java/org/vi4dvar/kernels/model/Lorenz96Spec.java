package org.vi4dvar.kernels.model;

/**
 * Lorenz96 ({@code nx}, forcing F) integrated by RK4 with step {@code dt}. Immutable. Builds the fused
 * {@link Lorenz96Rk4}, which equals {@code new Rk4(new Lorenz96(nx, F), dt)} bit for bit.
 */
public final class Lorenz96Spec implements ModelSpec {

  private final int nx;
  private final double forcing;
  private final double dt;

  /** Validates as {@link Lorenz96} and {@link Rk4} do. */
  public Lorenz96Spec(int nx, double forcing, double dt) {
    new Rk4(new Lorenz96(nx, forcing), dt); // validates
    this.nx = nx;
    this.forcing = forcing;
    this.dt = dt;
  }

  @Override
  public int nx() {
    return nx;
  }

  /** The forcing F. */
  public double forcing() {
    return forcing;
  }

  /** The RK4 time step. */
  public double dt() {
    return dt;
  }

  /** {@code {"forcing"}}: F can be estimated. */
  @Override
  public String[] parameterNames() {
    return new String[] {Lorenz96.FORCING};
  }

  @Override
  public double parameterValue(int k) {
    if (k != 0) {
      throw new IndexOutOfBoundsException("Lorenz96 has one parameter (forcing), not " + k);
    }
    return forcing;
  }

  /** The same model with another forcing (e.g. a twin's true F). */
  public Lorenz96Spec withForcing(double f) {
    return new Lorenz96Spec(nx, f, dt);
  }

  @Override
  public Lorenz96Rk4 newModel() {
    return new Lorenz96Rk4(nx, forcing, dt);
  }

  /** The readable reference implementation of the same map (generic RK4 over the Lorenz96 tendency). */
  public Rk4 newReferenceModel() {
    return new Rk4(new Lorenz96(nx, forcing), dt);
  }

  @Override
  public String toString() {
    return "Lorenz96(nx=" + nx + ", F=" + forcing + ", dt=" + dt + ", RK4)";
  }
}
