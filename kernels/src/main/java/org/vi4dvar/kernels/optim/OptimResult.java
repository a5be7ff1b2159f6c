package org.vi4dvar.kernels.optim;

/**
 * The outcome of one minimisation: why it stopped, the work done, the final cost and gradient norm, and
 * optionally the cost after every iteration. A plain final class (Kryo-serialisable, see the package doc).
 */
public final class OptimResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Why the minimiser stopped. */
  public final StopReason stopReason;
  /** Iterations done (accepted steps). */
  public final int iterations;
  /** Function-and-gradient evaluations made. */
  public final long evaluations;
  /** Cost at the returned iterate ({@code +∞} only if the start itself was not finite). */
  public final double cost;
  /** Euclidean norm of the gradient at the returned iterate ({@code +∞} as for {@link #cost}). */
  public final double gradientNorm;
  /**
   * {@code costTrace[i]} = cost after iteration i ({@code [0]} = at the start), {@code iterations + 1} values;
   * {@code null} if the trace was not recorded.
   */
  public final double[] costTrace;

  /** Builds a result; {@code costTrace} is kept, not copied. */
  public OptimResult(StopReason stopReason, int iterations, long evaluations, double cost, double gradientNorm,
      double[] costTrace) {
    this.stopReason = stopReason;
    this.iterations = iterations;
    this.evaluations = evaluations;
    this.cost = cost;
    this.gradientNorm = gradientNorm;
    this.costTrace = costTrace;
  }

  /** Whether a tolerance was met. */
  public boolean converged() {
    return stopReason.converged();
  }

  @Override
  public String toString() {
    return "OptimResult[" + stopReason + ", iterations=" + iterations + ", evaluations=" + evaluations
        + ", cost=" + cost + ", |g|=" + gradientNorm + "]";
  }
}
