package org.vi4dvar.kernels.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.model.LinearModel;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.optim.StopReason;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.SampleMoments;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.var.FourDVarProblem;

class MapLaplaceTest {

  private static final LinearGaussian LG = LinearGaussian.standard();

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertClose(double[] expected, double[] actual, double absTol, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], absTol, what + "[" + i + "]");
    }
  }

  @Test
  void linearGaussianMeanAndCovarianceAreExact() {
    for (HessianMethod m : HessianMethod.values()) {
      MapLaplace k = new MapLaplace(LG.problem, LaplaceConfig.defaults().withHessian(m));
      LaplaceResult r = k.runFromBackground();
      assertTrue(r.converged(), r::toString);
      assertTrue(r.positiveDefinite);
      assertClose(LG.mean, r.x0, Tol.LAPLACE_LINEAR * maxAbs(LG.mean), m + " mean");
      assertClose(LG.covariance, r.covariance, Tol.LAPLACE_LINEAR * LG.covarianceScale(), m + " covariance");
      assertClose(LG.precision, r.hessian, Tol.LAPLACE_LINEAR * maxAbs(LG.precision), m + " Hessian");
      assertTrue(r.hessianAsymmetry < Tol.LAPLACE_LINEAR);
    }
  }

  @Test
  void gaussNewtonIsTheExactPrecisionForALinearProblem() {
    MapLaplace k = new MapLaplace(LG.problem, LaplaceConfig.defaults());
    double[] h = new double[36];
    k.gaussNewtonHessian(LG.problem.xb(), h);
    assertClose(LG.precision, h, Tol.LINALG * maxAbs(LG.precision), "GN");
  }

  @Test
  void samplesHaveTheLaplaceMoments() {
    LaplaceResult r = new MapLaplace(LG.problem, LaplaceConfig.defaults()).runFromBackground();
    int n = 20000;
    double[] s = r.samples(RandomStream.of(7, Domain.POSTERIOR_SAMPLE, 0), n);
    SampleMoments mom = new SampleMoments(s, n, 6);
    assertTrue(mom.maxStandardisedError(LG.mean, LG.covariance) <= Tol.MC_SIGMAS);
    // the same stream gives the same draws; one-at-a-time sampling agrees with the batch
    double[] again = r.samples(RandomStream.of(7, Domain.POSTERIOR_SAMPLE, 0), 3);
    double[] one = new double[18];
    RandomStream rs = RandomStream.of(7, Domain.POSTERIOR_SAMPLE, 0);
    for (int i = 0; i < 3; i++) {
      r.sample(rs, one, 6 * i);
    }
    assertArrayEquals(Arrays.copyOf(s, 18), again, 0.0);
    assertArrayEquals(again, one, 0.0);
  }

  /** A one-variable problem J = ½(x − xb)²/σb² + ½(x² − y)²/σo²; J'' = 1/σb² + (6x² − 2y)/σo². */
  private static FourDVarProblem doubleWell() {
    return new FourDVarProblem(new LinearModel(1, new double[] {1.0}),
        new ObservationOperator(1, 1, Nonlinearity.SQUARE), 1, 1, new double[] {0.0}, new double[] {1.0},
        new double[] {4.0}, new double[] {0.5});
  }

  @Test
  void notPositiveDefiniteIsReportedNotThrown() {
    // at x = 0: J'' = 1 − 2·4/0.25 = −31 < 0 (a local maximum between the two wells x ≈ ±2)
    for (HessianMethod m : new HessianMethod[] {HessianMethod.FINITE_DIFFERENCE}) {
      LaplaceResult r = new MapLaplace(doubleWell(), LaplaceConfig.defaults().withHessian(m))
          .laplaceAt(new double[] {0.0});
      assertFalse(r.positiveDefinite);
      assertNull(r.covariance);
      assertNull(r.hessianCholesky);
      assertEquals(-31.0, r.hessian[0], 1e-6);
      assertThrows(IllegalStateException.class, () -> r.samples(RandomStream.of(1, Domain.OTHER, 0), 1));
    }
    // from a start the minimiser finds a well, where the curvature is positive
    LaplaceResult r = new MapLaplace(doubleWell(), LaplaceConfig.defaults()).run(new double[] {0.5});
    assertTrue(r.positiveDefinite && r.converged(), r::toString);
    double x = r.x0[0];
    assertEquals(1.0 + (6 * x * x - 8) / 0.25, r.hessian[0], 1e-6);
  }

  @Test
  void nonFiniteStartIsReportedNotThrown() {
    LaplaceResult r = new MapLaplace(LG.problem, LaplaceConfig.defaults()).run(new double[] {
        Double.NaN, 0, 0, 0, 0, 0});
    assertEquals(StopReason.DIVERGED, r.optim.stopReason);
    assertFalse(r.positiveDefinite);
  }

  @Test
  void finiteDifferenceHessianOnTheTalkIsNearlySymmetricAndConsistent() {
    Twin tw = TalkData.load();
    MapLaplace k = new MapLaplace(tw.problem(), LaplaceConfig.defaults());
    double[] x = Arrays.copyOf(tw.truth(), 16);
    double[] h = new double[256];
    double asym = k.finiteDifferenceHessian(x, h);
    assertTrue(asym < Tol.FD_HESSIAN_ASYMMETRY, "asymmetry " + asym);
    // H v against a directional central difference with another step
    RandomStream r = RandomStream.of(3, Domain.OTHER, 0);
    double[] v = new double[16];
    r.fillGaussian(v, 0, 16);
    org.vi4dvar.kernels.var.FourDVarCost c = new org.vi4dvar.kernels.var.FourDVarCost(tw.problem());
    double e = 1e-5;
    double[] gp = new double[16];
    double[] gm = new double[16];
    double[] xp = x.clone();
    double[] xm = x.clone();
    for (int i = 0; i < 16; i++) {
      xp[i] += e * v[i];
      xm[i] -= e * v[i];
    }
    c.costAndGradient(xp, gp);
    c.costAndGradient(xm, gm);
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < 16; i++) {
      double hv = 0;
      for (int j = 0; j < 16; j++) {
        hv += h[i * 16 + j] * v[j];
      }
      double fd = (gp[i] - gm[i]) / (2 * e);
      scale = Math.max(scale, Math.abs(fd));
      worst = Math.max(worst, Math.abs(hv - fd));
    }
    assertTrue(worst <= Tol.FD_HESSIAN_ASYMMETRY * scale, "Hv mismatch " + worst / scale);
  }

  @Test
  void jitteredStartsAreReproduciblePriorDraws() {
    double[] a = MapLaplace.jitteredStart(LG.problem, LG.problem.xb(), 1.0, 5, 3);
    double[] b = MapLaplace.jitteredStart(LG.problem, LG.problem.xb(), 1.0, 5, 3);
    double[] c = MapLaplace.jitteredStart(LG.problem, LG.problem.xb(), 1.0, 5, 4);
    assertArrayEquals(a, b, 0.0);
    assertFalse(Arrays.equals(a, c));
  }
}
