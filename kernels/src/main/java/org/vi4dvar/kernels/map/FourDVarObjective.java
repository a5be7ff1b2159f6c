package org.vi4dvar.kernels.map;

import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.var.FourDVarCost;

/**
 * The 4D-Var cost {@code J(c)} as a {@link DifferentiableFunction} of the control c (x0 for strong constraint;
 * gradient by the adjoint). {@link org.vi4dvar.kernels.var.WhitenedObjective} is the same cost in the whitened
 * variable v. Holds the (not thread-safe) cost; one per task or thread.
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
    return cost.dimension();
  }

  @Override
  public double valueAndGradient(double[] x, double[] grad) {
    return cost.costAndGradient(x, grad);
  }
}
