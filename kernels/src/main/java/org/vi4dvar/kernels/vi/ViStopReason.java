package org.vi4dvar.kernels.vi;

/** Why one VI run stopped. */
public enum ViStopReason {
  /**
   * The convergence test passed at the smallest step size: the mean ELBO estimate of the last window of iterations
   * differs from that of the window before by less than the Monte Carlo standard error of that difference, and the
   * reported parameters are averaged over at least {@code vi.average-windows} windows.
   */
  CONVERGED("converged"),
  /** The iteration limit was reached before the convergence test passed: the result may still be improving. */
  ITERATION_LIMIT("iteration-limit"),
  /**
   * A non-finite value (cost, gradient, parameter or a final ELBO sample): the run stopped at the last finite
   * parameters; its ELBO is −∞ and callers count and exclude it.
   */
  DIVERGED("diverged");

  private final String configName;

  ViStopReason(String configName) {
    this.configName = configName;
  }

  /** The name in outputs ({@code converged | iteration-limit | diverged}). */
  public String configName() {
    return configName;
  }
}
