package org.vi4dvar.kernels.model;

/**
 * A continuous-time dynamical system {@code dx/dt = f(x)} on a state of {@code nx} components, with the
 * tangent-linear and adjoint of its tendency.
 *
 * <p>Arrays are flat {@code double[]}; a state may start at an offset {@code xo} inside a larger buffer
 * (a stored trajectory), which lets the RK4 adjoint read its stored stage inputs in place. Batches are
 * state-major rows, {@code x[i][b]}, so the innermost loop runs over the batch with unit stride.
 *
 * <p>Implementations may own small workspaces and are then not thread-safe: one instance per model.
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
   * Batched tendency of {@code nb} states held as rows: {@code f[i][b] = f(x[·][b])_i} for {@code b < nb}.
   * Each component is its own array (state-major rows), so every inner loop reads and writes {@code a[b]}
   * with one index: C2's SuperWord then vectorises it across the batch (with a flat {@code x[i*nb+b]} layout the
   * different row offsets defeat its aliasing analysis on JDK 17 and the loop stays scalar). Gives the same
   * numbers, bit for bit, as {@link #tendency} on each member.
   */
  void tendencyBatch(double[][] x, double[][] f, int nb);

  /** One row of {@link #tendencyBatch}: {@code fi[b] = f(x[·][b])_i}, same numbers. */
  void tendencyBatchRow(double[][] x, int i, double[] fi, int nb);

  // ---- model parameters (see Model#nParameters): none by default ----

  /** Number of parameters p_k of the tendency that can be estimated (0 by default). */
  default int nParameters() {
    return 0;
  }

  /** The name of parameter k (as in configuration files, e.g. {@code forcing}). */
  default String parameterName(int k) {
    throw new IndexOutOfBoundsException("parameter " + k + " of a tendency with no parameters");
  }

  /** The current value of parameter k. */
  default double parameter(int k) {
    throw new IndexOutOfBoundsException("parameter " + k + " of a tendency with no parameters");
  }

  /** Sets parameter k (finite); the tendency and its derivatives use the new value from then on. */
  default void setParameter(int k, double value) {
    throw new IndexOutOfBoundsException("parameter " + k + " of a tendency with no parameters");
  }

  /**
   * {@code fp = ∂f/∂p_k (x)} (nx values, overwritten); {@code x[xo..xo+nx)} not modified. The tangent of f
   * w.r.t. the parameters is {@code Σ_k fp_k dp_k}, its adjoint {@code ap_k = ⟨fp_k, af⟩}.
   */
  default void tendencyParameter(double[] x, int xo, int k, double[] fp) {
    throw new IndexOutOfBoundsException("parameter " + k + " of a tendency with no parameters");
  }
}
