package org.vi4dvar.kernels.var;

import org.vi4dvar.kernels.optim.DifferentiableFunction;

/**
 * The 4D-Var cost as a function of the whitened control variable v (math-2.md, "Control-variable transform"):
 * <pre>
 *   c = c_b + S v,    f(v) = J(c) = ½ vᵀv + Jo(c),    ∇_v f = v + Sᵀ ∇_c Jo
 * </pre>
 * with S the problem's {@link ControlSpace} (B½ for x0, Q½ for η, σ_p for parameters). The prior part is
 * ½‖v‖² exactly — never {@code B⁻¹} applied to c − c_b — and the Hessian in v is {@code I + Sᵀ H_o S}, whose
 * eigenvalues are ≥ 1: the conditioning reason why operational 4D-Var minimises in v (Courtier et al. 1998;
 * Bannister 2008). Mathematically {@code f(v) = J(c_b + S v)}; in floating point the two differ by round-off.
 *
 * <p>Allocation-free (two control-sized workspaces). Holds the (not thread-safe) cost: one per task or thread.
 */
public final class WhitenedObjective implements DifferentiableFunction {

  private final FourDVarCost cost;
  private final ControlTransform s;
  private final int n;
  private final double[] c;
  private final double[] gc;

  /** f(v) of the problem of {@code cost}, centred at its control prior mean {@code c_b}. */
  public WhitenedObjective(FourDVarCost cost) {
    this.cost = cost;
    this.s = cost.problem().control();
    this.n = s.n();
    this.c = new double[n];
    this.gc = new double[n];
  }

  /** The wrapped cost. */
  public FourDVarCost cost() {
    return cost;
  }

  /** The transform {@code c = c_b + S v}. */
  public ControlTransform transform() {
    return s;
  }

  @Override
  public int dimension() {
    return n;
  }

  @Override
  public double valueAndGradient(double[] v, double[] grad) {
    s.toControl(v, c);
    double jo = cost.observationCostAndGradient(c, gc);
    s.applyTranspose(gc, grad);
    double vv = 0.0;
    for (int i = 0; i < n; i++) {
      vv += v[i] * v[i];
      grad[i] += v[i];
    }
    return 0.5 * vv + jo;
  }

  /** {@code f(v)} without the gradient (one forward sweep). */
  public double value(double[] v) {
    s.toControl(v, c);
    double jo = cost.observationCost(c);
    double vv = 0.0;
    for (int i = 0; i < n; i++) {
      vv += v[i] * v[i];
    }
    return 0.5 * vv + jo;
  }

  /** {@code c = c_b + S v} (c must not be v). */
  public void toControl(double[] v, double[] out) {
    s.toControl(v, out);
  }

  /** {@code v = S⁻¹ (c − c_b)} (v must not be c; uses an internal workspace). */
  public void toWhitened(double[] control, double[] v) {
    s.toWhitened(control, c, v);
  }
}
