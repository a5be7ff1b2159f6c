package org.vi4dvar.kernels.optim;

/**
 * Settings of {@link Adam}; immutable, validated. Defaults ({@link #defaults()}) are those of the Adam paper
 * (Kingma &amp; Ba 2015: β1 0.9, β2 0.999, ε 1e-8, as in PyTorch) with the talk's learning rate 0.01 and 1500
 * iterations, a constant learning rate ({@code finalLearningRate = learningRate}) and no gradient stop.
 *
 * <p>Optional geometric decay: {@code lr_t = lr · (lrFinal / lr)^((t−1)/(T−1))} for step {@code t = 1..T}
 * ({@code T = maxIterations}), then {@code lrFinal}. A decaying rate turns the noisy stochastic iterates into a
 * converging sequence (Robbins–Monro); the talk used a constant one.
 */
public final class AdamConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The talk's learning rate. */
  public static final double TALK_LEARNING_RATE = 0.01;
  /** The talk's iteration count. */
  public static final int TALK_ITERATIONS = 1500;

  /** Initial learning rate {@code lr}. */
  public final double learningRate;
  /** Learning rate of the last step (equal to {@link #learningRate} for a constant rate). */
  public final double finalLearningRate;
  /** First-moment decay β1. */
  public final double beta1;
  /** Second-moment decay β2. */
  public final double beta2;
  /** ε of the update denominator {@code √v̂ + ε}. */
  public final double epsilon;
  /** Number of steps T (also the length of the decay). */
  public final int maxIterations;
  /** {@link Adam#minimize} stops when {@code ‖g‖₂ ≤ gradientTolerance}; 0 = never. */
  public final double gradientTolerance;

  /** Validates every field; the message names the field. */
  public AdamConfig(double learningRate, double finalLearningRate, double beta1, double beta2, double epsilon,
      int maxIterations, double gradientTolerance) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
    }
    if (!(finalLearningRate > 0) || !Double.isFinite(finalLearningRate)) {
      throw new IllegalArgumentException("finalLearningRate must be finite and > 0, got " + finalLearningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta1, beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
    }
    if (maxIterations < 0) {
      throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
    }
    if (!(gradientTolerance >= 0)) {
      throw new IllegalArgumentException("gradientTolerance must be >= 0, got " + gradientTolerance);
    }
    this.learningRate = learningRate;
    this.finalLearningRate = finalLearningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.maxIterations = maxIterations;
    this.gradientTolerance = gradientTolerance;
  }

  /** The defaults listed in the class comment (the talk's VI settings). */
  public static AdamConfig defaults() {
    return new AdamConfig(TALK_LEARNING_RATE, TALK_LEARNING_RATE, 0.9, 0.999, 1e-8, TALK_ITERATIONS, 0.0);
  }

  /** A copy with a constant learning rate. */
  public AdamConfig withLearningRate(double lr) {
    return new AdamConfig(lr, lr, beta1, beta2, epsilon, maxIterations, gradientTolerance);
  }

  /** A copy whose learning rate decays geometrically from {@code lr} to {@code lrFinal}. */
  public AdamConfig withDecay(double lr, double lrFinal) {
    return new AdamConfig(lr, lrFinal, beta1, beta2, epsilon, maxIterations, gradientTolerance);
  }

  /** A copy with another number of steps. */
  public AdamConfig withMaxIterations(int n) {
    return new AdamConfig(learningRate, finalLearningRate, beta1, beta2, epsilon, n, gradientTolerance);
  }

  /** A copy with a gradient stop for {@link Adam#minimize}. */
  public AdamConfig withGradientTolerance(double tol) {
    return new AdamConfig(learningRate, finalLearningRate, beta1, beta2, epsilon, maxIterations, tol);
  }

  @Override
  public String toString() {
    return "AdamConfig[lr=" + learningRate + (finalLearningRate != learningRate ? "->" + finalLearningRate : "")
        + ", b1=" + beta1 + ", b2=" + beta2 + ", eps=" + epsilon + ", iter=" + maxIterations + ", gtol="
        + gradientTolerance + "]";
  }
}
