package org.vi4dvar.kernels.mcmc;

import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.var.ControlTransform;

/**
 * The sampler's target in the whitened control: {@code f(v) = J(c_b + S v)}, {@code ∇_v f = Sᵀ ∇_c J}
 * (design notes, "Objective functions"; math-2.md, "Control-variable transform"). The change of variable is
 * affine, so f is −log of the posterior density of v up to a constant and the prior term of J becomes ½‖v‖².
 * Holds the (not thread-safe) cost and two workspaces; one per task or thread.
 */
public final class WhitenedTarget implements DifferentiableFunction {

  private final DifferentiableFunction cost;
  private final ControlTransform s;
  private final double[] c;
  private final double[] gc;

  /**
   * @param cost J and ∇J over the control c (e.g. {@code new FourDVarObjective(new FourDVarCost(problem))})
   * @param s the control transform {@code c = c_b + S v} (e.g. {@code problem.background()})
   */
  public WhitenedTarget(DifferentiableFunction cost, ControlTransform s) {
    if (cost.dimension() != s.n()) {
      throw new IllegalArgumentException("cost dimension " + cost.dimension() + " != transform dimension "
          + s.n());
    }
    this.cost = cost;
    this.s = s;
    this.c = new double[s.n()];
    this.gc = new double[s.n()];
  }

  @Override
  public int dimension() {
    return s.n();
  }

  /** The transform. */
  public ControlTransform transform() {
    return s;
  }

  @Override
  public double valueAndGradient(double[] v, double[] grad) {
    s.toControl(v, c);
    double j = cost.valueAndGradient(c, gc);
    s.applyTranspose(gc, grad);
    return j;
  }
}
