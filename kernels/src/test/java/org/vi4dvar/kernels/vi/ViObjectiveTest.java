package org.vi4dvar.kernels.vi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.flow.AffineMap;
import org.vi4dvar.kernels.flow.CouplingFlow;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.QuadraticTarget;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Targets;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;
import org.vi4dvar.kernels.testing.WhitenedCost;
import org.vi4dvar.kernels.twin.Twin;

/**
 * The ELBO objective's gradients with the noise held fixed (Taylor tests, both estimators, all three single-q
 * families, on the talk's cost and a quadratic), and the engine's contracts: determinism, divergence,
 * allocation-free iterations, configuration checks.
 */
class ViObjectiveTest {

  private static final int S = 3;

  /** The talk's cost in v, at the truth's whitened coordinates. */
  private static WhitenedCost talk() {
    return new WhitenedCost(TalkData.load().problem());
  }

  private static double[] talkTruthV(WhitenedCost f) {
    Twin tw = TalkData.load();
    double[] v = new double[16];
    f.transform().toWhitened(Arrays.copyOf(tw.truth(), 16), new double[16], v);
    return v;
  }

  private static CouplingFlow[] flows(int n) {
    return new CouplingFlow[] {new CouplingFlow(n, 0, 0, true), new CouplingFlow(n, 0, 0, false),
        new CouplingFlow(n, 2, 5, false)};
  }

  /** θ away from the identity: small random values everywhere (scale 0.1), first-layer weights as initialised. */
  private static double[] theta(CouplingFlow fl, long id) {
    double[] th = new double[fl.parameterCount()];
    RandomStream r = Vectors.rng(id);
    fl.initialise(th, r, 1.0);
    for (int k = 0; k < th.length; k++) {
      th[k] += 0.1 * r.nextGaussian();
    }
    return th;
  }

