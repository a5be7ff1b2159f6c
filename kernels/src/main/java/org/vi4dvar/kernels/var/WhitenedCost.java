package org.vi4dvar.kernels.var;

import org.vi4dvar.kernels.optim.DifferentiableFunction;

/**
 * The 4D-Var cost in the whitened control variable, {@code f(v) = J(c_b + S v)} with
 * {@code ∇_v f = Sᵀ ∇_c J} (math-2.md: the Hessian in v is {@code I + Sᵀ H_o S}, eigenvalues ≥ 1, which is why
 * minimisation runs in v). With {@code J = Jb + Jo} and {@code Jb = ½ ‖S⁻¹(c − c_b)‖² = ½ ‖v‖²}. Allocation-free;
 * not thread-safe (owns a {@link FourDVarCost} and workspaces): one per task.
 */
public final class WhitenedCost implements DifferentiableFunction {

  private final FourDVarCost cost;
  private final ControlTransform s;
  private final double[] c;
  private final double[] gc;

  /** The whitened cost of {@code problem} in the variable of its background transform. */
  public WhitenedCost(FourDVarProblem problem) {
    this(new FourDVarCost(problem), problem.background());
  }

  /** The whitened form of {@code cost} under {@code s}. */
  public WhitenedCost(FourDVarCost cost, ControlTransform s) {
    if (s.n() != cost.nx()) {
      throw new IllegalArgumentException("transform dimension " + s.n() + " != control dimension " + cost.nx());
    }
    this.cost = cost;
    this.s = s;
    this.c = new double[s.n()];
    this.gc = new double[s.n()];
  }

  /** The transform. */
  public ControlTransform transform() {
    return s;
  }

  /** The underlying cost in the control c. */
  public FourDVarCost cost() {
    return cost;
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

  /** {@code f(v)} only. */
  public double value(double[] v) {
    s.toControl(v, c);
    return cost.cost(c);
  }

  /** {@code c = c_b + S v} into {@code out}. */
  public void toControl(double[] v, double[] out) {
    s.toControl(v, out);
  }

  /** {@code v = S⁻¹ (c − c_b)} into {@code out}. */
  public void toWhitened(double[] control, double[] out) {
    s.toWhitened(control, c, out);
  }
}
