package org.vi4dvar.kernels.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.config.McmcSettings;
import org.vi4dvar.kernels.config.PsisSettings;
import org.vi4dvar.kernels.importance.ImportanceMethod;
import org.vi4dvar.kernels.importance.ImportancePosterior;
import org.vi4dvar.kernels.importance.Reliability;
import org.vi4dvar.kernels.mcmc.McmcMethod;
import org.vi4dvar.kernels.mcmc.MetricAdaptation;
import org.vi4dvar.kernels.mcmc.SamplerKind;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.Settings;

/**
 * The {@code mcmc} and {@code <method>-is} methods of the cascade against the exact posterior of a
 * linear-Gaussian problem ({@link LinearGaussian#standard()}: nx 6, so 6 control components).
 *
 * <p>Monte Carlo tolerance: {@value #MCSE_SIGMAS} Monte Carlo standard errors. The estimates are asymptotically
 * normal around the exact value with the reported MCSE as standard deviation, so each check fails by chance with
 * probability 2Φ(−4) ≈ 6.3·10⁻⁵, and the 12 checks of a test (mean and sd of 6 components) together with
 * ≈ 8·10⁻⁴ — and the seeds are fixed, so a pass is reproducible. A biased sampler (e.g. a wrong gradient, a
 * wrong Metropolis ratio) or a wrongly weighted correction is off by far more than 4 MCSE at these sample
 * sizes (4000 draws: MCSE ≈ 1.6 % of the posterior sd).
 */
class SamplingMethodsTest {

  /** Tolerance in Monte Carlo standard errors (class comment). */
  static final double MCSE_SIGMAS = 4.0;

  private static Settings linear(List<String> methods) {
    Settings s = Settings.small();
    s.methods = methods;
    s.model = new org.vi4dvar.kernels.config.ModelSettings(6, 8.0, 0.1);
    s.window = new org.vi4dvar.kernels.config.WindowSettings(8, 6);
    s.output = new org.vi4dvar.kernels.config.OutputSettings(List.of(0, 5, 7), 0, 5, false);
    s.obs = new org.vi4dvar.kernels.config.ObsSettings(org.vi4dvar.kernels.obs.Nonlinearity.IDENTITY, 1, 0.4, 1,
        new org.vi4dvar.kernels.config.NoiseRange("obs.noise", 0.05, 0.1));
    return s;
  }

  private static McmcSettings chains(int chains, int warmup, int draws) {
    return new McmcSettings(chains, warmup, draws, 1, SamplerKind.NUTS, 0.25, 0.0, MetricAdaptation.DENSE, 10);
  }

  private static ExperimentResult run(LinearGaussian lg, Settings s, McmcSettings mcmc, PsisSettings psis,
      Parallel par) {
    return ExperimentRunner.run(new ExperimentInputs(lg.problem, lg.truth, s.build().withSampling(mcmc, psis)),
        par, ExperimentListener.NONE, null);
  }

