package org.vi4dvar.kernels.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.KalmanSmoother;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.SampleMoments;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.var.ControlSpace;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.MinimizationSpace;

/**
 * MAP + Laplace with a correlated B and with the weak constraint, against exact answers: the closed-form
 * linear-Gaussian posterior ({@link LinearGaussian}) and an independent Kalman/RTS smoother
 * ({@link KalmanSmoother}) for a linear model with additive Gaussian model error.
 */
class ExtendedControlLaplaceTest {

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertClose(double[] expected, double[] actual, double absTol, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], absTol, what + "[" + i + "]");
    }
  }

  private static LaplaceConfig config(HessianMethod h, MinimizationSpace s) {
    return LaplaceConfig.defaults().withHessian(h).withSpace(s);
  }

  /** Correlated B (SOAR, L = 2): the MAP is the exact mean, H the exact precision, in either space. */
  @ParameterizedTest
  @EnumSource(MinimizationSpace.class)
  void correlatedBackgroundLaplaceIsExact(MinimizationSpace space) {
    LinearGaussian lg = LinearGaussian.correlated();
    assertTrue(!lg.problem.background().diagonal());
    for (HessianMethod m : HessianMethod.values()) {
      LaplaceResult r = new MapLaplace(lg.problem, config(m, space)).runFromBackground();
      assertTrue(r.converged() && r.positiveDefinite, r::toString);
      assertClose(lg.mean, r.x0, Tol.LAPLACE_LINEAR * maxAbs(lg.mean), m + " mean");
      assertClose(lg.precision, r.hessian, Tol.LAPLACE_LINEAR * maxAbs(lg.precision), m + " Hessian");
      assertClose(lg.covariance, r.covariance, Tol.LAPLACE_LINEAR * lg.covarianceScale(), m + " covariance");
    }
  }

  /** The Gauss–Newton B⁻¹ term is the dense precision: exact for a linear problem to round-off. */
  @Test
  void gaussNewtonWithDenseBIsTheExactPrecision() {
    LinearGaussian lg = LinearGaussian.correlated();
    double[] h = new double[36];
    new MapLaplace(lg.problem, LaplaceConfig.defaults()).gaussNewtonHessian(lg.problem.xb(), h);
    assertClose(lg.precision, h, Tol.LINALG * 10 * maxAbs(lg.precision), "GN");
  }

  /** The whitened Hessian Sᵀ H S of the Laplace result is I + Sᵀ H_o S: its eigenvalues (pivots) ≥ 1. */
  @Test
  void whitenedHessianHasThePriorAsIdentity() {
    LinearGaussian lg = LinearGaussian.correlated();
    LaplaceResult r = new MapLaplace(lg.problem, LaplaceConfig.defaults()).runFromBackground();
    double[] hv = r.whitenedHessian(lg.problem.control());
    // Sᵀ H S − I = Sᵀ H_o S is positive semi-definite: its smallest eigenvalue ≥ −round-off
    double[] shifted = hv.clone();
    for (int i = 0; i < 6; i++) {
      shifted[i * 6 + i] -= 1.0 - 1e-9;
    }
    assertTrue(org.vi4dvar.kernels.linalg.Cholesky.decompose(6, shifted, new double[36]), "H_v − I ≥ 0");
  }

  /** Weak constraint: the MAP and the Laplace covariance over (x0, η) are the exact posterior of the control. */
  @ParameterizedTest
  @EnumSource(MinimizationSpace.class)
  void weakConstraintLaplaceIsTheExactControlPosterior(MinimizationSpace space) {
    LinearGaussian lg = LinearGaussian.weak();
    ControlSpace cs = lg.problem.control();
    assertEquals(6 + 5 * 4, cs.n(), "x0 + 5 components at steps 0, 2, 3, 4 (step 1 and component 2 have q = 0)");
    for (HessianMethod m : HessianMethod.values()) {
      LaplaceResult r = new MapLaplace(lg.problem, config(m, space)).runFromBackground();
      assertTrue(r.converged() && r.positiveDefinite, r::toString);
      assertClose(lg.mean, r.x0, Tol.LAPLACE_LINEAR * maxAbs(lg.mean), m + " mean");
      assertClose(lg.covariance, r.covariance, Tol.LAPLACE_LINEAR * lg.covarianceScale(), m + " covariance");
    }
  }

  /**
   * The exact test: the weak-constraint MAP + Laplace, propagated linearly (the control's trajectory
   * and {@code L_t Σ_c L_tᵀ} with L the window's tangent), equals the Kalman/RTS smoother's mean and covariance
   * of every x_t — the assimilated states and the forecast ones — to round-off.
   */
  @ParameterizedTest
  @EnumSource(HessianMethod.class)
  void weakConstraintMatchesTheRtsSmoother(HessianMethod method) {
    LinearGaussian lg = LinearGaussian.weak();
    FourDVarProblem p = lg.problem;
    final int nx = p.nx();
    final int nAssim = p.nAssim();
    final int nStates = p.nStates();
    KalmanSmoother ks = KalmanSmoother.run(lg.a, p.xb(), lg.b, p.modelErrorStd(), p.y(), p.obsStd(), nAssim,
        nStates);

    LaplaceResult r = new MapLaplace(p, config(method, MinimizationSpace.WHITENED)).runFromBackground();
    assertTrue(r.converged() && r.positiveDefinite, r::toString);
    ControlSpace cs = p.control();
    double[] traj = cs.trajectory(r.x0, p.model(), nStates);
    double meanScale = maxAbs(ks.mean);
    assertClose(ks.mean, traj, Tol.LAPLACE_LINEAR * meanScale, "smoothed mean");

    // the window's tangent L (columns: tangent of e_k), then the forecast by A (no model error after the window)
    final int n = cs.n();
    FourDVarCost cost = new FourDVarCost(p);
    cost.linearize(r.x0);
    double[] jac = new double[nStates * nx * n];
    double[] e = new double[n];
    double[] dtraj = new double[nAssim * nx];
    for (int k = 0; k < n; k++) {
      e[k] = 1.0;
      cost.tangent(e, dtraj);
      e[k] = 0.0;
      for (int row = 0; row < nAssim * nx; row++) {
        jac[row * n + k] = dtraj[row];
      }
    }
    for (int t = nAssim; t < nStates; t++) {
      for (int i = 0; i < nx; i++) {
        for (int k = 0; k < n; k++) {
          double s = 0;
          for (int j = 0; j < nx; j++) {
            s += lg.a[i * nx + j] * jac[((t - 1) * nx + j) * n + k];
          }
          jac[(t * nx + i) * n + k] = s;
        }
      }
    }
    double covScale = ks.covarianceScale();
    for (int t = 0; t < nStates; t++) {
      double[] ct = new double[nx * nx];
      for (int i = 0; i < nx; i++) {
        for (int j = 0; j < nx; j++) {
          double s = 0;
          for (int k = 0; k < n; k++) {
            for (int l = 0; l < n; l++) {
              s += jac[(t * nx + i) * n + k] * r.covariance[k * n + l] * jac[(t * nx + j) * n + l];
            }
          }
          ct[i * nx + j] = s;
        }
      }
      assertClose(ks.cov[t], ct, Tol.LAPLACE_LINEAR * covScale, "smoothed covariance of x_" + t);
    }
    // and the test helpers agree with each other: the closed form of LinearGaussian is the smoother's too
    assertClose(ks.mean, lg.trajectoryMean(), Tol.LAPLACE_LINEAR * meanScale, "closed-form mean");
    for (int t = 0; t < nStates; t++) {
      assertClose(ks.cov[t], lg.stateCovariance(t), Tol.LAPLACE_LINEAR * covScale, "closed-form cov " + t);
    }
  }

  /**
   * Q → 0 is the strong constraint: with q = 10⁻¹, 10⁻², 10⁻³ the weak-constraint MAP of x0 tends to the
   * strong one as O(q²) (the posterior mean is smooth in q²: each decade of q divides the gap by ≈ 100), and
   * q = 0 everywhere is the strong-constraint problem itself (the control is x0 alone, bit for bit).
   */
  @Test
  void vanishingModelErrorGivesTheStrongConstraintMap() {
    LinearGaussian lg = LinearGaussian.create(20240, 6, 8, 6, 0.4, 0.3, 0.6,
        org.vi4dvar.kernels.var.CorrelationModel.SOAR, 2.0, null);
    FourDVarProblem strong = lg.problem;
    LaplaceConfig cfg = LaplaceConfig.defaults();
    double[] x0Strong = new MapLaplace(strong, cfg).runFromBackground().x0;
    double prev = Double.NaN;
    for (double q : new double[] {1e-1, 1e-2, 1e-3}) {
      FourDVarProblem weak = strong.withModelError(FourDVarProblem.modelErrorStd(6, 6, q));
      assertEquals(6 + 5 * 6, weak.dimension());
      LaplaceResult r = new MapLaplace(weak, cfg).runFromBackground();
      assertTrue(r.converged(), r::toString);
      double gap = 0;
      for (int i = 0; i < 6; i++) {
        gap = Math.max(gap, Math.abs(r.x0[i] - x0Strong[i]));
      }
      if (!Double.isNaN(prev)) {
        double ratio = prev / gap;
        assertTrue(ratio > 50 && ratio < 200, "gap ratio per decade of q " + ratio + " (gap " + gap + ")");
      }
      prev = gap;
    }
    assertTrue(prev < 1e-4, "q = 1e-3: the weak MAP of x0 is within 1e-4 of the strong one, got " + prev);
    FourDVarProblem zero = strong.withModelError(new double[5 * 6]);
    assertEquals(6, zero.dimension());
    LaplaceResult a = new MapLaplace(strong, cfg).runFromBackground();
    LaplaceResult b = new MapLaplace(zero, cfg).runFromBackground();
    assertArrayEquals(a.x0, b.x0, 0.0);
    assertArrayEquals(a.covariance, b.covariance, 0.0);
  }

  /** Laplace samples of the weak-constraint control have the exact posterior moments. */
  @Test
  void weakConstraintSamplesHaveTheExactMoments() {
    LinearGaussian lg = LinearGaussian.weak();
    LaplaceResult r = new MapLaplace(lg.problem, LaplaceConfig.defaults()).runFromBackground();
    int n = 20000;
    int d = lg.mean.length;
    double[] s = r.samples(RandomStream.of(7, Domain.POSTERIOR_SAMPLE, 0), n);
    assertTrue(new SampleMoments(s, n, d).maxStandardisedError(lg.mean, lg.covariance) <= Tol.MC_SIGMAS);
  }

  /** Multi-start jitter with dense B and a weak control: {@code center + scale · S z}, z in component order. */
  @Test
  void jitteredStartsGoThroughTheControlTransform() {
    LinearGaussian lg = LinearGaussian.weak();
    ControlSpace cs = lg.problem.control();
    double[] center = cs.centerVector();
    double[] x = MapLaplace.jitteredStart(lg.problem, center, 2.0, 5, 3);
    RandomStream r = RandomStream.of(5, Domain.MAP_START, 3);
    double[] z = new double[cs.n()];
    r.fillGaussian(z, 0, z.length);
    double[] sz = new double[cs.n()];
    cs.apply(z, sz);
    for (int i = 0; i < z.length; i++) {
      assertEquals(center[i] + 2.0 * sz[i], x[i], 1e-14 * (1 + Math.abs(x[i])), "component " + i);
    }
    assertTrue(!Arrays.equals(x, MapLaplace.jitteredStart(lg.problem, center, 2.0, 5, 4)));
  }

  /** MultiStart compares points in prior standard deviations of the whole control. */
  @Test
  void multiStartUsesTheControlScale() {
    LinearGaussian lg = LinearGaussian.weak();
    MapLaplace k = new MapLaplace(lg.problem, LaplaceConfig.defaults());
    LaplaceResult a = k.runFromBackground();
    double[] far = a.x0.clone();
    int eta = lg.problem.control().etaOffset();
    far[eta] += 0.5 * lg.problem.control().scale(eta);
    LaplaceResult b = k.laplaceAt(far);
    LaplaceResult fake = new LaplaceResult(a.nx, a.start, far, a.cost, a.backgroundCost, a.observationCost,
        a.optim, a.hessianMethod, a.hessian, 0, true, a.hessianCholesky, a.covariance);
    int[] ids = MultiStart.minimumIds(new LaplaceResult[] {a, fake}, lg.problem);
    assertEquals(2, MultiStart.distinct(ids), "0.5 σ_η apart in an η component: two minima");
    assertTrue(b.cost > a.cost);
  }
}
