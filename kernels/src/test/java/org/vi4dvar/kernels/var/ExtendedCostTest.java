package org.vi4dvar.kernels.var;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vi4dvar.kernels.testing.TaylorCheck.dot;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;

/**
 * The cost over the extended control (correlated B, weak constraint, the forcing F): gradient tests in c with
 * respect to x0, every η_t and F, and in v; the dot-product and Taylor tests of the whole window's tangent with
 * respect to (x0, η, F); the cost against its definition; equivalences with the strong-constraint cost.
 */
class ExtendedCostTest {

  /** The talk's data with SOAR(L = 2) B, model error 0.05 (component 3 error-free), and F estimated ~ N(8, 1). */
  static FourDVarProblem extended() {
    FourDVarProblem p = TalkData.load().problem();
    ControlTransform b = ControlTransform.correlated(p.xb(), p.bStd(), CorrelationModel.SOAR, 2.0);
    FourDVarProblem d = new FourDVarProblem(p.model(), p.obs(), p.nStates(), p.nAssim(), b, p.y(), p.obsStd());
    double[] q = FourDVarProblem.modelErrorStd(p.nAssim(), p.nx(), 0.05);
    for (int t = 0; t + 1 < p.nAssim(); t++) {
      q[t * p.nx() + 3] = 0.0;
    }
    return d.withModelError(q).withEstimatedParameter("forcing", 8.0, 1.0);
  }

  /** A point near the prior mean: c_b + 0.5 S z. */
  static double[] nearPrior(FourDVarProblem p, long id) {
    ControlSpace s = p.control();
    double[] z = Vectors.gaussian(Vectors.rng(id), s.n());
    double[] c = new double[s.n()];
    s.perturb(s.centerVector(), 0.5, z, c);
    return c;
  }

  /** A direction confined to the control indices [from, to). */
  static double[] direction(int n, int from, int to, long id) {
    double[] h = new double[n];
    RandomStream r = Vectors.rng(id);
    for (int i = from; i < to; i++) {
      h[i] = r.nextGaussian();
    }
    return h;
  }

  static void checkGradient(FourDVarCost c, double[] x, double[] h, String what) {
    double[] g = Vectors.nans(c.dimension());
    double j0 = c.costAndGradient(x, g);
    assertEquals(j0, c.cost(x), 0.0, "cost and costAndGradient must agree");
    double gh = dot(g, h);
    double slope = TaylorCheck.slope(eps -> Math.abs(c.cost(TaylorCheck.axpy(x, eps, h)) - j0 - eps * gh),
        Math.abs(gh), 1e-16 * Math.abs(j0));
    assertEquals(2.0, slope, Tol.TAYLOR_SLOPE, what + ": gradient Taylor slope");
  }

  @Test
  void gradientTestsForX0EveryEtaStepAndTheForcing() {
    FourDVarProblem p = extended();
    ControlSpace s = p.control();
    FourDVarCost c = new FourDVarCost(p);
    double[] x = nearPrior(p, 1);
    assertEquals(16 + 11 * 15 + 1, s.n());
    checkGradient(c, x, direction(s.n(), 0, 16, 2), "x0");
    for (int t = 0; t + 1 < p.nAssim(); t++) {
      checkGradient(c, x, direction(s.n(), s.etaStart(t), s.etaEnd(t), 10 + t), "η_" + t);
    }
    checkGradient(c, x, direction(s.n(), s.parameterOffset(), s.n(), 3), "F");
    checkGradient(c, x, direction(s.n(), 0, s.n(), 4), "all");
  }