  @SuppressWarnings("unchecked")
  private static double[] extra(Diagnostics d, String key) {
    return ((List<Double>) d.extra.get(key)).stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void mcmcMatchesTheExactPosteriorWithinItsMonteCarloErrorAndConverges() {
    LinearGaussian lg = LinearGaussian.standard();
    ExperimentResult r = run(lg, linear(List.of("map", "mcmc")), chains(4, 500, 1000), PsisSettings.defaults(),
        LocalParallel.threads(2));
    MethodResult m = r.method("mcmc");
    assertTrue(m.available(), m.unavailable);
    Diagnostics d = m.diagnostics;
    assertEquals("laplace", d.extra.get("preconditioner"));
    assertEquals(4, d.count("chains"));
    assertEquals(4000, d.count("draws"));
    assertTrue((Double) d.extra.get("max_rhat") < 1.01, "max R-hat " + d.extra.get("max_rhat"));
    assertTrue(d.converged, "R-hat <= 1.01 and ESS >= 400: " + d.extra.get("warnings"));
    double[] mcseMean = extra(d, "mcse_mean");
    double[] mcseSd = extra(d, "mcse_sd");
    Moments mom = m.posterior.exactMoments();
    int n = lg.mean.length;
    for (int i = 0; i < n; i++) {
      double exactSd = Math.sqrt(lg.covariance[i * n + i]);
      assertEquals(lg.mean[i], mom.mean[i], MCSE_SIGMAS * mcseMean[i], "mean " + i);
      assertEquals(exactSd, Math.sqrt(mom.cov(i, i)), MCSE_SIGMAS * mcseSd[i], "sd " + i);
      // the MCSE is that of a few thousand effective draws, not of a handful (the check above has teeth)
      assertTrue(mcseMean[i] < 0.05 * exactSd, "mcse " + mcseMean[i] + " vs sd " + exactSd);
    }
    // the tables: one row per chain, one per component
    Table chains = m.table(McmcMethod.CHAINS);
    assertEquals(4, chains.rows());
    assertEquals("map-minimum", chains.column(McmcMethod.START_SOURCE).strings[0]);
    Table diag = m.table(McmcMethod.DIAGNOSTICS);
    assertEquals(n, diag.rows());
    assertArrayEquals(mcseMean, diag.column("mcse_mean").doubles);
  }

  @Test
  void mcmcIsBitIdenticalForAnyGroupingOfChainsIntoTasks() {
    LinearGaussian lg = LinearGaussian.standard();
    Settings s = linear(List.of("mcmc"));
    McmcSettings mc = chains(3, 100, 100);
    ExperimentResult a = run(lg, s, mc, PsisSettings.defaults(), LocalParallel.sequential());
    ExperimentResult b = run(lg, s, mc, PsisSettings.defaults(), LocalParallel.threads(2).withTasks(2));
    ExperimentResult c = run(lg, s, mc, PsisSettings.defaults(), LocalParallel.threads(2).withTasks(3));
    for (ExperimentResult x : List.of(b, c)) {
      Moments ma = a.method("mcmc").posterior.exactMoments();
      Moments mb = x.method("mcmc").posterior.exactMoments();
      assertArrayEquals(ma.mean, mb.mean);
      assertArrayEquals(ma.covariance, mb.covariance);
      assertArrayEquals(a.method("mcmc").summary().mean, x.method("mcmc").summary().mean);
      assertArrayEquals(a.method("mcmc").table(McmcMethod.DIAGNOSTICS).column("rhat").doubles,
          x.method("mcmc").table(McmcMethod.DIAGNOSTICS).column("rhat").doubles);
    }
    // without MAP, the chains start from ABC's exploration and are preconditioned by the control transform
    assertEquals("control-transform", a.method("mcmc").diagnostics.extra.get("preconditioner"));
    assertEquals("abc", a.method("mcmc").table(McmcMethod.CHAINS).column(McmcMethod.START_SOURCE).strings[0]);
  }

  /** Chains too short for the ≥ 400 ESS check: a warning in the diagnostics and a progress (stderr) line. */
  @Test
  void tooShortChainsAreWarnedAbout() {
    LinearGaussian lg = LinearGaussian.standard();
    List<String> lines = new java.util.ArrayList<>();
    ExperimentResult r = ExperimentRunner.run(new ExperimentInputs(lg.problem, lg.truth,
        linear(List.of("mcmc")).build().withSampling(chains(2, 50, 40), new PsisSettings(100, List.of()))),
        LocalParallel.sequential(), lines::add, null);
    Diagnostics d = r.method("mcmc").diagnostics;
    assertFalse(d.converged, "80 draws cannot give a bulk ESS of 400");
    @SuppressWarnings("unchecked")
    List<String> warnings = (List<String>) d.extra.get("warnings");
    assertTrue(warnings.stream().anyMatch(w -> w.contains("bulk ESS")), warnings.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("warning: mcmc:") && l.contains("bulk ESS")),
        lines.toString());
  }

