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
