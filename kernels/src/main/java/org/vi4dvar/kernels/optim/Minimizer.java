package org.vi4dvar.kernels.optim;

/**
 * A local minimiser of a {@link DifferentiableFunction}. Implementations own workspaces and are not
 * thread-safe: use one per task or thread.
 */
public interface Minimizer {

  /**
   * Minimises {@code f} from {@code x}.
   *
   * @param f the function
   * @param x on entry the start, on exit the last accepted iterate, always finite if the start was. Modified.
   * @return what happened
   */
  OptimResult minimize(DifferentiableFunction f, double[] x);
}