  @Test
  void psisCorrectedLaplaceIsExactAndGood() {
    LinearGaussian lg = LinearGaussian.standard();
    ExperimentResult r = run(lg, linear(List.of("map")), McmcSettings.defaults(),
        new PsisSettings(4000, List.of("map")), LocalParallel.threads(2).withTasks(3));
    MethodResult m = r.method("map-is");
    assertTrue(m.available(), m.unavailable);
    ImportancePosterior p = (ImportancePosterior) m.posterior;
    assertTrue(p.paretoK() < 0.5, "k-hat " + p.paretoK());
    assertEquals(Reliability.GOOD, p.reliability());
    assertExactWithinMcse(lg, p);
    // bit-identical for another grouping of the draws into tasks
    ExperimentResult r2 = run(lg, linear(List.of("map")), McmcSettings.defaults(),
        new PsisSettings(4000, List.of("map")), LocalParallel.sequential());
    assertArrayEquals(m.summary().mean, r2.method("map-is").summary().mean);
    assertArrayEquals(m.table(ImportanceMethod.WEIGHTS).column(ImportanceMethod.WEIGHT).doubles,
        r2.method("map-is").table(ImportanceMethod.WEIGHTS).column(ImportanceMethod.WEIGHT).doubles);
  }

  private static void assertExactWithinMcse(LinearGaussian lg, ImportancePosterior p) {
    double[] mcseMean = extra(p.diagnostics(), "mcse_mean");
    double[] mcseSd = extra(p.diagnostics(), "mcse_sd");
    Moments mom = p.exactMoments();
    int n = lg.mean.length;
    for (int i = 0; i < n; i++) {
      assertEquals(lg.mean[i], mom.mean[i], MCSE_SIGMAS * mcseMean[i], "mean " + i);
      assertEquals(Math.sqrt(lg.covariance[i * n + i]), Math.sqrt(mom.cov(i, i)), MCSE_SIGMAS * mcseSd[i],
          "sd " + i);
    }
  }

  /**
   * A wider proposal than the posterior (the Laplace factor scaled by 1.5: bounded weights) is corrected to the
   * exact posterior with k̂ ≤ 0.5; a too narrow one (scaled by 0.5: weights with a heavy tail, k̂ ≈ 1 − 0.5² per
   * component and worse in 6 dimensions) is flagged unreliable with k̂ &gt; 0.7 and a warning.
   */
  @Test
  void aTooNarrowProposalIsUnreliable() {
    LinearGaussian lg = LinearGaussian.standard();
    ExperimentResult r = run(lg, linear(List.of("map")), McmcSettings.defaults(),
        new PsisSettings(4000, List.of()), LocalParallel.sequential());
    GaussianPosterior lap = (GaussianPosterior) r.method("map").posterior;
    for (double scale : new double[] {1.5, 0.5}) {
      double[] f = lap.factor().clone();
      for (int i = 0; i < f.length; i++) {
        f[i] /= scale; // PRECISION factor L: Σ_v = L⁻ᵀ L⁻¹, so L / a scales the covariance by a²
      }
      GaussianPosterior q = new GaussianPosterior(lap.mean(), lap.transform(), lap.factorKind(), f, 1, 9,
          Diagnostics.none());
      Experiment ex = new Experiment(new ExperimentInputs(lg.problem, lg.truth,
          linear(List.of("map")).build().withSampling(McmcSettings.defaults(), new PsisSettings(4000,
              List.of("map")))), Shared.of(new ExperimentInputs(lg.problem, lg.truth, linear(List.of("map"))
              .build())), LocalParallel.threads(2), ExperimentListener.NONE, null);
      ex.recordPosterior("map", q);
      MethodResult m = new ImportanceMethod("map", 7).run(ex);
      ImportancePosterior p = (ImportancePosterior) m.posterior;
      @SuppressWarnings("unchecked")
      List<String> warnings = (List<String>) m.diagnostics.extra.get("warnings");
      if (scale > 1) {
        assertTrue(p.paretoK() <= 0.5, "wide proposal: k-hat " + p.paretoK());
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertExactWithinMcse(lg, p);
      } else {
        assertTrue(p.paretoK() > 0.7, "narrow proposal: k-hat " + p.paretoK());
        assertEquals(Reliability.UNRELIABLE, p.reliability());
        assertFalse(m.diagnostics.converged);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("unreliable"), warnings.get(0));
      }
    }
  }
}
