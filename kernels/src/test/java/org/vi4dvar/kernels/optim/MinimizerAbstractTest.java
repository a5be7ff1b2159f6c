package org.vi4dvar.kernels.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.linalg.Blas;

/**
 * The contract every {@link Minimizer} meets (Hipparchus-style family test): run by {@code LbfgsTest} and
 * {@code AdamTest}; excluded from surefire by its name. Tolerances come from the subclass, per case.
 */
abstract class MinimizerAbstractTest {

  /** A minimiser with the settings of this family's tests. */
  protected abstract Minimizer newMinimizer();

  /** The same with an iteration budget of {@code n}. */
  protected abstract Minimizer newMinimizer(int maxIterations);

  /** abs: distance ‖x − x*‖∞ reached on the well-conditioned quadratic. */
  protected abstract double quadraticTolerance();

  /** Whether the family is expected to solve a rotated quadratic with condition number 1e4. */
  protected abstract boolean solvesIllConditioned();

  /** Whether the family is expected to solve Rosenbrock's function. */
  protected abstract boolean solvesRosenbrock();

  /** abs: distance reached on the ill-conditioned quadratic and on Rosenbrock (when they apply). */
  protected double hardTolerance() {
    return 1e-6;
  }

  @Test
  void wellConditionedQuadratic() {
    TestFunctions.Quadratic f = new TestFunctions.Quadratic(10, 10.0, 1);
    double[] x = new double[10];
    OptimResult r = newMinimizer().minimize(f, x);
    assertTrue(Blas.allFinite(10, x));
    for (int i = 0; i < 10; i++) {
      assertEquals(f.c[i], x[i], quadraticTolerance(), () -> r.toString());
    }
    assertEquals(f.evaluations, r.evaluations, "reported evaluations must be the function's count");
  }

  @Test
  void illConditionedQuadratic() {
    assumeTrue(solvesIllConditioned());
    TestFunctions.Quadratic f = new TestFunctions.Quadratic(12, 1e4, 2);
    double[] x = new double[12];
    OptimResult r = newMinimizer().minimize(f, x);
    assertTrue(r.converged(), r::toString);
    for (int i = 0; i < 12; i++) {
      assertEquals(f.c[i], x[i], hardTolerance(), r::toString);
    }
  }

  @Test
  void rosenbrock() {
    assumeTrue(solvesRosenbrock());
    for (int n : new int[] {2, 10}) {
      TestFunctions.Rosenbrock f = new TestFunctions.Rosenbrock(n);
      double[] x = new double[n];
      for (int i = 0; i < n; i += 2) {
        x[i] = -1.2; // the classical start
        x[i + 1] = 1.0;
      }
      OptimResult r = newMinimizer().minimize(f, x);
      assertTrue(r.converged(), r::toString);
      for (int i = 0; i < n; i++) {
        assertEquals(1.0, x[i], hardTolerance(), r::toString);
      }
    }
  }

  @Test
  void startAtTheMinimumStopsAtOnce() {
    TestFunctions.Quadratic f = new TestFunctions.Quadratic(5, 10.0, 3);
    double[] x = f.c.clone();
    OptimResult r = newMinimizer().minimize(f, x);
    assertEquals(StopReason.GRADIENT_TOLERANCE, r.stopReason);
    assertEquals(0, r.iterations);
    assertEquals(0.0, r.cost);
    assertArrayEquals(f.c, x, 0.0);
  }

  @Test
  void nonFiniteStartIsReportedAsDivergedAndLeavesTheStart() {
    TestFunctions.Walled f = new TestFunctions.Walled(new double[] {1, 2}, 0.0);
    double[] x = {-1, 5};
    OptimResult r = newMinimizer().minimize(f, x);
    assertEquals(StopReason.DIVERGED, r.stopReason);
    assertArrayEquals(new double[] {-1, 5}, x, 0.0);
    assertEquals(Double.POSITIVE_INFINITY, r.cost);
  }

  @Test
  void neverReturnsANonFiniteIterate() {
    // the minimum (x0 = -1) lies in the region where f is NaN: the minimiser must stop at a finite point
    TestFunctions.Walled f = new TestFunctions.Walled(new double[] {-1, 2, 3}, 0.0);
    double[] x = {0.05, 0, 0};
    OptimResult r = newMinimizer().minimize(f, x);
    assertTrue(Blas.allFinite(3, x), () -> Arrays.toString(x));
    assertTrue(x[0] >= 0.0);
    double[] g = new double[3];
    assertEquals(f.valueAndGradient(x, g), r.cost, 0.0, "reported cost must be that of the returned x");
    assertTrue(Double.isFinite(r.gradientNorm));
    double f0 = f.valueAndGradient(new double[] {0.05, 0, 0}, g);
    assertTrue(r.cost <= f0, "the returned point is no worse than the start");
  }

  @Test
  void deterministic() {
    TestFunctions.Rosenbrock f = new TestFunctions.Rosenbrock(4);
    double[] x1 = {-1.2, 1, -1.2, 1};
    double[] x2 = x1.clone();
    OptimResult r1 = newMinimizer().minimize(f, x1);
    OptimResult r2 = newMinimizer().minimize(f, x2);
    assertArrayEquals(x1, x2, 0.0);
    assertEquals(r1.cost, r2.cost, 0.0);
    assertArrayEquals(r1.costTrace, r2.costTrace, 0.0);
  }

  @Test
  void reusedInstanceGivesTheSameAnswer() {
    Minimizer m = newMinimizer();
    TestFunctions.Quadratic f = new TestFunctions.Quadratic(6, 10.0, 4);
    double[] x1 = new double[6];
    m.minimize(new TestFunctions.Rosenbrock(2), new double[] {-1.2, 1}); // other dimension in between
    m.minimize(f, x1);
    double[] x2 = new double[6];
    m.minimize(f, x2);
    assertArrayEquals(x1, x2, 0.0);
  }

  @Test
  void costTraceStartsAtTheStartAndEndsAtTheResult() {
    TestFunctions.Quadratic f = new TestFunctions.Quadratic(8, 10.0, 5);
    double[] x = new double[8];
    double f0 = f.valueAndGradient(x, new double[8]);
    OptimResult r = newMinimizer().minimize(f, x);
    assertNotNull(r.costTrace);
    assertEquals(r.iterations + 1, r.costTrace.length);
    assertEquals(f0, r.costTrace[0], 0.0);
    assertEquals(r.cost, r.costTrace[r.iterations], 0.0);
  }

  @Test
  void iterationBudgetIsRespected() {
    TestFunctions.Rosenbrock f = new TestFunctions.Rosenbrock(2);
    double[] x = {-1.2, 1};
    OptimResult r = newMinimizer(3).minimize(f, x);
    assertEquals(StopReason.MAX_ITERATIONS, r.stopReason);
    assertEquals(3, r.iterations);
    assertTrue(r.cost < 24.2, "three steps must have decreased f from f(start) = 24.2");
  }
}
