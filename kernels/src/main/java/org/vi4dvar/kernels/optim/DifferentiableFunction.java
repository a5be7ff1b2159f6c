package org.vi4dvar.kernels.optim;

/** A function {@code f: ℝⁿ → ℝ} with its gradient, evaluated together into a caller-owned array. */
public interface DifferentiableFunction {

  /** The dimension n. */
  int dimension();

  /**
   * {@code f(x)}, and {@code grad = ∇f(x)}.
   *
   * @param x the point, not modified
   * @param grad the gradient, overwritten (n entries)
   * @return f(x); may be non-finite (the minimisers handle it)
   */
  double valueAndGradient(double[] x, double[] grad);
}
