package org.vi4dvar.kernels.model;

/**
 * A discrete-time model {@code x_{t+1} = M(x_t)} with its exact tangent-linear {@code M'} and adjoint
 * {@code M'ᵀ}.
 *
 * <p>The forward step can record, in a caller-owned {@code store} of {@link #storeSize()} doubles per step,
 * whatever the tangent and adjoint of that step need (for RK4, the four stage inputs). Implementations own
 * preallocated workspaces and are <b>not thread-safe</b>: use one instance per task or thread.
 */
public interface Model {

  /** Number of state components. */
  int nx();

  /** Doubles recorded per step by {@link #step} for {@link #stepTangent}/{@link #stepAdjoint}. */
  int storeSize();

  /**
   * One step: {@code xNext[xno..] = M(x[xo..])}. If {@code store} is non-null, the linearisation data of this
   * step is written at {@code store[so..so+storeSize())}. {@code x} is not modified ({@code xNext} may be the
   * same array at a different offset).
   */
  void step(double[] x, int xo, double[] xNext, int xno, double[] store, int so);

  /** {@code dxNext = M'(x) dx}, linearised by the data a {@link #step} wrote at {@code store[so..]}. */
  void stepTangent(double[] store, int so, double[] dx, double[] dxNext);

  /** {@code ax = M'(x)ᵀ axNext} (overwrites {@code ax}; it must not be {@code axNext}). */
  void stepAdjoint(double[] store, int so, double[] axNext, double[] ax);

  /**
   * One step of {@code nb} states at once, as state-major rows ({@code x[i][b]}, see
   * {@link Dynamics#tendencyBatch}); {@code xNext} must be other arrays. Bit-identical to {@link #step} on each
   * member.
   */
  void stepBatch(double[][] x, double[][] xNext, int nb);

  // ---- model parameters: none by default ----
  //
  // A model may have parameters p (e.g. the Lorenz96 forcing F) that a 4D-Var control can estimate. The step
  // x⁺ = M(x; p) then has a second Jacobian ∂M/∂p (nx × nParameters): the tangent of a step is
  // dx⁺ = M'(x) dx + (∂M/∂p) dp and its adjoint (ax, ap) = (M'ᵀ ax⁺, (∂M/∂p)ᵀ ax⁺). Both use the data a
  // step recorded (for RK4 the stage inputs), linearised at the parameter values of that step. A new
  // parameter of a model is added by implementing these five methods (for an RK4 model: the Dynamics ones).

  /** Number of parameters (0 by default). */
  default int nParameters() {
    return 0;
  }

  /** The name of parameter k ({@code forcing} for Lorenz96). */
  default String parameterName(int k) {
    throw new IndexOutOfBoundsException("parameter " + k + " of a model with no parameters");
  }

  /** The current value of parameter k. */
  default double parameter(int k) {
    throw new IndexOutOfBoundsException("parameter " + k + " of a model with no parameters");
  }

  /**
   * Sets parameter k (finite) for the following steps. Models are per-thread objects, so this mutates only
   * this instance (not its {@link ModelSpec}).
   */
  default void setParameter(int k, double value) {
    throw new IndexOutOfBoundsException("parameter " + k + " of a model with no parameters");
  }

  /**
   * {@code dxNext = (∂M/∂p) dp} ({@code dp}: nParameters values, not modified; {@code dxNext} overwritten):
   * the tangent of the step with respect to the parameters, at the state and parameters of the {@link #step}
   * that wrote {@code store[so..]}. The full tangent is {@code stepTangent(dx) + stepParameterTangent(dp)}.
   */
  default void stepParameterTangent(double[] store, int so, double[] dp, double[] dxNext) {
    throw new UnsupportedOperationException("the model has no parameters");
  }

  /**
   * The adjoint of the full tangent {@code (dx, dp) ↦ M'(x) dx + (∂M/∂p) dp} in one sweep:
   * {@code ax = M'(x)ᵀ axNext} (overwritten, exactly as {@link #stepAdjoint}) and
   * {@code ap += (∂M/∂p)ᵀ axNext} (accumulated, nParameters values). For RK4 the parameter adjoint needs the
   * stage adjoints of the state sweep, so the two come together.
   */
  default void stepParameterAdjoint(double[] store, int so, double[] axNext, double[] ax, double[] ap) {
    throw new UnsupportedOperationException("the model has no parameters");
  }

  /** Convenience: {@code xNext = M(x)} without recording. */
  default void step(double[] x, double[] xNext) {
    step(x, 0, xNext, 0, null, 0);
  }

  /**
   * Propagates {@code x0} through {@code nStates − 1} steps into {@code traj[t*nx + i]}, {@code t < nStates}
   * ({@code traj} row 0 is a copy of {@code x0}).
   */
  default void trajectory(double[] x0, int nStates, double[] traj) {
    final int n = nx();
    System.arraycopy(x0, 0, traj, 0, n);
    for (int t = 0; t + 1 < nStates; t++) {
      step(traj, t * n, traj, (t + 1) * n, null, 0);
    }
  }
}
