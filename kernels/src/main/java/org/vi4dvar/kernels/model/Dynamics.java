package org.vi4dvar.kernels.model;

/**
 * A continuous-time dynamical system {@code dx/dt = f(x)} on a state of {@code nx} components, with the
 * tangent-linear and adjoint of its tendency.
 *
 * <p>Arrays are flat {@code double[]}; a state may start at an offset {@code xo} inside a larger buffer
 * (a stored trajectory), which lets the RK4 adjoint read its stored stage inputs in place. Batches are
 * state-major, {@code x[i*nb + b]}, so the innermost loop runs over the batch with unit stride.
 *
 * <p>Implementations hold no mutable state and are thread-safe.
 */
public interface Dynamics {

  /** Number of state components. */
  int nx();

  /** {@code f = f(x)}. {@code x[xo..xo+nx)} not modified; {@code f[0..nx)} overwritten. */
  void tendency(double[] x, int xo, double[] f);

  /** {@code df = f'(x) dx}. Only {@code df} is modified. */
  void tendencyTangent(double[] x, int xo, double[] dx, double[] df);

  /** {@code ax = f'(x)ᵀ af} (overwrites {@code ax}). Only {@code ax} is modified. */
  void tendencyAdjoint(double[] x, int xo, double[] af, double[] ax);

  /**
   * Batched tendency, state-major: {@code f[i*nb+b] = f(x[·*nb+b])_i} for {@code b < nb}. Gives the same
   * numbers, bit for bit, as {@link #tendency} on each member.
   */
  void tendencyBatch(double[] x, double[] f, int nb);
}
