package org.vi4dvar.kernels.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.MixturePosterior;
import org.vi4dvar.kernels.testing.Targets;
import org.vi4dvar.kernels.var.ControlTransform;

/** Mixture VI (issue 14 §2–3) and the restart mixture. */
class MixtureViTest {

  /** Two overlapping Gaussians, weights 0.3 / 0.7 (log Z = 0); the second correlated. */
  private static final double[] W = {0.3, 0.7};
  private static final double[][] M = {{-1.5, 0}, {1.2, 0.6}};
  private static final double[][] L = {{0.5, 0, 0, 1}, {0.9, 0, 0.45, 0.8}};
  /** The same with diagonal covariances: a mixture of mean-field components contains it. */
  private static final double[][] L_DIAGONAL = {{0.5, 0, 0, 1}, {0.9, 0, 0, 0.8}};

  @Test
  void theMixtureRecoversTheWeightsAndBeatsASingleGaussian() {
    ControlTransform id = Targets.identity(2);
    // starts near (not at) the modes, with a third of their scale: as the cascade's distinct minima would be
    ViStart[] starts = {ViStart.isotropic(new double[] {-1, 0.3}, 0.3), ViStart.isotropic(new double[] {1, 0}, 0.3)};
    for (VariationalFamily comp : new VariationalFamily[] {VariationalFamily.FULL_RANK,
        VariationalFamily.MEAN_FIELD}) {
      // each family of components on a target it contains
      DifferentiableFunction f = Targets.gaussianMixture2d(W, M,
          comp == VariationalFamily.FULL_RANK ? L : L_DIAGONAL);
      VariationalConfig c = VariationalConfig.builder(1).family(VariationalFamily.MIXTURE).mixture(2, comp).build();
      VariationalResult r = new VariationalInference(f, id, c).runMixture(0, starts);
      assertEquals(ViStopReason.CONVERGED, r.stopReason, r.toString());
      MixturePosterior mp = (MixturePosterior) r.posterior;
      assertEquals(2, mp.components());
      // component k started near mode k
      for (int k = 0; k < 2; k++) {
        double[] mean = ((GaussianPosterior) mp.component(k)).mean();
        assertTrue(Math.hypot(mean[0] - M[k][0], mean[1] - M[k][1]) < 0.3, comp + " component " + k);
        assertEquals(W[k], mp.weight(k), 0.05, comp + " weight " + k);
      }
      VariationalResult single = new VariationalInference(f, id, VariationalConfig.builder(1).family(comp).build())
          .run(0, starts[1]);
      assertTrue(r.elbo > single.elbo + 3 * Math.hypot(r.elboStdErr, single.elboStdErr), r + " vs " + single);
      // the family contains the target: the ELBO is log Z
      assertEquals(0.0, r.elbo, 3 * r.elboStdErr + 0.02, r.toString());
    }
  }

  @Test
  void theRestartMixtureIsTheSoftmaxOfTheRestartsElbos() {
    double[] w = RestartMixture.weights(new double[] {-1.0, Double.NEGATIVE_INFINITY, -1.0 + Math.log(3)});
    assertEquals(0.25, w[0], 1e-15);
    assertEquals(0.0, w[1], 0.0);
    assertEquals(0.75, w[2], 1e-15);
    assertEquals(0.0, RestartMixture.weights(new double[] {Double.NEGATIVE_INFINITY})[0], 0.0);
    DifferentiableFunction f = Targets.gaussianMixture2d(W, M, L);
    ControlTransform id = Targets.identity(2);
    VariationalInference vi = new VariationalInference(f, id, VariationalConfig.builder(4).build());
    VariationalResult[] runs = {vi.run(0, ViStart.isotropic(new double[] {-1.5, 0}, 0.3)),
        vi.run(1, ViStart.isotropic(new double[] {1.2, 0.6}, 0.3))};
    MixturePosterior mp = RestartMixture.of(runs, 4, 9);
    double[] expected = RestartMixture.weights(new double[] {runs[0].elbo, runs[1].elbo});
    assertEquals(expected[0], mp.weight(0), 1e-15);
    assertEquals(2, mp.diagnostics().count("restarts"));
    assertThrows(IllegalArgumentException.class, () -> RestartMixture.of(new VariationalResult[0], 1, 1));
  }
}
