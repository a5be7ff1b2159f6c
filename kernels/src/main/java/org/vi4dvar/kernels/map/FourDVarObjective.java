package org.vi4dvar.kernels.map;

import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.var.FourDVarCost;

/**
 * The 4D-Var cost {@code J(x0)} as a {@link DifferentiableFunction} of x0 (gradient by the adjoint). Holds the
 * (not thread-safe) cost; one per task or thread.
 */
public final class FourDVarObjective implements DifferentiableFunction {

  private final FourDVarCost cost;

  /** Wraps {@code cost}. */
  public FourDVarObjective(FourDVarCost cost) {
    this.cost = cost;
  }

  /** The wrapped cost. */
  public FourDVarCost cost() {
    return cost;
  }

  @Override
  public int dimension() {
    return cost.nx();
  }

  @Override
  public double valueAndGradient(double[] x, double[] grad) {
    return cost.costAndGradient(x, grad);
  }
}
