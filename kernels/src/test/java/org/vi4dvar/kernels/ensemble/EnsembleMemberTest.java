package org.vi4dvar.kernels.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.linalg.Blas;
import org.vi4dvar.kernels.optim.LbfgsConfig;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.SampleMoments;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.var.FourDVarProblem;

class EnsembleMemberTest {

  private static final LinearGaussian LG = LinearGaussian.standard();

  /**
   * Tight tolerances: each member is then the exact minimiser up to ‖P‖ 1e-7 ≈ 1e-7, far below the Monte Carlo
   * error (~1e-2). (A gradient tolerance of 1e-10 is below round-off here: J ≈ 30 is known to ~1e-14, which
   * resolves gradients down to ~3e-8 only, and the line search then fails honestly.)
   */
  private static EnsembleConfig tight(long seed) {
    return EnsembleConfig.of(seed).withLbfgs(LbfgsConfig.defaults().withTolerances(1e-7, 1e-15));
  }

  @Test
  void linearGaussianMembersAreExactPosteriorDraws() {
    int n = 3000;
    EnsembleMember m = new EnsembleMember(LG.problem, tight(9));
    double[] x = new double[n * 6];
    for (int k = 0; k < n; k++) {
      EnsembleResult r = m.run(k);
      assertTrue(r.converged, () -> r + " g=" + r.gradientNorm);
      System.arraycopy(r.x0, 0, x, 6 * k, 6);
    }
    SampleMoments mom = new SampleMoments(x, n, 6);
    double err = mom.maxStandardisedError(LG.mean, LG.covariance);
    assertTrue(err <= Tol.MC_SIGMAS, "standardised error " + err);
  }

  @Test
  void withoutObservationPerturbationsTheSpreadIsTooSmall() {
    // the test above can fail: members that perturb only the background under-disperse (their covariance is
    // P B⁻¹ P, smaller than P), which the same moment check detects
    int n = 3000;
    EnsembleMember m = new EnsembleMember(LG.problem, tight(9).withPerturbations(true, false));
    double[] x = new double[n * 6];
    for (int k = 0; k < n; k++) {
      System.arraycopy(m.run(k).x0, 0, x, 6 * k, 6);
    }
    assertTrue(new SampleMoments(x, n, 6).maxStandardisedError(LG.mean, LG.covariance) > 2 * Tol.MC_SIGMAS);
  }

  @Test
  void memberIsReproducibleAndIndependentOfTheRunner() {
    EnsembleResult a = new EnsembleMember(LG.problem, tight(4)).run(17);
    EnsembleMember other = new EnsembleMember(LG.problem, tight(4));
    other.run(3); // state from another member must not leak
    EnsembleResult b = other.run(17);
    assertArrayEquals(a.x0, b.x0, 0.0);
    assertArrayEquals(a.costTrace, b.costTrace, 0.0);
    assertEquals(a.cost, b.cost, 0.0);
    assertFalse(Arrays.equals(a.x0, other.run(18).x0));
  }

  @Test
  void perturbationsKeepTheObservedPointsAndStartFromThePerturbedBackground() {
    EnsembleMember m = new EnsembleMember(LG.problem, tight(4));
    FourDVarProblem p = m.perturbedProblem(5);
    double[] y0 = LG.problem.y();
    double[] y1 = p.y();
    for (int i = 0; i < y0.length; i++) {
      assertEquals(Double.isNaN(y0[i]), Double.isNaN(y1[i]));
      if (!Double.isNaN(y0[i])) {
        assertTrue(y0[i] != y1[i]);
      }
    }
    assertArrayEquals(p.xb(), m.run(5).start, 0.0);
  }

  @Test
  void aGivenStartReachesTheSameUniqueMinimum() {
    EnsembleMember m = new EnsembleMember(LG.problem, tight(4));
    EnsembleResult a = m.run(2);
    EnsembleResult b = m.run(2, new double[] {5, -5, 5, -5, 5, -5});
    assertArrayEquals(new double[] {5, -5, 5, -5, 5, -5}, b.start, 0.0);
    for (int i = 0; i < 6; i++) {
      assertEquals(a.x0[i], b.x0[i], Tol.LAPLACE_LINEAR);
    }
  }

  @Test
  void talkMembersNeverReturnNaN() {
    // the talk's fixed-step code lost 10 of its 100 members to NaN; with a line search none may
    FourDVarProblem talk = TalkData.load().problem();
    EnsembleMember m = new EnsembleMember(talk, EnsembleConfig.of(1));
    for (int k = 0; k < 100; k++) {
      EnsembleResult r = m.run(k);
      assertTrue(Blas.allFinite(16, r.x0) && Double.isFinite(r.cost) && Double.isFinite(r.costUnperturbed),
          r::toString);
      assertFalse(r.diverged());
      assertTrue(r.cost <= r.costTrace[0], "the minimiser never increases J");
    }
  }
}
