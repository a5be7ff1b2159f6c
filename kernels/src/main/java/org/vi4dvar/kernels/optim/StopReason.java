package org.vi4dvar.kernels.optim;

/** Why a minimiser stopped. */
public enum StopReason {
  /** The gradient norm fell to the configured tolerance: converged. */
  GRADIENT_TOLERANCE,
  /** The relative decrease of the cost over one iteration fell to the configured tolerance: converged. */
  COST_TOLERANCE,
  /** The iteration budget ran out. */
  MAX_ITERATIONS,
  /** The evaluation budget ran out. */
  MAX_EVALUATIONS,
  /**
   * The line search found no acceptable step, even along the steepest descent (usually round-off near a
   * minimum, or a non-smooth function). The iterate is the last accepted one and is finite.
   */
  LINE_SEARCH_FAILED,
  /**
   * The function or gradient was not finite where it could not be avoided: at the start (L-BFGS), or at an
   * iterate (Adam, which has no line search). The returned iterate is the last finite one.
   */
  DIVERGED;

  /** Whether this reason means convergence (a tolerance was met). */
  public boolean converged() {
    return this == GRADIENT_TOLERANCE || this == COST_TOLERANCE;
  }
}
