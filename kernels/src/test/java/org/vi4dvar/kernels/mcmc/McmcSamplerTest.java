package org.vi4dvar.kernels.mcmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vi4dvar.kernels.diagnostics.ConvergenceSummary;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * The samplers against exact answers: the linear-Gaussian posterior (testing/LinearGaussian), a strongly correlated
 * 2-D Gaussian, independent Student-t components (heavy tails) and a truncated Gaussian whose density vanishes
 * beyond a wall (non-finite values must reject, never propagate); warm-up adaptation; gradient counts; thinning;
 * determinism.
 *
 * <p>Moment checks: every component's mean and sd within {@link #MCSE_WIDTH} Monte Carlo standard errors
 * (MCSE of the diagnostics package, from the chains' own ESS) of the exact value, and R̂ &lt; 1.01.
 */
class McmcSamplerTest {

  /**
   * Width of the moment checks in MCSE: a correct sampler fails one check with probability ≈ 6e-5 (normal tail at
   * 4 sd), ≈ 1e-3 over the ~20 checks of a test; the chains are seeded, so a pass reproduces. A wrong sampler
   * (e.g. a MALA without the proposal-density ratio, or a NUTS with a biased end-point choice) is off by
   * several sd at these ESS (~10³).
   */
  static final double MCSE_WIDTH = 4.0;

  static final ControlTransform IDENTITY_2 = ControlTransform.diagonal(new double[2], new double[] {1, 1});

  /** Overdispersed starts: chain c from {@code spread · z_c}, z_c standard normal. */
  static double[] start(int n, int chain, double spread) {
    RandomStream r = RandomStream.of(99, Domain.OTHER, chain);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = spread * r.nextGaussian();
    }
    return v;
  }

  static List<ChainResult> runChains(DifferentiableFunction f, Preconditioner pre, McmcConfig cfg, double spread) {
    McmcSampler s = new McmcSampler(f, pre, cfg);
    List<ChainResult> out = new ArrayList<>();
    for (int c = 0; c < cfg.chains; c++) {
      out.add(s.run(c, start(f.dimension(), c, spread)));
    }
    return out;
  }

  static void assertMoments(ConvergenceSummary sum, double[] mean, double[] sd, String what) {
    for (int k = 0; k < sum.n; k++) {
      assertEquals(mean[k], sum.mean[k], MCSE_WIDTH * sum.mcseMean[k], what + ": mean " + k);
      assertEquals(sd[k], sum.sd[k], MCSE_WIDTH * sum.mcseSd[k], what + ": sd " + k);
    }
    assertTrue(sum.maxRhat() < 1.01, what + ": R-hat " + sum.maxRhat());
  }

  /** MALA mixes more slowly: 4 × 3000 draws give it the ≥ 400 ESS the others reach with 4 × 1000. */
  static int draws(SamplerKind k) {
    return k == SamplerKind.MALA ? 3000 : 1000;
  }

  // ------------------------------------------------------------------------------------ exact answers

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void linearGaussianMatchesTheExactPosterior(SamplerKind kind) {
    LinearGaussian lg = LinearGaussian.standard();
    int n = lg.nx();
    McmcConfig cfg = McmcConfig.defaults(11).withSampler(kind).withChains(4, 500, draws(kind))
        .withMetric(MetricAdaptation.DIAGONAL);
    List<ChainResult> chains = runChains(Targets.linearGaussian(lg), Preconditioner.identity(n), cfg, 1.0);
    ConvergenceSummary sum = Mcmc.summary(chains, lg.problem.background());
    double[] sd = new double[n];
    for (int k = 0; k < n; k++) {
      sd[k] = Math.sqrt(lg.covariance[k * n + k]);
    }
    assertMoments(sum, lg.mean, sd, kind.configName());
    assertTrue(sum.minEssBulk() > 400 && sum.minEssTail() > 400, "ESS " + sum.minEssBulk() + " " + sum.minEssTail());
    for (ChainResult r : chains) {
      assertEquals(0, r.divergences, "divergences on a Gaussian");
      assertEquals(0, r.nonFinite);
      // dual averaging steers the sampling phase near its target; its averaged iterate ε̄ (dominated by the
      // iterations after the last restart, 50 here) is smaller than the last iterates, so the statistic lands
      // above the target (as with Stan, whose NUTS at δ = 0.8 typically reports 0.85–0.9)
      assertTrue(r.meanAcceptStat > cfg.targetAccept - 0.1 && r.meanAcceptStat < cfg.targetAccept + 0.2,
          "acceptance statistic of chain " + r.chain + ": " + r.meanAcceptStat);
    }
  }

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void correlatedGaussianWithDenseMetric(SamplerKind kind) {
    Targets.Gaussian g = Targets.Gaussian.twoD(1.0, -2.0, 1.0, 10.0, 0.95);
    McmcConfig cfg = McmcConfig.defaults(12).withSampler(kind).withChains(4, 1000, draws(kind))
        .withMetric(MetricAdaptation.DENSE);
    List<ChainResult> chains = runChains(g, Preconditioner.identity(2), cfg, 3.0);
    ConvergenceSummary sum = Mcmc.summary(chains, IDENTITY_2);
    assertMoments(sum, g.mean, new double[] {1.0, 10.0}, kind.configName());
    // the adapted metric C Cᵀ estimates the covariance (last window of 500 draws: ~10 % relative error)
    for (ChainResult r : chains) {
      double[] a = r.metricMatrix;
      assertEquals(4, a.length);
      double c00 = a[0] * a[0] + a[1] * a[1];
      double c10 = a[2] * a[0] + a[3] * a[1];
      double c11 = a[2] * a[2] + a[3] * a[3];
      assertEquals(1.0, c00, 0.3, "metric variance 0");
      assertEquals(100.0, c11, 30.0, "metric variance 1");
      assertEquals(0.95, c10 / Math.sqrt(c00 * c11), 0.03, "metric correlation");
    }
  }

  @Test
  void nutsHandlesTheCorrelatedGaussianWithoutMetricAdaptation() {
    Targets.Gaussian g = Targets.Gaussian.twoD(1.0, -2.0, 1.0, 10.0, 0.95);
    McmcConfig cfg = McmcConfig.defaults(13).withChains(4, 500, 1000).withMetric(MetricAdaptation.NONE);
    List<ChainResult> chains = runChains(g, Preconditioner.identity(2), cfg, 3.0);
    assertMoments(Mcmc.summary(chains, IDENTITY_2), g.mean, new double[] {1.0, 10.0}, "nuts, no metric");
    for (ChainResult r : chains) {
      assertTrue(r.meanSteps > 10, "long trajectories along the ridge: " + r.meanSteps);
      assertEquals(1.0, r.metricScale[0], 0.0);
    }
  }

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void heavyTailedStudentT(SamplerKind kind) {
    double nu = 10;
    Targets.StudentT t = new Targets.StudentT(3, nu);
    McmcConfig cfg = McmcConfig.defaults(14).withSampler(kind).withChains(4, 500, draws(kind));
    List<ChainResult> chains = runChains(t, Preconditioner.identity(3), cfg, 2.0);
    ConvergenceSummary sum = Mcmc.summary(chains, ControlTransform.diagonal(new double[3], new double[] {1, 1, 1}));
    double sd = Math.sqrt(nu / (nu - 2));
    assertMoments(sum, new double[3], new double[] {sd, sd, sd}, "t" + (int) nu + " " + kind.configName());
  }

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void nonFiniteValuesRejectAndNeverPropagate(SamplerKind kind) {
    // HMC's fixed-length trajectories that reach the wall are rejected whole, so it sticks near the wall and
    // mixes slowly; the wall at 1 sd (hit by 16 % of the mass) keeps 4 × 1000 draws enough for R-hat < 1.01
    // N(0, I) truncated to x_0 ≤ 1: E x_0 = −φ(1)/Φ(1), Var x_0 = 1 − φ(1)/Φ(1) − (φ(1)/Φ(1))²
    final double phi = Math.exp(-0.5) / Math.sqrt(2 * Math.PI);
    final double bigPhi = 0.8413447460685429; // Φ(1), scipy.stats.norm.cdf(1)
    final double lam = phi / bigPhi;
    double[] mean = {-lam, 0.0};
    double[] sd = {Math.sqrt(1 - lam - lam * lam), 1.0};
    for (int mode = 0; mode < 3; mode++) {
      McmcConfig cfg = McmcConfig.defaults(15 + mode).withSampler(kind).withChains(4, 500, draws(kind));
      List<ChainResult> chains = new ArrayList<>();
      McmcSampler s = new McmcSampler(new Targets.Truncated(2, 1.0, mode), cfg);
      for (int c = 0; c < 4; c++) {
        chains.add(s.run(c, new double[] {-0.5 + 0.2 * c, 0.3 * c}));
      }
      long nonFinite = 0;
      for (ChainResult r : chains) {
        nonFinite += r.nonFinite;
        for (int d = 0; d < r.nDraws; d++) {
          assertTrue(r.draws[2 * d] <= 1.0, "a draw beyond the wall");
          assertTrue(Double.isFinite(r.draws[2 * d + 1]) && Double.isFinite(r.potential[d]));
        }
      }
      assertTrue(nonFinite > 0, "the wall was never hit");
      assertMoments(Mcmc.summary(chains, IDENTITY_2), mean, sd, kind.configName() + " wall mode " + mode);
    }
  }

  @Test
  void laplacePreconditionerWhitensTheLinearGaussianPosterior() {
    LinearGaussian lg = LinearGaussian.standard();
    int n = lg.nx();
    ControlTransform s = lg.problem.background();
    double[] hv = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        hv[i * n + j] = s.scale(i) * lg.precision[i * n + j] * s.scale(j);
      }
    }
    double[] l = new double[n * n];
    assertTrue(Cholesky.decompose(n, hv, l));
    McmcConfig cfg = McmcConfig.defaults(16).withChains(4, 300, 1000).withMetric(MetricAdaptation.NONE);
    List<ChainResult> chains = runChains(Targets.linearGaussian(lg), Preconditioner.precision(n, l), cfg, 1.0);
    ConvergenceSummary sum = Mcmc.summary(chains, s);
    double[] sd = new double[n];
    for (int k = 0; k < n; k++) {
      sd[k] = Math.sqrt(lg.covariance[k * n + k]);
    }
    assertMoments(sum, lg.mean, sd, "Laplace-preconditioned NUTS");
    for (ChainResult r : chains) {
      // in the whitened coordinates the target is N(0, I): the step size is of order 1 (Stan's NUTS on a
      // 6-D standard normal adapts to ε ≈ 0.8–1 at acceptance 0.8)
      assertTrue(r.stepSize > 0.5 && r.stepSize < 1.5, "step size " + r.stepSize);
    }
  }

  // ------------------------------------------------------------------------------------ bookkeeping

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void gradientEvaluationsAreCounted(SamplerKind kind) {
    LinearGaussian lg = LinearGaussian.standard();
    Targets.Counting f = new Targets.Counting(Targets.linearGaussian(lg));
    McmcConfig cfg = McmcConfig.defaults(17).withSampler(kind).withChains(2, 200, 300).withThin(2);
    McmcSampler s = new McmcSampler(f, cfg);
    WarmupResult w = s.warmup(0, new double[6]);
    assertEquals(f.count, w.gradientEvaluations, "warm-up");
    long before = f.count;
    ChainResult r = s.sample(w);
    long sampling = f.count - before;
    assertEquals(f.count, r.gradientEvaluations, "whole chain");
    assertEquals(w.gradientEvaluations, r.warmupGradientEvaluations);
    assertEquals(r.meanSteps * 600, sampling, 1e-6, "one gradient per leapfrog step / MALA proposal");
    if (kind == SamplerKind.MALA) {
      assertEquals(600, sampling);
    }
    assertEquals(300, r.nDraws);
    assertEquals(600, (long) (r.acceptRate * 600 + 0.5) + r.rejections);
  }

  @Test
  void thinningKeepsEveryThinthState() {
    LinearGaussian lg = LinearGaussian.standard();
    McmcConfig cfg = McmcConfig.defaults(18).withChains(2, 100, 300);
    ChainResult all = new McmcSampler(Targets.linearGaussian(lg), cfg).run(1, new double[6]);
    ChainResult thin = new McmcSampler(Targets.linearGaussian(lg), cfg.withChains(2, 100, 100).withThin(3))
        .run(1, new double[6]);
    for (int d = 0; d < 100; d++) {
      for (int i = 0; i < 6; i++) {
        assertEquals(all.draws[(3 * d + 2) * 6 + i], thin.draws[d * 6 + i], 0.0);
      }
      assertEquals(all.potential[3 * d + 2], thin.potential[d], 0.0);
    }
  }

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void chainsAreBitIdenticalWhateverTheOrderAndInstance(SamplerKind kind) {
    LinearGaussian lg = LinearGaussian.standard();
    McmcConfig cfg = McmcConfig.defaults(19).withSampler(kind).withChains(3, 150, 200);
    McmcSampler a = new McmcSampler(Targets.linearGaussian(lg), cfg);
    ChainResult[] forward = new ChainResult[3];
    for (int c = 0; c < 3; c++) {
      forward[c] = a.run(c, start(6, c, 1.0));
    }
    McmcSampler b = new McmcSampler(Targets.linearGaussian(lg), cfg);
    for (int c = 2; c >= 0; c--) {
      ChainResult r = b.run(c, start(6, c, 1.0));
      assertArrayEquals(forward[c].draws, r.draws, 0.0, "chain " + c);
      assertArrayEquals(forward[c].potential, r.potential, 0.0);
      assertEquals(forward[c].stepSize, r.stepSize, 0.0);
      assertArrayEquals(forward[c].metricScale, r.metricScale, 0.0);
      assertEquals(forward[c].gradientEvaluations, r.gradientEvaluations);
    }
    // run = sample(warmup), also on a fresh instance
    ChainResult split = new McmcSampler(Targets.linearGaussian(lg), cfg).sample(
        new McmcSampler(Targets.linearGaussian(lg), cfg).warmup(1, start(6, 1, 1.0)));
    assertArrayEquals(forward[1].draws, split.draws, 0.0);
    // another seed gives other draws
    ChainResult other = new McmcSampler(Targets.linearGaussian(lg), cfg.withSeed(20)).run(1, start(6, 1, 1.0));
    assertTrue(other.draws[0] != forward[1].draws[0]);
  }

  @Test
  void badStartsAndShapesAreRejected() {
    McmcConfig cfg = McmcConfig.defaults(1).withChains(2, 10, 10);
    McmcSampler s = new McmcSampler(new Targets.Truncated(2, 0.5, 0), cfg);
    assertThrows(IllegalArgumentException.class, () -> s.run(0, new double[] {1.0, 0.0}), "start beyond the wall");
    assertThrows(IllegalArgumentException.class, () -> s.run(0, new double[3]));
    assertThrows(IllegalArgumentException.class, () -> s.run(-1, new double[2]));
    assertThrows(IllegalArgumentException.class,
        () -> new McmcSampler(new Targets.Truncated(2, 0.5, 0), Preconditioner.identity(3), cfg));
  }

  @Test
  void warmupWindowsAreStans() {
    int[][] w = McmcSampler.windows(1000, MetricAdaptation.DIAGONAL);
    int[][] expected = {{75, 100}, {100, 150}, {150, 250}, {250, 450}, {450, 950}};
    assertEquals(expected.length, w.length);
    for (int k = 0; k < w.length; k++) {
      assertArrayEquals(expected[k], w[k]);
    }
    // shorter than 150: 15 % / 75 % / 10 %
    int[][] s = McmcSampler.windows(100, MetricAdaptation.DENSE);
    assertEquals(1, s.length);
    assertArrayEquals(new int[] {15, 90}, s[0]);
    assertEquals(0, McmcSampler.windows(19, MetricAdaptation.DIAGONAL).length);
    assertEquals(0, McmcSampler.windows(1000, MetricAdaptation.NONE).length);
  }

  @Test
  void dualAveragingFindsTheStepSizeOfAKnownAcceptanceCurve() {
    // acceptance α(ε) = exp(−ε²): the target 0.8 is reached at ε* = √(−log 0.8) ≈ 0.472
    McmcSampler.DualAveraging da = new McmcSampler.DualAveraging(0.8, 1.0);
    double eps = 1.0;
    for (int m = 0; m < 2000; m++) {
      eps = da.learn(Math.exp(-eps * eps));
    }
    assertEquals(Math.sqrt(-Math.log(0.8)), da.finalStepSize(), 0.01);
  }

  // ------------------------------------------------------------------------------------ components

  @Test
  void preconditionerSolveInvertsItsFactor() {
    int n = 4;
    RandomStream r = RandomStream.of(3, Domain.OTHER, 0);
    double[] l = new double[n * n];
    double[] sig = new double[n];
    for (int i = 0; i < n; i++) {
      sig[i] = 0.5 + r.nextDouble();
      for (int j = 0; j <= i; j++) {
        l[i * n + j] = i == j ? 1 + r.nextDouble() : 0.3 * r.nextGaussian();
      }
    }
    Preconditioner[] ps = {Preconditioner.identity(n), Preconditioner.diagonal(sig), Preconditioner.lower(n, l),
        Preconditioner.precision(n, l)};
    double[] v = {0.3, -1.2, 2.0, 0.7};
    for (Preconditioner p : ps) {
      double[] w = new double[n];
      p.solve(v, w);
      double[] c = p.dense();
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += c[i * n + j] * w[j];
        }
        assertEquals(v[i], s, Tol.LINALG * 10, p.kind + " row " + i);
      }
      // and the sampler's metric applies the same C
      Metric m = Metric.of(p);
      double[] out = new double[n];
      m.apply(w, out, new double[n]);
      assertArrayEquals(v, out, Tol.LINALG * 10, p.kind.toString());
    }
  }

  @Test
  void whitenedTargetGradientPassesTheTaylorTest() {
    FourDVarProblem p = TalkData.load().problem();
    WhitenedTarget f = new WhitenedTarget(new org.vi4dvar.kernels.map.FourDVarObjective(
        new org.vi4dvar.kernels.var.FourDVarCost(p)), p.background());
    double[] v = start(16, 0, 0.5);
    double[] h = start(16, 1, 1.0);
    double[] g = new double[16];
    double f0 = f.valueAndGradient(v, g);
    double gh = TaylorCheck.dot(g, h);
    double[] scratch = new double[16];
    double slope = TaylorCheck.slope(eps -> Math.abs(f.valueAndGradient(TaylorCheck.axpy(v, eps, h), scratch)
        - f0 - eps * gh), Math.abs(gh), 1e-16 * Math.abs(f0));
    assertEquals(2.0, slope, Tol.TAYLOR_SLOPE);
    // f(v) = J(x_b + B½ v): the prior term is ½‖v‖²
    double[] xb = p.xb();
    double jb = 0.5 * TaylorCheck.dot(v, v);
    org.vi4dvar.kernels.var.FourDVarCost cost = new org.vi4dvar.kernels.var.FourDVarCost(p);
    double[] x = new double[16];
    for (int i = 0; i < 16; i++) {
      x[i] = xb[i] + p.bStd(i) * v[i];
    }
    assertEquals(cost.cost(x), f0, 1e-12 * f0);
    assertEquals(jb, cost.lastBackgroundCost(), 1e-12 * jb);
  }
}
