package org.vi4dvar.kernels.mcmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.diagnostics.ConvergenceSummary;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.LocalParallel;
import org.vi4dvar.kernels.experiment.Parallel;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.var.ControlTransform;

/** Combining chains into one posterior with its diagnostics; chains as tasks; the configuration's messages. */
class McmcCombineTest {

  /** Chains as {@link Parallel} tasks: one ChainResult per unit (chain), each task building its own sampler. */
  static List<ChainResult> runAsTasks(Parallel par, LinearGaussian lg, McmcConfig cfg) {
    Shared<McmcConfig> sh = par.share(cfg);
    List<ChainResult> out = new ArrayList<>();
    for (Parallel.Part<ChainResult[]> p : par.run(Job.of("mcmc", "chains", "chains", 1), sh, cfg.chains,
        (c, lo, hi, progress) -> {
          McmcSampler s = new McmcSampler(Targets.linearGaussian(lg), c);
          ChainResult[] rs = new ChainResult[(int) (hi - lo)];
          for (long k = lo; k < hi; k++) {
            rs[(int) (k - lo)] = s.run((int) k, McmcSamplerTest.start(6, (int) k, 1.0));
          }
          return rs;
        })) {
      Collections.addAll(out, p.value);
    }
    return out;
  }

  @Test
  void theCombinedPosteriorDoesNotDependOnHowChainsAreCutIntoTasks() {
    LinearGaussian lg = LinearGaussian.standard();
    McmcConfig cfg = McmcConfig.defaults(31).withChains(4, 300, 400);
    ControlTransform s = lg.problem.background();
    EmpiricalPosterior ref = Mcmc.combine(runAsTasks(LocalParallel.sequential(), lg, cfg), s);
    for (int tasks : new int[] {2, 3, 4}) {
      EmpiricalPosterior p = Mcmc.combine(runAsTasks(LocalParallel.threads(2).withTasks(tasks), lg, cfg), s);
      Moments a = ref.exactMoments();
      Moments b = p.exactMoments();
      assertArrayEquals(a.mean, b.mean, 0.0, tasks + " tasks");
      assertArrayEquals(a.covariance, b.covariance, 0.0);
      assertEquals(ref.diagnostics().extra, p.diagnostics().extra);
      assertEquals(ref.diagnostics().counts, p.diagnostics().counts);
    }
  }

  @Test
  void drawsComeInChainOrderAsControlsWithDiagnostics() {
    LinearGaussian lg = LinearGaussian.standard();
    McmcConfig cfg = McmcConfig.defaults(32).withChains(3, 300, 200);
    McmcSampler s = new McmcSampler(Targets.linearGaussian(lg), cfg);
    List<ChainResult> chains = new ArrayList<>();
    for (int c : new int[] {2, 0, 1}) {
      chains.add(s.run(c, McmcSamplerTest.start(6, c, 1.0)));
    }
    ControlTransform t = lg.problem.background();
    EmpiricalPosterior p = Mcmc.combine(chains, t);
    assertEquals(600, p.size());
    assertFalse(p.weighted());
    // draw 200·c + d is chain c's draw d, mapped to c = x_b + B½ v
    ChainResult c1 = chains.get(2);
    assertEquals(1, c1.chain);
    for (int i = 0; i < 6; i++) {
      assertEquals(t.center(i) + t.scale(i) * c1.draws[5 * 6 + i], p.value(200 + 5, i), 1e-15);
    }
    Diagnostics d = p.diagnostics();
    ConvergenceSummary sum = Mcmc.summary(chains, t);
    assertEquals("rhat", d.objective);
    assertEquals(sum.maxRhat(), d.objectiveValue, 0.0);
    assertEquals(3, d.count("chains"));
    assertEquals(600, d.count("draws"));
    long grads = 0;
    for (ChainResult r : chains) {
      grads += r.gradientEvaluations;
    }
    assertEquals(grads, d.count("gradient-evaluations"));
    assertEquals("nuts", d.extra.get("sampler"));
    assertEquals(6, ((List<?>) d.extra.get("rhat")).size());
    assertEquals(3, ((List<?>) d.extra.get("step_size")).size());
    assertEquals(sum.passes(), d.converged);
    // 3 × 200 draws: bulk ESS below 400 warns
    @SuppressWarnings("unchecked")
    List<String> warnings = (List<String>) d.extra.get("warnings");
    assertEquals(!sum.passes(), !warnings.isEmpty());
  }

