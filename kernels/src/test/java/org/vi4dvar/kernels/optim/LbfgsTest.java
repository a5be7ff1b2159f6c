package org.vi4dvar.kernels.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.linalg.Blas;

class LbfgsTest extends MinimizerAbstractTest {

  private static LbfgsConfig config() {
    return LbfgsConfig.defaults().withTolerances(1e-10, 0.0);
  }

  @Override
  protected Minimizer newMinimizer() {
    return new Lbfgs(config());
  }

  @Override
  protected Minimizer newMinimizer(int maxIterations) {
    return new Lbfgs(config().withMaxIterations(maxIterations));
  }

  /** ‖x − x*‖ ≤ ‖A⁻¹‖ ‖g‖ = 1 × 1e-10 when stopped on the gradient; 1e-9 leaves a margin. */
  @Override
  protected double quadraticTolerance() {
    return 1e-9;
  }

  @Override
  protected boolean solvesIllConditioned() {
    return true;
  }

  @Override
  protected boolean solvesRosenbrock() {
    return true;
  }

  @Test
  void quadraticInAtMostNIterationsPerMemoryScale() {
    // on a quadratic with exact line searches L-BFGS with m ≥ n is CG-like; with Wolfe steps it still
    // finishes a 10-dimensional, κ = 10 problem in a few dozen iterations
    TestFunctions.Quadratic f = new TestFunctions.Quadratic(10, 10.0, 11);
    OptimResult r = new Lbfgs(config()).minimize(f, new double[10]);
    assertEquals(StopReason.GRADIENT_TOLERANCE, r.stopReason);
    assertTrue(r.iterations <= 40, r::toString);
  }

  @Test
  void rosenbrockIsSolvedInTheUsualNumberOfSteps() {
    // a correct L-BFGS (m = 7) with a strong-Wolfe search needs ~35–45 iterations from (−1.2, 1) (SciPy's
    // L-BFGS-B: 36); measured here 41 iterations, 52 evaluations. A broken line search or two-loop recursion
    // needs hundreds.
    TestFunctions.Rosenbrock f = new TestFunctions.Rosenbrock(2);
    OptimResult r = new Lbfgs(config()).minimize(f, new double[] {-1.2, 1});
    assertTrue(r.iterations <= 60 && r.evaluations <= 80, r::toString);
  }

  @Test
  void costTraceIsNonIncreasing() {
    TestFunctions.Rosenbrock f = new TestFunctions.Rosenbrock(10);
    double[] x = new double[10];
    OptimResult r = new Lbfgs(config()).minimize(f, x);
    for (int i = 1; i < r.costTrace.length; i++) {
      // sufficient decrease at every step, up to the line search's round-off slack of 1e-14 |f|
      assertTrue(r.costTrace[i] <= r.costTrace[i - 1] + 1e-14 * Math.abs(r.costTrace[i - 1]));
    }
  }

  @Test
  void aGradientToleranceBelowRoundOffEndsOnTheCostCriterionNotALineSearchFailure() {
    // f = 1e3 + ½ (x−c)ᵀA(x−c): f is known to ~1e-13 absolute, which resolves ‖g‖ down to ~1e-6 only
    TestFunctions.Quadratic q = new TestFunctions.Quadratic(6, 100.0, 13);
    DifferentiableFunction f = new DifferentiableFunction() {
      @Override
      public int dimension() {
        return 6;
      }

      @Override
      public double valueAndGradient(double[] x, double[] grad) {
        return 1e3 + q.valueAndGradient(x, grad);
      }
    };
    double[] x = new double[6];
    OptimResult r = new Lbfgs(LbfgsConfig.defaults().withTolerances(1e-14, 0.0)).minimize(f, x);
    assertTrue(r.converged(), r::toString);
    for (int i = 0; i < 6; i++) {
      assertEquals(q.c[i], x[i], 1e-6);
    }
  }

  @Test
  void everyMemorySizeConverges() {
    for (int m : new int[] {1, 2, 3, 7, 20}) {
      TestFunctions.Rosenbrock f = new TestFunctions.Rosenbrock(6);
      double[] x = {-1.2, 1, -1.2, 1, -1.2, 1};
      OptimResult r = new Lbfgs(config().withMemory(m)).minimize(f, x);
      assertTrue(r.converged(), () -> "m=" + m + ": " + r);
      assertEquals(1.0, x[4], 1e-6);
    }
  }

  @Test
  void relativeCostToleranceStopsEarlier() {
    TestFunctions.Rosenbrock f = new TestFunctions.Rosenbrock(2);
    double[] x = {-1.2, 1};
    OptimResult r = new Lbfgs(LbfgsConfig.defaults().withTolerances(0.0, 1e-3)).minimize(f, x);
    assertEquals(StopReason.COST_TOLERANCE, r.stopReason);
  }

  @Test
  void evaluationBudgetIsRespected() {
    TestFunctions.Rosenbrock f = new TestFunctions.Rosenbrock(2);
    OptimResult r = new Lbfgs(config().withMaxEvaluations(10)).minimize(f, new double[] {-1.2, 1});
    assertEquals(StopReason.MAX_EVALUATIONS, r.stopReason);
    assertTrue(f.evaluations <= 10 + config().maxLineSearchEvaluations);
  }

  @Test
  void backtracksOutOfANonFiniteRegionAndStillConverges() {
    // minimum at x0 = 0.5, NaN below 0.2: huge first steps from far away overshoot into the NaN region
    TestFunctions.Walled f = new TestFunctions.Walled(new double[] {0.5, -3}, 0.2);
    double[] x = {1000, 1000};
    OptimResult r = new Lbfgs(config()).minimize(f, x);
    assertTrue(r.converged(), r::toString);
    assertEquals(0.5, x[0], 1e-9);
    assertEquals(-3, x[1], 1e-9);
  }

  @Test
  void cubicInterpolationIsExactOnACubic() {
    // φ(a) = (a − 1)³ − 3(a − 1) has its local minimum at a = 2; φ' = 3(a−1)² − 3
    double a = 1.5;
    double b = 3.0;
    double fa = Math.pow(a - 1, 3) - 3 * (a - 1);
    double fb = Math.pow(b - 1, 3) - 3 * (b - 1);
    double da = 3 * (a - 1) * (a - 1) - 3;
    double db = 3 * (b - 1) * (b - 1) - 3;
    assertEquals(2.0, Lbfgs.cubicMinimizer(a, fa, da, b, fb, db), 1e-12);
    assertEquals(2.0, Lbfgs.cubicMinimizer(b, fb, db, a, fa, da), 1e-12);
  }

  @Test
  void gradientNormIsReportedAtTheResult() {
    TestFunctions.Quadratic f = new TestFunctions.Quadratic(4, 100.0, 12);
    double[] x = new double[4];
    OptimResult r = new Lbfgs(config()).minimize(f, x);
    double[] g = new double[4];
    f.valueAndGradient(x, g);
    assertEquals(Blas.nrm2(4, g), r.gradientNorm, 0.0);
  }
}