  private static AffineMap base(double[] mu, double scale, boolean diagonal, long id) {
    final int n = mu.length;
    RandomStream r = Vectors.rng(id);
    if (diagonal) {
      double[] p = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = scale * (0.5 + r.nextDouble());
      }
      return AffineMap.diagonal(mu, p);
    }
    double[] l = new double[n * n];
    for (int i = 0; i < n; i++) {
      l[i * n + i] = scale * (0.5 + r.nextDouble());
      for (int j = 0; j < i; j++) {
        l[i * n + j] = 0.2 * scale * r.nextGaussian();
      }
    }
    return AffineMap.lower(mu, l);
  }

  private static RandomStream noise() {
    return RandomStream.of(9, Domain.OTHER, 77);
  }

  @Test
  void totalGradientIsTheGradientOfTheFixedNoiseObjective() {
    // TOTAL: grad = ∇_θ of −(1/S) Σ_s h(ε_s; θ), h = −f(v) − log q_θ(v), v = μ0 + P T_θ(ε), ε fixed
    for (boolean onTalk : new boolean[] {true, false}) {
      DifferentiableFunction f = onTalk ? talk() : QuadraticTarget.standard();
      double[] mu = onTalk ? talkTruthV((WhitenedCost) f) : new double[f.dimension()];
      long id = 0;
      for (CouplingFlow fl : flows(f.dimension())) {
        id++;
        FlowObjective obj = new FlowObjective(f, fl, S, GradientEstimator.TOTAL, false);
        obj.setBase(base(mu, onTalk ? 0.05 : 0.5, fl.isDiagonal(), id));
        double[] th = theta(fl, id);
        double[] g = new double[th.length];
        double e0 = obj.estimate(th, noise(), g);
        double[] scratch = new double[th.length];
        double[] dth = Vectors.gaussian(Vectors.rng(100 + id), th.length);
        double lin = TaylorCheck.dot(g, dth);
        double slope = TaylorCheck.slope(eps -> Math.abs(-obj.estimate(TaylorCheck.axpy(th, eps, dth), noise(),
            scratch) + e0 - eps * lin), Math.abs(lin), 1e-15 * (1 + Math.abs(e0)));
        assertEquals(2.0, slope, Tol.TAYLOR_SLOPE, (onTalk ? "talk " : "quadratic ") + fl.layers() + " layers"
            + (fl.isDiagonal() ? " diagonal" : ""));
      }
    }
  }

  @Test
  void pathGradientIsTheGradientThroughTheSampleWithLogQFrozen() {
    // PATH ("sticking the landing"): grad at θ0 = ∇_θ of G(θ) = (1/S) Σ_s [f(v_s(θ)) + log q_θ0(v_s(θ))]
    for (boolean onTalk : new boolean[] {true, false}) {
      DifferentiableFunction f = onTalk ? talk() : QuadraticTarget.standard();
      final int n = f.dimension();
      double[] mu = onTalk ? talkTruthV((WhitenedCost) f) : new double[n];
      long id = 10;
      for (CouplingFlow fl : flows(n)) {
        id++;
        FlowObjective obj = new FlowObjective(f, fl, S, GradientEstimator.PATH, false);
        AffineMap b = base(mu, onTalk ? 0.05 : 0.5, fl.isDiagonal(), id);
        obj.setBase(b);
        double[] th0 = theta(fl, id);
        double[] g = new double[th0.length];
        obj.estimate(th0, noise(), g);
        double[] zs = new double[S * n];
        noise().fillGaussian(zs, 0, S * n); // the same draws: n per sample, in order
        CouplingFlow.Workspace ws = fl.newWorkspace();
        CouplingFlow.Workspace ws0 = fl.newWorkspace();
        double[] gv = new double[n];
        java.util.function.Function<double[], Double> big = th -> {
          double sum = 0;
          double[] z = new double[n];
          double[] w = new double[n];
          double[] v = new double[n];
          for (int s = 0; s < S; s++) {
            System.arraycopy(zs, s * n, z, 0, n);
            fl.forward(th, z, w, ws);
            b.apply(w, v);
            sum += f.valueAndGradient(v, gv) + fl.logDensity(th0, w, ws0) - b.logDet();
          }
          return sum / S;
        };
        double g0 = big.apply(th0);
        double[] dth = Vectors.gaussian(Vectors.rng(200 + id), th0.length);
        double lin = TaylorCheck.dot(g, dth);
        double slope = TaylorCheck.slope(eps -> Math.abs(big.apply(TaylorCheck.axpy(th0, eps, dth)) - g0
            - eps * lin), Math.abs(lin), 1e-15 * (1 + Math.abs(g0)));
        assertEquals(2.0, slope, Tol.TAYLOR_SLOPE, (onTalk ? "talk " : "quadratic ") + fl.layers() + " layers"
            + (fl.isDiagonal() ? " diagonal" : ""));
      }
    }
  }

  @Test
  void pathGradientVanishesAtTheExactGaussianPosterior() {
    QuadraticTarget t = QuadraticTarget.standard();
    double[] l = new double[t.n * t.n];
    org.vi4dvar.kernels.linalg.Cholesky.decompose(t.n, t.precisionV, l);
    for (GradientEstimator est : GradientEstimator.values()) {
      FlowObjective obj = new FlowObjective(t, new CouplingFlow(t.n, 0, 0, false), 8, est, false);
      obj.setBase(ViStart.precision(t.meanV, l).preconditioner(false));
      double[] th = new double[obj.parameterCount()];
      double[] g = new double[th.length];
      RandomStream r = noise();
      double worst = 0;
      for (int k = 0; k < 20; k++) {
        obj.estimate(th, r, g);
        worst = Math.max(worst, TaylorCheck.norm(g));
      }
      if (est == GradientEstimator.PATH) {
        assertTrue(worst < 1e-12, "path: " + worst);
      } else {
        assertTrue(worst > 0.1, "total: " + worst); // the closed-form-entropy estimator is noisy there
      }
    }
  }

  @Test
  void aRunIsAPureFunctionOfConfigSeedRestartAndStart() {
    WhitenedCost f = talk();
    ViStart st = ViStart.isotropic(talkTruthV(f), 0.05);
    for (VariationalFamily fam : new VariationalFamily[] {VariationalFamily.MEAN_FIELD,
        VariationalFamily.FULL_RANK, VariationalFamily.FLOW}) {
      VariationalConfig c = VariationalConfig.builder(4).family(fam).maxIterations(300).window(50)
          .flowWindow(50).finalSamples(200).build();
      VariationalResult a = new VariationalInference(f, f.transform(), c).run(2, st);
      VariationalInference vi = new VariationalInference(talk(), f.transform(), c);
      vi.run(5, st); // a previous run on the same instance changes nothing
      VariationalResult b = vi.run(2, st);
      assertArrayEquals(a.elboTrace, b.elboTrace, 0.0, fam.configName());
      assertEquals(a.elbo, b.elbo, 0.0);
      assertEquals(a.stopReason, b.stopReason);
      double[] ca = new double[16];
      double[] cb = new double[16];
      a.posterior.sampler().draw(3, ca);
      b.posterior.sampler().draw(3, cb);
      assertArrayEquals(ca, cb, 0.0);
      VariationalResult other = vi.run(3, st);
      assertFalse(Arrays.equals(a.elboTrace, other.elboTrace));
    }
  }

  @Test
  void aNonFiniteCostStopsTheRunAtTheLastFiniteParametersAndItIsExcluded() {
    // f overflows to +∞ for v > 0.89: draws from the unit-scale start reach it at once
    DifferentiableFunction f = new DifferentiableFunction() {
      @Override
      public int dimension() {
        return 1;
      }

      @Override
      public double valueAndGradient(double[] v, double[] g) {
        double e = Math.exp(800 * v[0]);
        g[0] = 800 * e + v[0];
        return e + 0.5 * v[0] * v[0];
      }
    };
    VariationalConfig c = VariationalConfig.builder(1).family(VariationalFamily.MEAN_FIELD).build();
    VariationalResult r = new VariationalInference(f, Targets.identity(1), c).run(0, ViStart.prior(new double[1]));
    assertEquals(ViStopReason.DIVERGED, r.stopReason);
    assertEquals(Double.NEGATIVE_INFINITY, r.elbo);
    assertEquals(0.0, r.elboStdErr);
    assertTrue(r.diverged() && !r.converged() && !r.diagnostics.converged);
    assertEquals(1L, r.diagnostics.count("diverged"));
    assertEquals(Long.valueOf(1), r.diagnostics.stopReasons.get("diverged"));
    assertEquals(r.iterations, r.elboTrace.length);
    for (double e : r.elboTrace) {
      assertTrue(Double.isFinite(e));
    }
    assertNotNull(r.posterior); // the last finite parameters
    GaussianPosterior g = r.gaussian();
    assertTrue(Double.isFinite(g.mean()[0]) && g.factor()[0] > 0);
    for (Object v : r.diagnostics.extra.values()) {
      assertFalse(v instanceof Double && ((Double) v).isNaN());
    }
    // and the restart mixture gives it weight 0
    double[] w = RestartMixture.weights(new double[] {r.elbo, -3.0});
    assertArrayEquals(new double[] {0.0, 1.0}, w, 0.0);
  }

  @Test
  void iterationsAllocateNothing() {
    QuadraticTarget t = QuadraticTarget.standard();
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    for (VariationalFamily fam : new VariationalFamily[] {VariationalFamily.MEAN_FIELD,
        VariationalFamily.FULL_RANK, VariationalFamily.FLOW}) {
      long[] bytes = new long[2];
      int[] iters = {1000, 3000};
      for (int k = 0; k < 2; k++) {
        // a window longer than the run: it never converges, so both runs do exactly their iterations
        VariationalConfig c = VariationalConfig.builder(2).family(fam).maxIterations(iters[k]).window(iters[k])
            .flowWindow(iters[k]).recordTrace(false).finalSamples(10).build();
        VariationalInference vi = new VariationalInference(t, t.transform, c);
        vi.run(0, ViStart.isotropic(new double[t.n], 0.3)); // warm-up of the code paths
        long before = mx.getThreadAllocatedBytes(tid);
        VariationalResult r = vi.run(1, ViStart.isotropic(new double[t.n], 0.3));
        bytes[k] = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(fam == VariationalFamily.FLOW ? 2 * iters[k] : iters[k], r.iterations);
      }
      // 2000 (flow: 4000) more iterations cost no more memory than a few small arrays
      assertTrue(Math.abs(bytes[1] - bytes[0]) < 2048, fam + ": " + bytes[0] + " vs " + bytes[1] + " bytes");
    }
  }

  @Test
  void badSettingsAreRejectedNamingTheKey() {
    assertThrows(IllegalArgumentException.class, () -> VariationalConfig.builder(1).samplesPerStep(0).build(),
        "vi.samples-per-step");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VariationalConfig.builder(1).flow(0, 8).build());
    assertTrue(e.getMessage().contains("vi.flow.layers"));
    e = assertThrows(IllegalArgumentException.class, () -> VariationalConfig.builder(1).flow(2, 100000).build());
    assertTrue(e.getMessage().contains("vi.flow.hidden"));
    e = assertThrows(IllegalArgumentException.class,
        () -> VariationalConfig.builder(1).mixture(0, VariationalFamily.FULL_RANK).build());
    assertTrue(e.getMessage().contains("vi.mixture.components"));
    e = assertThrows(IllegalArgumentException.class,
        () -> VariationalConfig.builder(1).mixture(2, VariationalFamily.FLOW).build());
    assertTrue(e.getMessage().contains("vi.mixture.family"));
    e = assertThrows(IllegalArgumentException.class, () -> VariationalConfig.builder(1).maxIterations(100)
        .window(200).build());
    assertTrue(e.getMessage().contains("vi.window"));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.plateau(0.05, 10, 1.5, 2));
    assertThrows(IllegalArgumentException.class, () -> VariationalFamily.parse("gaussian"));
    assertEquals(VariationalFamily.FULL_RANK, VariationalFamily.parse("fullrank"));
    assertEquals(VariationalFamily.MEAN_FIELD, VariationalFamily.parse("meanfield"));
    assertEquals(VariationalFamily.FLOW, VariationalFamily.parse("flow"));
    assertEquals(VariationalFamily.MIXTURE, VariationalFamily.parse("mixture"));
    // a memory estimate for the bad-input check: a flow of 64 layers × 4096 hidden units on n = 4096 is ~GB
    VariationalConfig huge = VariationalConfig.builder(1).family(VariationalFamily.FLOW).flow(64, 4096).build();
    assertTrue(huge.memoryEstimateBytes(4096) > 1e10);
    assertTrue(VariationalConfig.defaults(1).memoryEstimateBytes(16) < 1e6);
    // a start of the wrong dimension
    QuadraticTarget t = QuadraticTarget.standard();
    VariationalInference vi = new VariationalInference(t, t.transform, VariationalConfig.defaults(1));
    assertThrows(IllegalArgumentException.class, () -> vi.run(0, ViStart.prior(new double[3])));
    assertThrows(IllegalArgumentException.class, () -> vi.runMixture(0, new ViStart[0]));
    assertThrows(IllegalStateException.class, () -> vi.runFlow(0, ViStart.prior(new double[t.n])));
  }

  @Test
  void everyScheduleEndsWithAStopReasonNearTheOptimum() {
    // the alternatives to the default plateau schedule (no recentring, one level): on the linear-Gaussian target
    // from the prior's scale each stops with a reason and an ELBO near log Z (full rank)
    QuadraticTarget t = QuadraticTarget.standard();
    LearningRateSchedule[] ss = {LearningRateSchedule.inverse(0.05, 50, 200),
        LearningRateSchedule.cosine(0.05, 50, 1e-4, 10000), LearningRateSchedule.constant(0.005, 50),
        LearningRateSchedule.plateau(0.05, 50, 0.25, 0)};
    for (LearningRateSchedule sc : ss) {
      VariationalConfig c = VariationalConfig.builder(6).schedule(sc).maxIterations(10000).build();
      VariationalResult r = new VariationalInference(t, t.transform, c).run(0, ViStart.prior(new double[t.n]));
      assertTrue(r.stopReason != ViStopReason.DIVERGED, sc + ": " + r);
      assertEquals(t.logZ, r.elbo, 0.05, sc + ": " + r);
    }
    assertEquals(0.05 / 3, LearningRateSchedule.inverse(0.05, 50, 200).rate(450), 1e-15);
    assertEquals(0.025, LearningRateSchedule.cosine(0.05, 0, 0.0, 100).rate(50), 1e-15);
    assertEquals(0.05 / 16, LearningRateSchedule.plateau(0.05, 50, 0.25, 2).rate(1000, 2), 1e-15);
    assertEquals(0.001, LearningRateSchedule.plateau(0.05, 50, 0.25, 2).rate(1, 2), 1e-15); // warm-up
  }

  @Test
  void theConvergenceTestPassesOnAFlatSequenceAndNotOnATrend() {
    ElboConvergenceTest flat = new ElboConvergenceTest(100);
    ElboConvergenceTest trend = new ElboConvergenceTest(100);
    RandomStream r = Vectors.rng(3);
    boolean flatPassed = false;
    boolean trendPassed = false;
    for (int k = 0; k < 2000; k++) {
      double noise = r.nextGaussian();
      flatPassed |= flat.add(-5 + noise);
      // a rise of 0.02 per iteration: 2 per window, 14 standard errors of the change
      trendPassed |= trend.add(-5 + 0.02 * k + noise);
    }
    assertTrue(flatPassed);
    assertFalse(trendPassed);
    ElboConvergenceTest exact = new ElboConvergenceTest(10);
    boolean passed = false;
    for (int k = 0; k < 20; k++) {
      passed = exact.add(-1.25);
    }
    assertTrue(passed, "a zero-variance constant sequence passes (round-off floor)");
  }
}