  @Test
  void chainsStuckInDifferentPlacesWarn() {
    // two well separated modes: chains started in each stay there; R-hat exposes it
    Targets.Gaussian a = Targets.Gaussian.twoD(0, 0, 1, 1, 0);
    org.vi4dvar.kernels.optim.DifferentiableFunction bimodal = new org.vi4dvar.kernels.optim.DifferentiableFunction() {
      final double[] ga = new double[2];
      final double[] gb = new double[2];

      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public double valueAndGradient(double[] x, double[] g) {
        // −log(½ N(x; (−6, 0), I) + ½ N(x; (6, 0), I))
        double fa = a.valueAndGradient(new double[] {x[0] + 6, x[1]}, ga);
        double fb = a.valueAndGradient(new double[] {x[0] - 6, x[1]}, gb);
        double m = Math.min(fa, fb);
        double wa = Math.exp(m - fa);
        double wb = Math.exp(m - fb);
        for (int i = 0; i < 2; i++) {
          g[i] = (wa * ga[i] + wb * gb[i]) / (wa + wb);
        }
        return m - Math.log(0.5 * wa + 0.5 * wb);
      }
    };
    McmcConfig cfg = McmcConfig.defaults(33).withChains(4, 300, 500);
    McmcSampler s = new McmcSampler(bimodal, cfg);
    List<ChainResult> chains = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      chains.add(s.run(c, new double[] {c % 2 == 0 ? -6 : 6, 0}));
    }
    EmpiricalPosterior p = Mcmc.combine(chains, McmcSamplerTest.IDENTITY_2);
    // rank normalisation bounds R-hat: two perfectly separated halves of the chains give ≈ 1.7
    assertTrue(p.diagnostics().objectiveValue > 1.5, "R-hat " + p.diagnostics().objectiveValue);
    assertFalse(p.diagnostics().converged);
    @SuppressWarnings("unchecked")
    List<String> w = (List<String>) p.diagnostics().extra.get("warnings");
    assertTrue(w.get(0).startsWith("x0: max R-hat"), w.toString());
  }

  @Test
  void combineRejectsMismatchedChains() {
    LinearGaussian lg = LinearGaussian.standard();
    McmcConfig cfg = McmcConfig.defaults(34).withChains(2, 20, 20);
    McmcSampler s = new McmcSampler(Targets.linearGaussian(lg), cfg);
    ChainResult a = s.run(0, new double[6]);
    ChainResult b = s.run(1, new double[6]);
    ControlTransform t = lg.problem.background();
    assertThrows(IllegalArgumentException.class, () -> Mcmc.combine(List.of(a), t));
    assertThrows(IllegalArgumentException.class, () -> Mcmc.combine(List.of(a, a), t));
    ChainResult longer = new McmcSampler(Targets.linearGaussian(lg), cfg.withChains(2, 20, 30)).run(1, new double[6]);
    assertThrows(IllegalArgumentException.class, () -> Mcmc.combine(List.of(a, longer), t));
    assertEquals(40, Mcmc.combine(List.of(b, a), t).size());
  }

  @Test
  void configMessagesNameTheKeys() {
    McmcConfig d = McmcConfig.defaults(1);
    assertEquals("mcmc.chains must be >= 2 (R-hat needs two chains), got 1",
        assertThrows(IllegalArgumentException.class, () -> d.withChains(1, 10, 10)).getMessage());
    assertMessageStarts("mcmc.warmup must be > 0", () -> d.withChains(2, 0, 10));
    assertMessageStarts("mcmc.draws must be > 0", () -> d.withChains(2, 10, 0));
    assertMessageStarts("mcmc.thin must be >= 1", () -> d.withThin(0));
    assertMessageStarts("mcmc.step-size must be finite and > 0", () -> d.withStepSize(0));
    assertMessageStarts("mcmc.step-size", () -> d.withStepSize(Double.NaN));
    assertMessageStarts("mcmc.target-accept must be in (0, 1)", () -> d.withTargetAccept(1.0));
    assertMessageStarts("mcmc.max-depth must be in [1, 20]", () -> d.withMaxDepth(0));
    assertMessageStarts("mcmc.path-length must be finite and > 0", () -> d.withPathLength(-1));
    assertMessageStarts("mcmc.sampler must be one of mala, hmc, nuts, got 'gibbs'", () -> SamplerKind.parse("gibbs"));
    assertMessageStarts("mcmc.metric must be one of none, diag, dense, got 'full'",
        () -> MetricAdaptation.parse("full"));
    assertMessageStarts("mcmc.draws x mcmc.thin", () -> d.withChains(2, 10, 1 << 20).withThin(1 << 12));
    assertEquals(SamplerKind.HMC, SamplerKind.parse(" HMC "));
    assertEquals(MetricAdaptation.DIAGONAL, MetricAdaptation.parse("diagonal"));
    assertEquals(0.574, d.withSampler(SamplerKind.MALA).targetAccept, 0.0);
    assertEquals(0.9, d.withTargetAccept(0.9).targetAccept, 0.0);
  }

  private static void assertMessageStarts(String prefix, org.junit.jupiter.api.function.Executable e) {
    String m = assertThrows(IllegalArgumentException.class, e).getMessage();
    assertTrue(m.startsWith(prefix), m);
  }
}
