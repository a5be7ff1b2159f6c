package org.vi4dvar.kernels.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.optim.LbfgsConfig;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.SampleMoments;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.var.ControlSpace;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.MinimizationSpace;

/**
 * Ensemble members with a correlated B and with the weak constraint: each perturbs its prior mean through the
 * control transform ({@code x_b + B½ z}, {@code η^b + Q½ z}), minimises in the whitened variable of its own
 * prior, and for a linear-Gaussian problem is an exact posterior draw of the whole control.
 */
class ExtendedEnsembleTest {

  private static EnsembleConfig tight(long seed) {
    return EnsembleConfig.of(seed).withLbfgs(LbfgsConfig.defaults().withTolerances(1e-7, 1e-15));
  }

  private static double[] members(LinearGaussian lg, EnsembleConfig cfg, int n) {
    EnsembleMember m = new EnsembleMember(lg.problem, cfg);
    int d = lg.mean.length;
    double[] x = new double[n * d];
    for (int k = 0; k < n; k++) {
      EnsembleResult r = m.run(k);
      assertTrue(r.converged, r::toString);
      System.arraycopy(r.x0, 0, x, d * k, d);
    }
    return x;
  }

  @Test
  void correlatedBackgroundMembersAreExactPosteriorDraws() {
    LinearGaussian lg = LinearGaussian.correlated();
    int n = 3000;
    double err = new SampleMoments(members(lg, tight(9), n), n, 6).maxStandardisedError(lg.mean, lg.covariance);
    assertTrue(err <= Tol.MC_SIGMAS, "standardised error " + err);
  }

  @Test
  void weakConstraintMembersAreExactDrawsOfTheControl() {
    LinearGaussian lg = LinearGaussian.weak();
    int n = 3000;
    int d = lg.mean.length;
    double err = new SampleMoments(members(lg, tight(10), n), n, d).maxStandardisedError(lg.mean, lg.covariance);
    assertTrue(err <= Tol.MC_SIGMAS, "standardised error " + err);
  }

  /** Background perturbations go through B½ (and η ones through Q½), from the member's stream in order. */
  @Test
  void perturbationsGoThroughTheTransform() {
    LinearGaussian lg = LinearGaussian.weak();
    FourDVarProblem p = lg.problem;
    ControlSpace s = p.control();
    EnsembleMember m = new EnsembleMember(p, tight(4));
    FourDVarProblem pk = m.perturbedProblem(5);
    RandomStream r = RandomStream.of(4, Domain.ENSEMBLE_MEMBER, 5);
    double[] zb = new double[6];
    r.fillGaussian(zb, 0, 6);
    double[] bz = new double[6];
    s.background().apply(zb, bz);
    for (int i = 0; i < 6; i++) {
      assertEquals(p.xb(i) + bz[i], pk.xb(i), 1e-14 * (1 + Math.abs(pk.xb(i))));
    }
    for (int k = 0; k < p.nObs(); k++) {
      r.nextGaussian();
    }
    double[] ck = pk.control().centerVector();
    for (int i = 6; i < s.n(); i++) {
      assertEquals(s.scale(i) * r.nextGaussian(), ck[i], 0.0, "η^b_" + i);
    }
    EnsembleResult res = m.run(5);
    assertArrayEquals(ck, res.start, 0.0, "starts at its perturbed prior mean (v = 0)");
  }

  @Test
  void bothSpacesReachTheSameMember() {
    LinearGaussian lg = LinearGaussian.correlated();
    EnsembleResult a = new EnsembleMember(lg.problem, tight(3)).run(7);
    EnsembleResult b = new EnsembleMember(lg.problem, tight(3).withSpace(MinimizationSpace.CONTROL)).run(7);
    for (int i = 0; i < 6; i++) {
      assertEquals(a.x0[i], b.x0[i], Tol.LAPLACE_LINEAR);
    }
  }
}
