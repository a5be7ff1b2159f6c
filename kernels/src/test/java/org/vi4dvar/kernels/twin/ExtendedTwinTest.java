package org.vi4dvar.kernels.twin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.model.ModelSpec;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.CorrelationModel;
import org.vi4dvar.kernels.var.FourDVarProblem;

/** Twins with a true forcing of their own, correlated background errors and model error. */
class ExtendedTwinTest {

  private static void assertSameTwin(Twin a, Twin b) {
    assertArrayEquals(a.truth(), b.truth(), 0.0);
    assertArrayEquals(a.problem().xb(), b.problem().xb(), 0.0);
    assertArrayEquals(a.problem().bStd(), b.problem().bStd(), 0.0);
    assertArrayEquals(a.problem().y(), b.problem().y(), 0.0);
    assertArrayEquals(a.problem().obsStd(), b.problem().obsStd(), 0.0);
  }

  @Test
  void optionsOffGiveTheOldTwinBitForBit() {
    TwinConfig c = TwinConfig.talk(42);
    TwinConfig same = c.withTruthForcing(c.forcing()).withBackgroundCorrelation(CorrelationModel.NONE, 0)
        .withModelError(0.0);
    assertFalse(same.hasModelError());
    Twin a = TwinExperiment.generate(c);
    Twin b = TwinExperiment.generate(same);
    assertSameTwin(a, b);
    assertTrue(b.problem().background().diagonal());
    assertEquals(16, b.problem().dimension());
    assertEquals(c, TwinConfig.talk(42), "records compare by value (List, not array)");
  }

  @Test
  void truthForcingDrivesTheTruthNotTheModel() {
    TwinConfig c = TwinConfig.talk(5).withTruthForcing(8.5);
    Twin t = TwinExperiment.generate(c);
    assertEquals(8.0, ((org.vi4dvar.kernels.model.Lorenz96Spec) t.problem().model()).forcing(), 0.0);
    Model m = ModelSpec.lorenz96(16, 8.5, 0.1).newModel();
    double[] traj = new double[16 * 16];
    m.trajectory(Arrays.copyOf(t.truth(), 16), 16, traj);
    assertArrayEquals(traj, t.truth(), 0.0, "the truth is an F = 8.5 trajectory");
    Twin t8 = TwinExperiment.generate(TwinConfig.talk(5));
    assertFalse(Arrays.equals(t8.truth(), t.truth()));
  }

  /** x_b − x0 = B½ z with z the background-noise stream's draws; everything else is the uncorrelated twin's. */
  @Test
  void correlatedBackgroundErrors() {
    TwinConfig c = TwinConfig.talk(7).withBackgroundCorrelation(CorrelationModel.SOAR, 2.0);
    Twin t = TwinExperiment.generate(c);
    Twin plain = TwinExperiment.generate(TwinConfig.talk(7));
    assertArrayEquals(plain.truth(), t.truth(), 0.0);
    assertArrayEquals(plain.problem().y(), t.problem().y(), 0.0);
    assertArrayEquals(plain.problem().bStd(), t.problem().bStd(), 0.0, "the std per point stays");
    ControlTransform b = t.problem().background();
    assertFalse(b.diagonal());
    double[] d = new double[16];
    for (int i = 0; i < 16; i++) {
      d[i] = t.problem().xb(i) - t.truth()[i];
    }
    double[] z = new double[16];
    b.solve(d, z);
    RandomStream r = RandomStream.of(7, Domain.TWIN, 5);
    for (int i = 0; i < 16; i++) {
      assertEquals(r.nextGaussian(), z[i], 1e-12, "z_" + i);
    }
    double[] cov = b.covarianceMatrix();
    assertEquals(CorrelationModel.SOAR.correlation(CorrelationModel.chordalDistance(0, 1, 16), 2.0),
        cov[1] / (t.problem().bStd(0) * t.problem().bStd(1)), 1e-12, "B = D C D");
  }

  /** η_t = x_{t+1} − M(x_t) ~ N(0, q²) over the window, 0 after; the problem is weak constraint with that Q. */
  @Test
  void modelErrorInTheTruth() {
    TwinConfig base = new TwinConfig(11, 40, 8.0, 0.05, 100, 34, 30, 1, Nonlinearity.IDENTITY, 0.5, 1, 0.05, 0.1,
        0.1, 0.2, 1.0);
    double[] q = new double[40];
    for (int i = 0; i < 40; i++) {
      q[i] = i == 7 ? 0.0 : 0.02 * (1 + i % 3);
    }
    Twin t = TwinExperiment.generate(base.withModelError(q));
    Twin plain = TwinExperiment.generate(base);
    assertArrayEquals(Arrays.copyOf(plain.truth(), 40), Arrays.copyOf(t.truth(), 40), 0.0, "same x0");
    Model m = ModelSpec.lorenz96(40, 8.0, 0.05).newModel();
    double[] next = new double[40];
    double s2 = 0;
    int count = 0;
    for (int s = 0; s + 1 < 34; s++) {
      m.step(Arrays.copyOfRange(t.truth(), s * 40, (s + 1) * 40), next);
      for (int i = 0; i < 40; i++) {
        double eta = t.truth()[(s + 1) * 40 + i] - next[i];
        if (s + 1 >= 30 || q[i] == 0) {
          assertEquals(0.0, eta, 0.0, "no error after the window / where q = 0");
        } else {
          s2 += (eta / q[i]) * (eta / q[i]);
          count++;
        }
      }
    }
    // mean of z² over count standard normals: sd √(2/count)
    assertEquals(1.0, s2 / count, Tol.MC_SIGMAS * Math.sqrt(2.0 / count), "η/q has unit variance");
    FourDVarProblem p = t.problem();
    assertTrue(p.weakConstraint());
    assertEquals(40 + 29 * 39, p.dimension());
    assertEquals(q[5], p.modelErrorStd()[3 * 40 + 5], 0.0);
  }

  @Test
  void badTwinConfigIsNamed() {
    TwinConfig c = TwinConfig.talk(1);
    assertMessage("correlation length", () -> c.withBackgroundCorrelation(CorrelationModel.GAUSSIAN, 0));
    assertMessage("correlation length", () -> c.withBackgroundCorrelation(CorrelationModel.SOAR, Double.NaN));
    assertMessage("model error std [0]", () -> c.withModelError(-1));
    assertMessage("one value or nx", () -> c.withModelError(1, 2));
    assertMessage("truthForcing", () -> c.withTruthForcing(Double.POSITIVE_INFINITY));
    assertMessage("bgCorrelation", () -> new TwinConfig(1, 16, 8, 0.1, 64, 16, 12, 1, Nonlinearity.SQUARE, 0.5, 1,
        0.05, 0.1, 0.1, 0.2, 1.0, 8.0, null, 0, List.of()));
    // a Gaussian too long for the grid (L = 8 on 64 points, singular to round-off) fails at generation,
    // naming the pivot
    TwinConfig wide = new TwinConfig(1, 64, 8, 0.1, 64, 16, 12, 1, Nonlinearity.SQUARE, 0.5, 1, 0.05, 0.1, 0.1,
        0.2, 1.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TwinExperiment.generate(wide.withBackgroundCorrelation(CorrelationModel.GAUSSIAN, 8)));
    assertTrue(e.getMessage().contains("pivot"), e.getMessage());
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(part), ex.getMessage());
  }
}
