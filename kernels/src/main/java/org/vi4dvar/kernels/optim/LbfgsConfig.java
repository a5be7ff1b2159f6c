package org.vi4dvar.kernels.optim;

/**
 * Settings of {@link Lbfgs}; immutable, validated on construction, changed by the {@code with…} copies.
 * Defaults ({@link #defaults()}): memory 7 (Nocedal &amp; Wright, Numerical Optimization 2nd ed., §7.2: "values of
 * m between 3 and 20"), Wolfe constants {@code c1 = 1e-4}, {@code c2 = 0.9} (N&amp;W §3.1, the usual choice for
 * quasi-Newton methods), gradient tolerance {@code 1e-6} (absolute, Euclidean norm), relative cost decrease
 * {@code 1e-12}, 1000 iterations, 20000 evaluations, 30 evaluations per line search, cost trace recorded.
 */
public final class LbfgsConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Default memory m. */
  public static final int DEFAULT_MEMORY = 7;

  /** Pairs (s, y) kept. */
  public final int memory;
  /** Iteration budget. */
  public final int maxIterations;
  /** Function-evaluation budget. */
  public final long maxEvaluations;
  /** Stop when {@code ‖∇f‖₂ ≤ gradientTolerance} (absolute). */
  public final double gradientTolerance;
  /** Stop when {@code f_{k−1} − f_k ≤ relativeCostTolerance · max(|f_{k−1}|, |f_k|, 1)}; 0 disables. */
  public final double relativeCostTolerance;
  /** Sufficient-decrease constant {@code c1} of the Wolfe conditions. */
  public final double c1;
  /** Curvature constant {@code c2} of the strong Wolfe conditions, {@code c1 < c2 < 1}. */
  public final double c2;
  /** Evaluations allowed in one line search. */
  public final int maxLineSearchEvaluations;
  /** Whether to record the cost after every iteration ({@link OptimResult#costTrace}). */
  public final boolean recordTrace;

  /** Validates every field; the message names the field. */
  public LbfgsConfig(int memory, int maxIterations, long maxEvaluations, double gradientTolerance,
      double relativeCostTolerance, double c1, double c2, int maxLineSearchEvaluations, boolean recordTrace) {
    if (memory < 1) {
      throw new IllegalArgumentException("memory must be >= 1, got " + memory);
    }
    if (maxIterations < 0) {
      throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
    }
    if (maxEvaluations < 1) {
      throw new IllegalArgumentException("maxEvaluations must be >= 1, got " + maxEvaluations);
    }
    if (!(gradientTolerance >= 0) || !(relativeCostTolerance >= 0)) {
      throw new IllegalArgumentException("tolerances must be >= 0, got gradient " + gradientTolerance
          + ", relative cost " + relativeCostTolerance);
    }
    if (!(c1 > 0 && c1 < c2 && c2 < 1)) {
      throw new IllegalArgumentException("Wolfe constants need 0 < c1 < c2 < 1, got c1=" + c1 + ", c2=" + c2);
    }
    if (maxLineSearchEvaluations < 2) {
      throw new IllegalArgumentException("maxLineSearchEvaluations must be >= 2, got "
          + maxLineSearchEvaluations);
    }
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.maxEvaluations = maxEvaluations;
    this.gradientTolerance = gradientTolerance;
    this.relativeCostTolerance = relativeCostTolerance;
    this.c1 = c1;
    this.c2 = c2;
    this.maxLineSearchEvaluations = maxLineSearchEvaluations;
    this.recordTrace = recordTrace;
  }

  /** The defaults listed in the class comment. */
  public static LbfgsConfig defaults() {
    return new LbfgsConfig(DEFAULT_MEMORY, 1000, 20000, 1e-6, 1e-12, 1e-4, 0.9, 30, true);
  }

  /** A copy with another memory m. */
  public LbfgsConfig withMemory(int m) {
    return new LbfgsConfig(m, maxIterations, maxEvaluations, gradientTolerance, relativeCostTolerance, c1, c2,
        maxLineSearchEvaluations, recordTrace);
  }

  /** A copy with another iteration budget. */
  public LbfgsConfig withMaxIterations(int n) {
    return new LbfgsConfig(memory, n, maxEvaluations, gradientTolerance, relativeCostTolerance, c1, c2,
        maxLineSearchEvaluations, recordTrace);
  }

  /** A copy with another evaluation budget. */
  public LbfgsConfig withMaxEvaluations(long n) {
    return new LbfgsConfig(memory, maxIterations, n, gradientTolerance, relativeCostTolerance, c1, c2,
        maxLineSearchEvaluations, recordTrace);
  }

  /** A copy with other stopping tolerances. */
  public LbfgsConfig withTolerances(double gradient, double relativeCost) {
    return new LbfgsConfig(memory, maxIterations, maxEvaluations, gradient, relativeCost, c1, c2,
        maxLineSearchEvaluations, recordTrace);
  }

  /** A copy that does or does not record the cost trace. */
  public LbfgsConfig withTrace(boolean record) {
    return new LbfgsConfig(memory, maxIterations, maxEvaluations, gradientTolerance, relativeCostTolerance, c1,
        c2, maxLineSearchEvaluations, record);
  }

  @Override
  public String toString() {
    return "LbfgsConfig[m=" + memory + ", maxIter=" + maxIterations + ", maxEval=" + maxEvaluations + ", gtol="
        + gradientTolerance + ", ftol=" + relativeCostTolerance + ", c1=" + c1 + ", c2=" + c2 + ", lsEval="
        + maxLineSearchEvaluations + ", trace=" + recordTrace + "]";
  }
}
