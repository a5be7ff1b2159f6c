package org.vi4dvar.kernels.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.LocalParallel;
import org.vi4dvar.kernels.experiment.Parallel;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.GaussianPosterior.Factor;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarCost;

/**
 * PSIS-corrected Gaussian proposals on the linear-Gaussian problem, whose exact posterior is known: the exact
 * Laplace, a proposal with its covariance inflated by 1.5 (both give the exact moments within their Monte Carlo
 * standard errors, k̂ &lt; 0.5), and one 10× too narrow (k̂ &gt; 0.7, flagged unreliable).
 */
class ImportancePosteriorTest {

  static final int S = 4000;
  /**
   * Width of the moment checks in Monte Carlo standard errors ({@link ImportancePosterior#mcse}): 12 checks per
   * proposal at 4 se fail with probability ≈ 12 × 6e-5 ≈ 1e-3 for a correct estimator (seeded: a pass
   * reproduces); a wrong correction (e.g. the proposal's own moments for the 1.5× proposal, sd 22 % too large)
   * misses by ≫ 4 se at S = 4000.
   */
  static final double MCSE_WIDTH = 4.0;

  /**
   * The Laplace approximation in the whitened control: {@code c = m + S L⁻ᵀ z} with {@code L Lᵀ = H_v / scale},
   * {@code H_v = S P⁻¹ S} (S diagonal): covariance {@code scale · P}.
   */
  static GaussianPosterior laplace(LinearGaussian lg, double scale, long tag) {
    ControlTransform s = lg.problem.background();
    int n = lg.nx();
    double[] hv = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        hv[i * n + j] = s.scale(i) * lg.precision[i * n + j] * s.scale(j) / scale;
      }
    }
    double[] l = new double[n * n];
    assertTrue(Cholesky.decompose(n, hv, l));
    return new GaussianPosterior(lg.mean, s, Factor.PRECISION, l, 42, tag, null);
  }

  static ImportancePosterior correct(LinearGaussian lg, Posterior q) {
    FourDVarCost cost = new FourDVarCost(lg.problem);
    return ImportancePosterior.of(q, ImportanceWeights.logWeights(q, cost::cost, 0, S));
  }

  private static void assertExactWithinMcse(LinearGaussian lg, ImportancePosterior ip) {
    Moments m = ip.exactMoments();
    double[][] se = ip.mcse();
    int n = lg.nx();
    for (int k = 0; k < n; k++) {
      double sdExact = Math.sqrt(lg.covariance[k * n + k]);
      assertEquals(lg.mean[k], m.mean[k], MCSE_WIDTH * se[0][k], "mean " + k);
      assertEquals(sdExact, Math.sqrt(m.variance[k]), MCSE_WIDTH * se[1][k], "sd " + k);
      // the standard errors themselves are those of ~ESS draws: sd/√ESS within a factor 2
      double essSe = sdExact / Math.sqrt(ip.psis().ess);
      assertTrue(se[0][k] > 0.5 * essSe && se[0][k] < 2 * essSe, "se of mean " + k);
    }
  }

  @Test
  void exactLaplaceIsUnchangedAndGood() {
    LinearGaussian lg = LinearGaussian.standard();
    ImportancePosterior ip = correct(lg, laplace(lg, 1.0, 0));
    assertTrue(ip.paretoK() < 0.5, "k " + ip.paretoK());
    assertEquals(Reliability.GOOD, ip.reliability());
    // the weights are constant up to round-off: ESS = S
    assertEquals(S, ip.psis().ess, 1e-6 * S);
    assertTrue(ip.diagnostics().converged);
    assertExactWithinMcse(lg, ip);
  }

  @Test
  void inflatedLaplaceIsCorrectedToTheExactPosterior() {
    LinearGaussian lg = LinearGaussian.standard();
    GaussianPosterior q = laplace(lg, 1.5, 1);
    ImportancePosterior ip = correct(lg, q);
    // a wider proposal has bounded weights: k < 0 in the limit
    assertTrue(ip.paretoK() < 0.5, "k " + ip.paretoK());
    assertEquals(Reliability.GOOD, ip.reliability());
    // ESS/S = Π (r/√(2r − 1))⁻¹ over 6 directions with r = 1.5: (√2/1.5)⁶ ≈ 0.70
    assertEquals(0.70, ip.psis().ess / S, 0.05);
    assertExactWithinMcse(lg, ip);
    // and the uncorrected proposal is clearly off: its sd is √1.5 too large
    double[][] se = ip.mcse();
    Moments qm = q.exactMoments();
    int n = lg.nx();
    for (int k = 0; k < n; k++) {
      assertTrue(Math.sqrt(qm.variance[k]) - Math.sqrt(lg.covariance[k * n + k]) > 10 * se[1][k]);
    }
  }

  @Test
  void tooNarrowProposalIsUnreliable() {
    LinearGaussian lg = LinearGaussian.standard();
    ImportancePosterior ip = correct(lg, laplace(lg, 0.1, 2));
    // asymptotically k = 1 − 0.1 = 0.9 (weights exp(4.5 |z|²) under z ~ N(0, I))
    assertTrue(ip.paretoK() > 0.7, "k " + ip.paretoK());
    assertEquals(Reliability.UNRELIABLE, ip.reliability());
    assertFalse(ip.diagnostics().converged);
    assertEquals("unreliable", ip.diagnostics().extra.get("reliability"));
  }

  @Test
  void weightsByTasksDoNotDependOnThePartitioning() {
    LinearGaussian lg = LinearGaussian.standard();
    GaussianPosterior q = laplace(lg, 1.5, 3);
    double[] whole = ImportanceWeights.logWeights(q, new FourDVarCost(lg.problem)::cost, 0, 1000);
    for (int tasks : new int[] {1, 3, 7}) {
      Parallel par = LocalParallel.threads(2).withTasks(tasks);
      Shared<GaussianPosterior> sh = par.share(q);
      List<double[]> parts = new ArrayList<>();
      for (Parallel.Part<double[]> p : par.run(Job.of("is", "weights", "draws", 1000), sh, 1000,
          (qq, lo, hi, progress) -> ImportanceWeights.logWeights(qq, new FourDVarCost(lg.problem)::cost, lo,
              hi))) {
        parts.add(p.value);
      }
      assertArrayEquals(whole, ImportanceWeights.concat(parts), 0.0, tasks + " tasks");
    }
  }

  @Test
  void posteriorContract() {
    LinearGaussian lg = LinearGaussian.standard();
    GaussianPosterior q = laplace(lg, 1.5, 4);
    ImportancePosterior ip = correct(lg, q);
    assertEquals(S, ip.draws(10));
    assertTrue(ip.weighted());
    assertFalse(ip.hasDensity());
    Posterior.Sampler s = ip.sampler();
    Posterior.Sampler qs = q.sampler();
    double[] a = new double[6];
    double[] b = new double[6];
    double wsum = 0;
    for (int i = 0; i < S; i++) {
      wsum += s.draw(i, a);
      qs.draw(i, b);
      assertArrayEquals(b, a, 0.0, "draw " + i + " is the proposal's");
    }
    assertEquals(S, wsum, 1e-9 * S, "weights have mean 1");
    EmpiricalPosterior e = ip.toEmpirical();
    Moments me = e.exactMoments();
    Moments mi = ip.exactMoments();
    assertArrayEquals(mi.mean, me.mean, 1e-12);
    assertArrayEquals(mi.covariance, me.covariance, 1e-12);
    assertEquals("pareto-k", ip.diagnostics().objective);
    assertEquals((long) S, ip.diagnostics().count("draws"));
    assertThrows(IllegalArgumentException.class, () -> ImportancePosterior.of(e, new double[S]));
  }
}