  /** The same in the whitened variable: f(v) = ½‖v‖² + Jo(c_b + S v), ∇f = v + Sᵀ∇Jo. */
  @Test
  void whitenedGradientTest() {
    FourDVarProblem p = extended();
    WhitenedObjective f = new WhitenedObjective(new FourDVarCost(p));
    int n = f.dimension();
    double[] v = Vectors.gaussian(Vectors.rng(5), n, 0.0, 0.5);
    double[] g = Vectors.nans(n);
    double f0 = f.valueAndGradient(v, g);
    assertEquals(f0, f.value(v), 0.0);
    for (double[] h : new double[][] {direction(n, 0, 16, 6), direction(n, 16, n - 1, 7),
        direction(n, n - 1, n, 8), direction(n, 0, n, 9)}) {
      double gh = dot(g, h);
      double slope = TaylorCheck.slope(eps -> Math.abs(f.value(TaylorCheck.axpy(v, eps, h)) - f0 - eps * gh),
          Math.abs(gh), 1e-16 * Math.abs(f0));
      assertEquals(2.0, slope, Tol.TAYLOR_SLOPE, "whitened gradient slope");
    }
    // f(v) = J(c_b + S v) up to round-off
    double[] c = new double[n];
    f.toControl(v, c);
    double j = new FourDVarCost(p).cost(c);
    assertEquals(j, f0, 1e-12 * j);
    double[] back = new double[n];
    f.toWhitened(c, back);
    for (int i = 0; i < n; i++) {
      assertEquals(v[i], back[i], 1e-12, "toWhitened ∘ toControl");
    }
  }

  /** ⟨L dc, a⟩ = ⟨dc, Lᵀ a⟩ for the window's tangent w.r.t. (x0, η, F) and its adjoint. */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void extendedAdjointDotProductTest(long id) {
    FourDVarProblem p = extended();
    FourDVarCost c = new FourDVarCost(p);
    c.linearize(nearPrior(p, id));
    int n = p.dimension();
    int len = p.nAssim() * p.nx();
    double[] dc = Vectors.gaussian(Vectors.rng(id + 100), n);
    double[] a = Vectors.gaussian(Vectors.rng(id + 200), len);
    double[] ldc = Vectors.nans(len);
    double[] lta = Vectors.nans(n);
    c.tangent(dc, ldc);
    c.adjoint(a, lta);
    double lhs = dot(ldc, a);
    double rhs = dot(dc, lta);
    assertTrue(TaylorCheck.relativeMismatch(lhs, rhs) < Tol.ADJOINT_WINDOW, lhs + " vs " + rhs);
  }

  /** traj(c + ε dc) − traj(c) − ε L dc = O(ε²) for directions in x0, η and F. */
  @Test
  void extendedTangentTaylorTest() {
    FourDVarProblem p = extended();
    ControlSpace s = p.control();
    FourDVarCost c = new FourDVarCost(p);
    double[] x = nearPrior(p, 21);
    int len = p.nAssim() * p.nx();
    c.linearize(x);
    double[] base = Arrays.copyOf(c.lastTrajectory(), len);
    for (double[] dc : new double[][] {direction(s.n(), 0, 16, 22), direction(s.n(), 16, s.n() - 1, 23),
        direction(s.n(), s.n() - 1, s.n(), 24)}) {
      c.linearize(x);
      double[] ldc = new double[len];
      c.tangent(dc, ldc);
      double slope = TaylorCheck.slope(eps -> {
        c.linearize(TaylorCheck.axpy(x, eps, dc));
        return TaylorCheck.remainderNorm(Arrays.copyOf(c.lastTrajectory(), len), base, eps, ldc);
      }, TaylorCheck.norm(ldc), 1e-15 * TaylorCheck.norm(base));
      assertEquals(2.0, slope, Tol.TAYLOR_SLOPE, "window tangent slope");
    }
  }

