package org.vi4dvar.kernels.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdamTest extends MinimizerAbstractTest {

  /** A decaying rate 0.1 → 1e-6 over 4000 steps: Adam then converges on deterministic problems. */
  private static AdamConfig config(int iterations) {
    return AdamConfig.defaults().withMaxIterations(iterations).withDecay(0.1, 1e-6).withGradientTolerance(1e-9);
  }

  @Override
  protected Minimizer newMinimizer() {
    return new Adam(config(4000));
  }

  @Override
  protected Minimizer newMinimizer(int maxIterations) {
    return new Adam(config(maxIterations));
  }

  /**
   * Adam's late steps have length ≈ lr_t per coordinate; with the rate decaying to 1e-6 the iterates settle
   * within ~1e-5 of the minimum (measured ~1e-7); 1e-4 leaves margin.
   */
  @Override
  protected double quadraticTolerance() {
    return 1e-4;
  }

  /** A rotated κ = 1e4 quadratic is beyond a diagonal preconditioner in a few thousand steps. */
  @Override
  protected boolean solvesIllConditioned() {
    return false;
  }

  @Override
  protected boolean solvesRosenbrock() {
    return false;
  }

  @Test
  void firstStepHasLengthLearningRateInEveryCoordinate() {
    // bias correction: m̂1 = g, v̂1 = g², so θ1 = θ0 − lr g / (|g| + ε)
    Adam a = new Adam(AdamConfig.defaults());
    a.reset(3);
    double[] theta = {1, 2, 3};
    a.step(theta, new double[] {10, -0.001, 5});
    assertEquals(1 - 0.01 * 10 / (10 + 1e-8), theta[0], 1e-15);
    assertEquals(2 + 0.01 * 0.001 / (0.001 + 1e-8), theta[1], 1e-15);
    assertEquals(3 - 0.01 * 5 / (5 + 1e-8), theta[2], 1e-15);
  }

  @Test
  void secondStepMatchesTheFormulas() {
    Adam a = new Adam(AdamConfig.defaults());
    a.reset(1);
    double[] theta = {0};
    a.step(theta, new double[] {2});
    double th1 = theta[0];
    a.step(theta, new double[] {-1});
    double m = 0.9 * (0.1 * 2) + 0.1 * -1;
    double v = 0.999 * (0.001 * 4) + 0.001 * 1;
    double mh = m / (1 - 0.81);
    double vh = v / (1 - 0.999 * 0.999);
    assertEquals(th1 - 0.01 * mh / (Math.sqrt(vh) + 1e-8), theta[0], 1e-15);
    assertEquals(2, a.steps());
  }

  @Test
  void learningRateDecaysGeometricallyToItsFinalValue() {
    Adam a = new Adam(AdamConfig.defaults().withMaxIterations(101).withDecay(1.0, 1e-2));
    assertEquals(1.0, a.learningRate(1), 1e-15);
    assertEquals(0.1, a.learningRate(51), 1e-14);
    assertEquals(1e-2, a.learningRate(101), 0.0);
    assertEquals(1e-2, a.learningRate(500), 0.0);
    Adam constant = new Adam(AdamConfig.defaults());
    assertEquals(0.01, constant.learningRate(1000), 0.0);
  }

  @Test
  void divergenceRestoresTheLastFiniteIterate() {
    // f is NaN below x0 = 0.5 and the minimum is at x0 = 0: Adam walks into the wall
    TestFunctions.Walled f = new TestFunctions.Walled(new double[] {0.0}, 0.5);
    double[] x = {0.6};
    OptimResult r = new Adam(AdamConfig.defaults().withLearningRate(0.05)).minimize(f, x);
    assertEquals(StopReason.DIVERGED, r.stopReason);
    assertEquals(0.5 * x[0] * x[0], r.cost, 0.0);
    assertEquals(r.iterations + 1, r.costTrace.length);
  }
}
