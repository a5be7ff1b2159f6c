package org.vi4dvar.kernels.mcmc;

/**
 * The state of a chain at the end of warm-up: the point, the frozen step size and metric, and warm-up's counts.
 * {@link McmcSampler#sample} continues from it. A plain final class with public final fields (Kryo); arrays owned
 * by it, not to be modified.
 */
public final class WarmupResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The chain index. */
  public final int chain;
  /** The start of warm-up, in v. */
  public final double[] start;
  /** The last warm-up state, in v. */
  public final double[] v;
  /** {@code f(v)}. */
  public final double f;
  /** {@code ∇f(v)}. */
  public final double[] grad;
  /** The adapted step size (dual averaging's averaged iterate). */
  public final double stepSize;
  /** The metric's dense part A of {@code C = A diag(d)} (n×n), or empty for the identity. */
  public final double[] metricMatrix;
  /** The metric's scales d. */
  public final double[] metricScale;
  /** Warm-up divergences (energy error &gt; 1000 or a non-finite value). */
  public final long divergences;
  /** Warm-up evaluations with a non-finite f or ∇f (rejected). */
  public final long nonFinite;
  /** Warm-up gradient evaluations (including the step-size searches). */
  public final long gradientEvaluations;

  WarmupResult(int chain, double[] start, double[] v, double f, double[] grad, double stepSize,
      double[] metricMatrix, double[] metricScale, long divergences, long nonFinite, long gradientEvaluations) {
    this.chain = chain;
    this.start = start;
    this.v = v;
    this.f = f;
    this.grad = grad;
    this.stepSize = stepSize;
    this.metricMatrix = metricMatrix;
    this.metricScale = metricScale;
    this.divergences = divergences;
    this.nonFinite = nonFinite;
    this.gradientEvaluations = gradientEvaluations;
  }
}