  /** The extended cost against its definition: propagate, prior terms by explicit B⁻¹, Q⁻¹ and σ_F⁻². */
  @Test
  void extendedCostMatchesTheDefinition() {
    FourDVarProblem p = extended();
    ControlSpace s = p.control();
    double[] c = nearPrior(p, 31);
    int nx = p.nx();
    double[] traj = s.trajectory(c, p.model(), p.nStates());
    double[] binv = new double[nx * nx];
    assertTrue(Cholesky.inverseSpd(nx, p.background().covarianceMatrix(), new double[nx * nx], binv));
    double jb = 0;
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < nx; j++) {
        jb += 0.5 * (c[i] - p.xb(i)) * binv[i * nx + j] * (c[j] - p.xb(j));
      }
    }
    double[] eta = s.modelErrors(c);
    double[] q = p.modelErrorStd();
    double jq = 0;
    for (int k = 0; k < eta.length; k++) {
      if (q[k] > 0) {
        jq += 0.5 * eta[k] * eta[k] / (q[k] * q[k]);
      } else {
        assertEquals(0.0, eta[k], 0.0, "no η where q = 0");
      }
    }
    double f = c[s.parameterOffset()];
    double jp = 0.5 * (f - 8.0) * (f - 8.0);
    double jo = 0;
    double[] y = p.y();
    double[] sd = p.obsStd();
    for (int k = 0; k < p.nAssim() * nx; k++) {
      if (!Double.isNaN(y[k])) {
        double d = traj[k] * traj[k] - y[k];
        jo += 0.5 * d * d / (sd[k] * sd[k]);
      }
    }
    FourDVarCost cost = new FourDVarCost(p);
    double j = cost.cost(c);
    assertEquals(jb, cost.lastBackgroundCost(), 1e-10 * jb);
    assertEquals(jq, cost.lastModelErrorCost(), 1e-12 * jq);
    assertEquals(jp, cost.lastParameterCost(), 1e-15);
    assertEquals(jo, cost.lastObservationCost(), 1e-11 * jo);
    assertEquals(jb + jq + jp + jo, j, 1e-10 * j);
    assertEquals(cost.lastPriorCost() + cost.lastObservationCost(), j, 0.0);
    double[] window = Arrays.copyOf(traj, p.nAssim() * nx);
    assertArrayEquals(window, Arrays.copyOf(cost.lastTrajectory(), window.length), 1e-12);
    // the forecast after the window runs without model error
    org.vi4dvar.kernels.model.Model m = p.model().newModel();
    m.setParameter(0, f);
    double[] next = new double[nx];
    m.step(Arrays.copyOfRange(traj, (p.nAssim() - 1) * nx, p.nAssim() * nx), next);
    assertArrayEquals(next, Arrays.copyOfRange(traj, p.nAssim() * nx, (p.nAssim() + 1) * nx), 0.0);
  }

  /** Strong constraint, diagonal B built as a transform = the bStd constructor, bit for bit. */
  @Test
  void diagonalTransformConstructorIsTheBStdOne() {
    FourDVarProblem p = TalkData.load().problem();
    FourDVarProblem q = new FourDVarProblem(p.model(), p.obs(), p.nStates(), p.nAssim(),
        ControlTransform.diagonal(p.xb(), p.bStd()), p.y(), p.obsStd());
    FourDVarProblem z = p.withModelError(new double[(p.nAssim() - 1) * p.nx()]);
    assertEquals(16, z.dimension());
    double[] x = nearPrior(p, 41);
    for (FourDVarProblem other : new FourDVarProblem[] {q, z,
        p.withModelError(null), p.withBackground(p.xb())}) {
      double[] g1 = new double[16];
      double[] g2 = new double[16];
      FourDVarCost a = new FourDVarCost(p);
      FourDVarCost b = new FourDVarCost(other);
      assertEquals(Double.doubleToLongBits(a.costAndGradient(x, g1)),
          Double.doubleToLongBits(b.costAndGradient(x, g2)));
      assertArrayEquals(g1, g2, 0.0);
    }
  }

  /** A dense B that happens to be diagonal gives the diagonal cost to round-off (two code paths, one J). */
  @Test
  void denseDiagonalAgreesWithDiagonal() {
    FourDVarProblem p = TalkData.load().problem();
    double[] cov = new double[256];
    for (int i = 0; i < 16; i++) {
      cov[i * 16 + i] = p.bStd(i) * p.bStd(i);
    }
    FourDVarProblem d = new FourDVarProblem(p.model(), p.obs(), p.nStates(), p.nAssim(),
        DenseTransform.fromCovariance(p.xb(), cov), p.y(), p.obsStd());
    double[] x = nearPrior(p, 42);
    double[] g1 = new double[16];
    double[] g2 = new double[16];
    double j1 = new FourDVarCost(p).costAndGradient(x, g1);
    double j2 = new FourDVarCost(d).costAndGradient(x, g2);
    assertEquals(j1, j2, 1e-13 * j1);
    for (int i = 0; i < 16; i++) {
      assertEquals(g1[i], g2[i], 1e-12 * (1 + Math.abs(g1[i])));
    }
  }

  @Test
  void extendedCostAndWhitenedObjectiveDoNotAllocate() {
    FourDVarProblem p = extended();
    FourDVarCost c = new FourDVarCost(p);
    WhitenedObjective f = new WhitenedObjective(new FourDVarCost(p));
    double[] x = nearPrior(p, 51);
    double[] g = new double[p.dimension()];
    double[] v = new double[p.dimension()];
    double sink = 0;
    for (int k = 0; k < 5_000; k++) {
      sink += c.costAndGradient(x, g) + c.cost(x) + f.valueAndGradient(v, g);
    }
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int k = 0; k < 3_000; k++) {
      sink += c.costAndGradient(x, g) + c.cost(x) + f.valueAndGradient(v, g);
    }
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertTrue(allocated < 16_384, "allocated " + allocated + " bytes in 9,000 calls");
    assertTrue(Double.isFinite(sink));
  }

  /**
   * ABC draws the whole control: its kept trials are controls {@code c = c_b + S z} of dimension n, their J is
   * the prior term ½‖z‖² plus Jo, and Jo equals the scalar cost's observation term bit for bit (the same forward
   * sweep and summation order; the early-rejection exactness is AbcEarlyRejectionTest's).
   */
  @Test
  void abcDrawsTheWholeControl() {
    FourDVarProblem p = extended();
    AbcResult r = new AbcSampler(p, AbcConfig.of(1, 2000, 5)).runBlocks(new long[] {0}, null);
    assertEquals(p.dimension(), r.nx, "the kept rows are whole controls");
    FourDVarCost cost = new FourDVarCost(p);
    org.vi4dvar.kernels.rng.RandomStream zs = org.vi4dvar.kernels.rng.RandomStream.of(1,
        org.vi4dvar.kernels.rng.RandomStream.Domain.ABC_BLOCK, 0);
    double[][] z = new double[p.dimension()][2000];
    zs.fillGaussianColumns(z, p.dimension(), 2000);
    for (int k = 0; k < r.kept(); k++) {
      double[] c = r.keptX(k);
      int trial = (int) r.topIndex[k];
      double[] zt = new double[p.dimension()];
      double half = 0;
      for (int i = 0; i < zt.length; i++) {
        zt[i] = z[i][trial];
        half += zt[i] * zt[i];
      }
      double[] expect = new double[p.dimension()];
      p.control().toControl(zt, expect);
      assertArrayEquals(expect, c, 1e-12, "c = c_b + S z of trial " + trial);
      double jo = cost.observationCost(c);
      assertEquals(jo, r.topDistance[k], 0.0, "observation distance = scalar Jo, bit for bit");
      assertEquals(0.5 * half + jo, r.topCost[k], 1e-12 * r.topCost[k], "J = ½‖z‖² + Jo");
      assertEquals(cost.cost(c), r.topCost[k], 1e-9 * r.topCost[k], "J = the scalar J to round-off (its solves)");
    }
  }

  @Test
  void badModelErrorAndParameterInputIsNamed() {
    FourDVarProblem p = TalkData.load().problem();
    int len = (p.nAssim() - 1) * p.nx();
    double[] q = new double[len];
    q[17] = -0.1;
    assertMessage("model error std (t=1, i=1) must be finite and >= 0", () -> p.withModelError(q));
    q[17] = Double.NaN;
    assertMessage("(t=1, i=1)", () -> p.withModelError(q));
    assertMessage("(nAssim − 1) × nx", () -> p.withModelError(new double[3]));
    assertMessage("unknown model parameter 'drag' (known: forcing)",
        () -> p.withEstimatedParameter("drag", 0, 1));
    assertMessage("prior std", () -> p.withEstimatedParameter("forcing", 8, 0));
    assertMessage("prior std", () -> p.withEstimatedParameter("forcing", 8, Double.NaN));
    assertMessage("prior mean", () -> p.withEstimatedParameter("forcing", Double.POSITIVE_INFINITY, 1));
    assertMessage("estimated twice",
        () -> p.withEstimatedParameter("forcing", 8, 1).withEstimatedParameter("forcing", 8, 1));
    assertMessage("one value or nx", () -> FourDVarProblem.modelErrorStd(12, 16, new double[3]));
    assertMessage("control has 17 values",
        () -> new FourDVarCost(p.withEstimatedParameter("forcing", 8, 1)).cost(new double[16]));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(part), ex.getMessage());
  }
}
