package org.vi4dvar.kernels.twin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.var.FourDVarProblem;

class TwinExperimentTest {

  static TwinConfig with(long seed, double drop, int stride) {
    TwinConfig t = TwinConfig.talk(seed);
    return new TwinConfig(seed, t.nx(), t.forcing(), t.dt(), t.spinup(), t.nStates(), t.nAssim(), t.pooling(),
        t.nonlinearity(), drop, stride, t.obsNoiseMin(), t.obsNoiseMax(), t.bgNoiseMin(), t.bgNoiseMax(),
        t.initStd());
  }

  @Test
  void sameSeedGivesTheSameDatasetAndAnotherSeedAnother() {
    Twin a = TwinExperiment.generate(TwinConfig.talk(11));
    Twin b = TwinExperiment.generate(TwinConfig.talk(11));
    Twin c = TwinExperiment.generate(TwinConfig.talk(12));
    assertArrayEquals(a.truth(), b.truth(), 0.0);
    assertArrayEquals(a.problem().y(), b.problem().y(), 0.0);
    assertArrayEquals(a.problem().obsStd(), b.problem().obsStd(), 0.0);
    assertArrayEquals(a.problem().xb(), b.problem().xb(), 0.0);
    assertArrayEquals(a.problem().bStd(), b.problem().bStd(), 0.0);
    assertFalse(Arrays.equals(a.truth(), c.truth()));
  }

  @Test
  void truthIsTheModelTrajectoryAndTheWindowHasTheConfiguredShape() {
    Twin tw = TwinExperiment.generate(TwinConfig.talk(7));
    FourDVarProblem p = tw.problem();
    assertEquals(16 * 16, tw.truth().length);
    assertEquals(12, p.nAssim());
    Model m = p.model().newModel();
    double[] traj = new double[16 * 16];
    m.trajectory(Arrays.copyOf(tw.truth(), 16), 16, traj);
    assertArrayEquals(tw.truth(), traj, 0.0);
  }

  @Test
  void changingTheDropChangesTheMaskButNotTheTruth() {
    Twin a = TwinExperiment.generate(with(3, 0.5, 1));
    Twin b = TwinExperiment.generate(with(3, 0.2, 1));
    assertArrayEquals(a.truth(), b.truth(), 0.0);
    assertArrayEquals(a.problem().xb(), b.problem().xb(), 0.0);
    assertTrue(b.problem().nObs() > a.problem().nObs());
  }

  /**
   * Over 60 twins (60 × 11 × 16 = 10,560 observable points) the observed fraction is 1 − drop within 4
   * binomial standard deviations (√(0.25/10560) ≈ 0.005); t = 0 is never observed; the standardised noise
   * (y − h(x))/σ has mean 0 ± 4/√n and variance 1 ± 4√(2/n).
   */
  @Test
  void reproducesTheRecipeStatistics() {
    int observed = 0;
    int observable = 0;
    double sum = 0;
    double sum2 = 0;
    int nz = 0;
    for (long seed = 0; seed < 60; seed++) {
      Twin tw = TwinExperiment.generate(TwinConfig.talk(seed));
      FourDVarProblem p = tw.problem();
      ObservationOperator h = p.obs();
      double[] y = p.y();
      double[] s = p.obsStd();
      double[] clean = new double[p.nAssim() * p.ny()];
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      double[] row = new double[p.ny()];
      for (int t = 0; t < p.nAssim(); t++) {
        h.apply(tw.truth(), t * p.nx(), row);
        for (int j = 0; j < p.ny(); j++) {
          clean[t * p.ny() + j] = row[j];
          lo = Math.min(lo, row[j]);
          hi = Math.max(hi, row[j]);
        }
      }
      double half = 0.5 * (hi - lo);
      for (int j = 0; j < p.ny(); j++) {
        assertFalse(p.observed(0, j), "t = 0 must never be observed");
      }
      for (int t = 1; t < p.nAssim(); t++) {
        for (int j = 0; j < p.ny(); j++) {
          observable++;
          int k = t * p.ny() + j;
          if (p.observed(t, j)) {
            observed++;
            double frac = s[k] / half;
            assertTrue(frac >= 0.05 && frac <= 0.10, "obs std fraction " + frac);
            double z = (y[k] - clean[k]) / s[k];
            sum += z;
            sum2 += z * z;
            nz++;
          }
        }
      }
      double x0lo = Arrays.stream(tw.truth(), 0, 16).min().getAsDouble();
      double x0hi = Arrays.stream(tw.truth(), 0, 16).max().getAsDouble();
      for (int i = 0; i < 16; i++) {
        double frac = p.bStd(i) / (0.5 * (x0hi - x0lo));
        assertTrue(frac >= 0.10 && frac <= 0.20, "background std fraction " + frac);
      }
    }
    double fraction = (double) observed / observable;
    assertEquals(0.5, fraction, 4 * Math.sqrt(0.25 / observable));
    double mean = sum / nz;
    double var = sum2 / nz - mean * mean;
    assertEquals(0.0, mean, 4 / Math.sqrt(nz));
    assertEquals(1.0, var, 4 * Math.sqrt(2.0 / nz));
  }

  @Test
  void timeStrideObservesOnlyEveryKthState() {
    FourDVarProblem p = TwinExperiment.generate(with(9, 0.0, 3)).problem();
    for (int t = 0; t < p.nAssim(); t++) {
      for (int j = 0; j < p.ny(); j++) {
        assertEquals(t > 0 && t % 3 == 0, p.observed(t, j), "t=" + t);
      }
    }
  }

  @Test
  void poolingAndNonlinearityAreHonoured() {
    TwinConfig t = TwinConfig.talk(1);
    TwinConfig c = new TwinConfig(1, 40, 8, 0.05, 10, 10, 6, 4, Nonlinearity.TANH, 0.3, 2, 0.05, 0.1, 0.1,
        0.2, 1.0);
    FourDVarProblem p = TwinExperiment.generate(c).problem();
    assertEquals(10, p.ny());
    assertEquals(Nonlinearity.TANH, p.obs().nonlinearity());
    assertEquals(16, TwinExperiment.generate(t).problem().ny());
  }

  @Test
  void configValidationNamesTheField() {
    TwinConfig t = TwinConfig.talk(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TwinConfig(1, 16, 8, 0.1,
        64, 16, 17, 1, Nonlinearity.SQUARE, 0.5, 1, 0.05, 0.1, 0.1, 0.2, 1));
    assertTrue(e.getMessage().contains("nAssim"));
    e = assertThrows(IllegalArgumentException.class, () -> with(1, 1.0, 1));
    assertTrue(e.getMessage().contains("drop"));
    e = assertThrows(IllegalArgumentException.class, () -> new TwinConfig(1, 16, 8, 0.1, 64, 16, 12, 3,
        Nonlinearity.SQUARE, 0.5, 1, 0.05, 0.1, 0.1, 0.2, 1));
    assertTrue(e.getMessage().contains("pooling"));
    assertEquals(16, t.nx());
  }
}
