package org.vi4dvar.kernels.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.abc.AbcMethod;
import org.vi4dvar.kernels.stats.ControlSummary;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Issue 15 §2–3: the forcing F estimated with the state by every method of the cascade, on the talk's Lorenz96
 * twin with F_true = 8.5 and the prior F ~ N(8, 1²).
 */
class ForcingEstimationTest {

  static final double F_TRUE = 8.5;
  static final double PRIOR_MEAN = 8.0;
  static final double PRIOR_STD = 1.0;
  /** The prior's 90 % interval width, 2 × 1.645 σ. */
  static final double PRIOR_WIDTH = 2 * ControlSummary.Z95 * PRIOR_STD;

  static FourDVarProblem problem(Twin t) {
    return t.problem().withEstimatedParameter("forcing", PRIOR_MEAN, PRIOR_STD);
  }

  /**
   * The small settings with full-rank VI: F is correlated with x0 a posteriori, and mean-field VI, which drops
   * those correlations, is underdispersed in F (measured on this twin: std 0.053 against MAP/Laplace 0.13 and
   * the ensemble 0.14, its 90 % interval [8.54, 8.72] just misses 8.5) — the known property of mean field
   * (math-2.md: σ_i² = 1/(P⁻¹)_ii), not a defect of the weak-constraint wiring.
   */
  static Settings settings() {
    Settings s = Settings.small();
    s.vi = Settings.vi(org.vi4dvar.kernels.vi.VariationalFamily.FULL_RANK, 3000, 4, 400, 3);
    return s;
  }

  static ExperimentResult run(Parallel par, Twin t, Settings s) {
    return ExperimentRunner.run(new ExperimentInputs(problem(t), t.truth(), s.build()), par,
        ExperimentListener.NONE, null);
  }

  /**
   * Every method's 90 % interval [q05, q95] of F contains F_true and is narrower than the prior's (3.29). One
   * fixed twin (seed 11), so the check is reproducible; it fails if a method ignores F (its interval would be
   * the prior's, or ABC's draws would not be conditioned on F) or is biased by more than its width. Measured:
   * abc 8.10 ± 0.85 [6.84, 9.69] (its 100 kept trials of 20,000 in 17 dimensions), map 8.62 ± 0.13, ensemble
   * 8.59 ± 0.14, full-rank VI 8.62 ± 0.12; their PSIS corrections map-is 8.64 ± 0.12, vi-is 8.63 ± 0.15.
   */
  @Test
  void everyMethodsIntervalOfTheForcingContainsTheTruthAndIsNarrowerThanThePrior() {
    Twin t = TwinExperiment.generate(TwinConfig.talk(11).withTruthForcing(F_TRUE));
    ExperimentResult r = run(LocalParallel.threads(2), t, settings());
    FourDVarProblem p = problem(t);
    assertEquals(List.of("abc", "map", "ensemble", "vi", "map-is", "vi-is"),
        r.methods.stream().map(m -> m.name).toList());
    for (MethodResult m : r.methods) {
      assertTrue(m.available(), m.name + ": " + m.unavailable);
      ControlSummary cs = ControlSummary.of(p.control(), p.estimatedParameters(), m.posterior, 1000);
      double[] f = cs.parameterStats[0];
      System.out.printf("%-9s F mean %.4f std %.4f 90%% [%.4f, %.4f]%n", m.name, f[0], f[1], f[2], f[4]);
      assertTrue(f[2] <= F_TRUE && F_TRUE <= f[4], m.name + ": 90 % interval [" + f[2] + ", " + f[4]
          + "] misses F_true = " + F_TRUE);
      assertTrue(f[4] - f[2] < PRIOR_WIDTH, m.name + ": interval width " + (f[4] - f[2]) + " not below the prior's "
          + PRIOR_WIDTH);
    }
    ControlSummary prior = ControlSummary.of(p.control(), p.estimatedParameters(), r.prior.posterior, 1000);
    assertEquals(PRIOR_MEAN, prior.parameterStats[0][0], 1e-15);
    assertEquals(PRIOR_STD, prior.parameterStats[0][1], 1e-15);
  }

  /**
   * Weak constraint and F together: the same posteriors, draws and summaries of η and F (bit for bit) whatever
   * the number of threads and tasks — the property Spark's partitioning relies on.
   */
  @Test
  void weakConstraintWithForcingIsDeterministicAcrossPartitions() {
    Twin t = TwinExperiment.generate(TwinConfig.talk(5).withTruthForcing(F_TRUE).withModelError(0.05));
    FourDVarProblem p = problem(t);
    assertEquals(16 + 11 * 16 + 1, p.dimension());
    ExperimentResult a = run(LocalParallel.sequential(), t, Settings.small());
    ExperimentResult b = run(LocalParallel.threads(2).withTasks(5), t, Settings.small());
    // ABC's kept trials name every control column by what it is: x0_<i>, eta_<t>_<i>, the parameter's name
    List<String> kept = a.method("abc").tables.stream().filter(x -> x.name.equals(AbcMethod.KEPT)).findFirst()
        .orElseThrow().columns().stream().map(c -> c.name).toList();
    assertEquals(3 + p.dimension(), kept.size());
    assertEquals(List.of("trial", "distance", "cost", "x0_0"), kept.subList(0, 4));
    assertEquals(List.of("x0_15", "eta_0_0", "eta_0_1"), kept.subList(3 + 15, 3 + 18));
    assertEquals(List.of("eta_1_0"), kept.subList(3 + 32, 3 + 33));
    assertEquals(List.of("eta_10_15", "forcing"), kept.subList(kept.size() - 2, kept.size()));
    for (int i = 0; i < a.methods.size(); i++) {
      MethodResult x = a.methods.get(i);
      MethodResult y = b.methods.get(i);
      assertTrue(x.available(), x.name + ": " + x.unavailable);
      ControlSummary cx = ControlSummary.of(p.control(), p.estimatedParameters(), x.posterior, 500);
      ControlSummary cy = ControlSummary.of(p.control(), p.estimatedParameters(), y.posterior, 500);
      assertArrayEquals(cx.etaMean, cy.etaMean, 0.0, x.name);
      assertArrayEquals(cx.etaStd, cy.etaStd, 0.0, x.name);
      assertArrayEquals(cx.parameterStats[0], cy.parameterStats[0], 0.0, x.name);
      assertArrayEquals(x.summary().mean, y.summary().mean, 0.0, x.name);
      assertArrayEquals(x.summary().std, y.summary().std, 0.0, x.name);
      double[] dx = new double[p.dimension()];
      double[] dy = new double[p.dimension()];
      for (long d = 0; d < 3; d++) {
        x.posterior.sampler().draw(d, dx);
        y.posterior.sampler().draw(d, dy);
        assertArrayEquals(dx, dy, 0.0, x.name + " draw " + d);
      }
    }
  }
}
