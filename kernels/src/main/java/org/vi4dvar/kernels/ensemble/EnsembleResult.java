package org.vi4dvar.kernels.ensemble;

import org.vi4dvar.kernels.optim.StopReason;

/**
 * One ensemble member's analysis. A plain final class with public final fields (Kryo); arrays owned by the
 * result.
 */
public final class EnsembleResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Member index k. */
  public final long index;
  /** Start of the minimisation (the perturbed background, or the given start). */
  public final double[] start;
  /** The analysis x0 (finite; the last accepted iterate). */
  public final double[] x0;
  /** J of the member's perturbed problem at x0 ({@code +∞} if the start was not finite). */
  public final double cost;
  /** J of the unperturbed problem at x0 (comparable across members: shows trapped members). */
  public final double costUnperturbed;
  /** Whether a tolerance was met. */
  public final boolean converged;
  /** Why the minimiser stopped. */
  public final StopReason stopReason;
  /** L-BFGS iterations. */
  public final int iterations;
  /** Cost-and-gradient evaluations. */
  public final long evaluations;
  /** Gradient norm at x0. */
  public final double gradientNorm;
  /** Perturbed-problem cost after each iteration ({@code [0]} at the start), or null if not recorded. */
  public final double[] costTrace;

  /** Builds a result; arrays are kept, not copied. */
  public EnsembleResult(long index, double[] start, double[] x0, double cost, double costUnperturbed,
      boolean converged, StopReason stopReason, int iterations, long evaluations, double gradientNorm,
      double[] costTrace) {
    this.index = index;
    this.start = start;
    this.x0 = x0;
    this.cost = cost;
    this.costUnperturbed = costUnperturbed;
    this.converged = converged;
    this.stopReason = stopReason;
    this.iterations = iterations;
    this.evaluations = evaluations;
    this.gradientNorm = gradientNorm;
    this.costTrace = costTrace;
  }

  /** Whether the member diverged (non-finite cost at its start): the driver counts and excludes it. */
  public boolean diverged() {
    return stopReason == StopReason.DIVERGED;
  }

  @Override
  public String toString() {
    return "EnsembleResult[k=" + index + ", J=" + cost + ", J(unperturbed)=" + costUnperturbed + ", "
        + stopReason + ", iterations=" + iterations + ", evaluations=" + evaluations + "]";
  }
}
