package org.vi4dvar.kernels.testing;

import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * A test-side adapter {@code f(v) = J(c_b + S v)}, {@code ∇f = Sᵀ ∇J}, from a {@link FourDVarCost} and the
 * problem's background transform (diagonal today). The production adapter (dense B) is another helper's.
 * Not thread-safe.
 */
public final class WhitenedCost implements DifferentiableFunction {

  private final FourDVarCost cost;
  private final ControlTransform s;
  private final double[] c;
  private final double[] gc;

  /** The whitened cost of {@code problem} through {@code problem.background()}. */
  public WhitenedCost(FourDVarProblem problem) {
    this.cost = new FourDVarCost(problem);
    this.s = problem.background();
    this.c = new double[s.n()];
    this.gc = new double[s.n()];
  }

  /** The transform. */
  public ControlTransform transform() {
    return s;
  }

  @Override
  public int dimension() {
    return s.n();
  }

  @Override
  public double valueAndGradient(double[] v, double[] grad) {
    s.toControl(v, c);
    double j = cost.costAndGradient(c, gc);
    s.applyTranspose(gc, grad);
    return j;
  }

  /** f(v). */
  public double value(double[] v) {
    s.toControl(v, c);
    return cost.cost(c);
  }
}
