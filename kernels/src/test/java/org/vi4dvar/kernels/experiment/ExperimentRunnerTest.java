package org.vi4dvar.kernels.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.config.EnsembleSettings;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.stats.TrajectorySummary;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.twin.Twin;

/** The whole cascade in one JVM: deterministic for any parallelism, exact where the answer is known. */
class ExperimentRunnerTest {

  private static ExperimentResult talk(Parallel par) {
    Twin t = TalkData.load();
    return ExperimentRunner.run(new ExperimentInputs(t.problem(), t.truth(), Settings.small().build()), par,
        ExperimentListener.NONE, null);
  }

  private static void assertSamePosterior(Posterior a, Posterior b) {
    Moments ma = a.exactMoments();
    Moments mb = b.exactMoments();
    assertArrayEquals(ma.mean, mb.mean);
    assertArrayEquals(ma.variance, mb.variance);
    double[] x = new double[a.dimension()];
    double[] y = new double[a.dimension()];
    for (long i = 0; i < 5 && i < a.draws(5); i++) {
      assertEquals(a.sampler().draw(i, x), b.sampler().draw(i, y));
      assertArrayEquals(x, y);
    }
  }

  private static void assertSameSummary(TrajectorySummary a, TrajectorySummary b) {
    assertArrayEquals(a.mean, b.mean);
    assertArrayEquals(a.std, b.std);
    for (int q = 0; q < a.quantiles.length; q++) {
      assertArrayEquals(a.quantiles[q], b.quantiles[q]);
    }
    for (int c = 0; c < a.covariances.length; c++) {
      assertArrayEquals(a.covariances[c], b.covariances[c]);
    }
    assertEquals(a.assim.crps, b.assim.crps);
    assertArrayEquals(a.assim.rankHistogram, b.assim.rankHistogram);
  }

  @Test
  void theSamePosteriorsForAnyParallelism() {
    ExperimentResult a = talk(LocalParallel.sequential());
    ExperimentResult b = talk(LocalParallel.threads(2).withTasks(5));
    // the four default methods and the importance corrections of MAP and VI (psis.methods)
    assertEquals(6, a.methods.size());
    assertSameSummary(a.prior.summary(), b.prior.summary());
    for (int i = 0; i < a.methods.size(); i++) {
      MethodResult x = a.methods.get(i);
      MethodResult y = b.methods.get(i);
      assertEquals(x.name, y.name);
      assertTrue(x.available(), x.name + ": " + x.unavailable);
      assertSamePosterior(x.posterior, y.posterior);
      assertSameSummary(x.summary(), y.summary());
      assertEquals(x.diagnostics.objectiveValue, y.diagnostics.objectiveValue);
      assertEquals(x.tables.size(), y.tables.size());
    }
    // the cascade order and the talk's numbers: every method beats the background
    assertEquals(List.of("abc", "map", "ensemble", "vi", "map-is", "vi-is"),
        a.methods.stream().map(m -> m.name).toList());
    double bg = a.prior.summary().assim.rmse;
    for (MethodResult m : a.methods) {
      assertTrue(m.summary().assim.rmse < bg, m.name + " rmse " + m.summary().assim.rmse + " vs prior " + bg);
    }
  }

  @Test
  void laplaceAndEnsembleAreExactOnALinearGaussianProblem() {
    LinearGaussian lg = LinearGaussian.standard();
    Settings s = Settings.small();
    s.methods = List.of("map", "ensemble");
    s.model = new org.vi4dvar.kernels.config.ModelSettings(6, 8.0, 0.1);
    s.window = new org.vi4dvar.kernels.config.WindowSettings(8, 6);
    s.output = new org.vi4dvar.kernels.config.OutputSettings(List.of(0, 5, 7), 0, 5, false);
    s.obs = new org.vi4dvar.kernels.config.ObsSettings(org.vi4dvar.kernels.obs.Nonlinearity.IDENTITY, 1, 0.4, 1,
        new org.vi4dvar.kernels.config.NoiseRange("obs.noise", 0.05, 0.1));
    s.ensemble = new EnsembleSettings(40, StartPoint.BACKGROUND, 500);
    ExperimentResult r = ExperimentRunner.run(new ExperimentInputs(lg.problem, lg.truth, s.build()),
        LocalParallel.threads(2), ExperimentListener.NONE, null);
    assertFalse(r.exploration.isEmpty(), "ABC explored for MAP's starts");
    Moments m = r.method("map").posterior.exactMoments();
    int n = lg.mean.length;
    for (int i = 0; i < n; i++) {
      assertEquals(lg.mean[i], m.mean[i], Tol.LAPLACE_LINEAR * (1 + Math.abs(lg.mean[i])));
      for (int j = 0; j < n; j++) {
        assertEquals(lg.covariance[i * n + j], m.cov(i, j), Tol.LAPLACE_LINEAR * lg.covariance[i * n + i],
            "cov " + i + "," + j);
      }
    }
    // the ensemble's exact moments are its members' sample moments: the x0 covariance of the statistics
    MethodResult e = r.method("ensemble");
    Moments em = e.posterior.exactMoments();
    TrajectorySummary es = e.summary();
    assertEquals(0, es.covTimes[0]);
    for (int i = 0; i < n * n; i++) {
      assertEquals(em.covariance[i], es.covariances[0][i], 1e-12 * (1 + Math.abs(em.covariance[i])));
    }
    for (int i = 0; i < n; i++) {
      assertEquals(em.mean[i], es.mean[i], 1e-12 * (1 + Math.abs(em.mean[i])));
    }
  }

  @Test
  void aMethodWithoutPosteriorIsAnOutcome() {
    Twin t = TalkData.load();
    Settings s = Settings.small();
    s.methods = List.of("abc");
    s.abc = new org.vi4dvar.kernels.config.AbcSettings(4096, 0.01, 0.0, org.vi4dvar.kernels.abc.AbcDistance.OBSERVATION,
        4096, 10, true);
    ExperimentResult r = ExperimentRunner.run(new ExperimentInputs(t.problem(), t.truth(), s.build()),
        LocalParallel.sequential(), ExperimentListener.NONE, null);
    MethodResult abc = r.method("abc");
    assertFalse(abc.available());
    assertNull(abc.posterior);
    assertNotNull(abc.unavailable);
    assertTrue(abc.unavailable.contains("no trial was accepted"), abc.unavailable);
    assertFalse(abc.unavailable.contains("exact likelihood rejection"), abc.unavailable);
    assertFalse(r.anyAvailable());
    // the documented exact mode (likelihood distance, threshold 0) says why it accepted nothing
    s.abc = new org.vi4dvar.kernels.config.AbcSettings(4096, 0.01, 0.0,
        org.vi4dvar.kernels.abc.AbcDistance.LIKELIHOOD_REJECTION, 4096, 10, true);
    MethodResult exact = ExperimentRunner.run(new ExperimentInputs(t.problem(), t.truth(), s.build()),
        LocalParallel.sequential(), ExperimentListener.NONE, null).method("abc");
    assertFalse(exact.available());
    assertTrue(exact.unavailable.contains("exact likelihood rejection keeps a trial with probability exp(−Jo)")
        && exact.unavailable.contains("abc.keep"), exact.unavailable);
  }

  /**
   * Issue 10 #5: observation stds of 1e-10, 1e-30 and 1e-149 (inside the documented range; J reaches ~1e300 and
   * the Laplace Hessians ~1e298) once ended in a NullPointerException from a failed factorisation. Now the cascade
   * runs to the end, and every method either has a finite posterior mean everywhere or is unavailable with a
   * reason.
   */
  @Test
  void tinyObservationErrorsEndInAnOutcomeNeverAnException() {
    Twin t = TalkData.load();
    for (double std : new double[] {1e-10, 1e-30, 1e-149}) {
      double[] obsStd = t.problem().obsStd().clone();
      for (int k = 0; k < obsStd.length; k++) {
        obsStd[k] = Double.isNaN(obsStd[k]) ? Double.NaN : std;
      }
      var p = t.problem();
      var tiny = new org.vi4dvar.kernels.var.FourDVarProblem(p.model(), p.obs(), p.nStates(), p.nAssim(), p.xb(),
          p.bStd(), p.y(), obsStd);
      ExperimentResult r = ExperimentRunner.run(new ExperimentInputs(tiny, t.truth(), Settings.small().build()),
          LocalParallel.sequential(), ExperimentListener.NONE, null);
      for (MethodResult m : r.methods) {
        if (m.available()) {
          for (double v : m.summary().mean) {
            assertTrue(Double.isFinite(v), m.name + " at obs std " + std + ": non-finite posterior mean");
          }
        } else {
          assertNotNull(m.unavailable, m.name);
          assertFalse(m.unavailable.isBlank(), m.name);
        }
      }
      assertTrue(r.anyAvailable(), "obs std " + std);
    }
  }

  /**
   * ABC's early rejection changes no result, only the work: the same kept trials, distances, costs and x0 (hence
   * the same posterior statistics) with it on (two threads sharing a bound) and off (one thread), and it does
   * skip model steps on the talk's data (beyond the first 65,536 trials, which are evaluated in full).
   */
  @Test
  void abcEarlyRejectionChangesNoResult() {
    Twin t = TalkData.load();
    MethodResult[] abc = new MethodResult[2];
    for (int on = 0; on < 2; on++) {
      Settings s = Settings.small();
      s.methods = List.of("abc");
      s.abc = new org.vi4dvar.kernels.config.AbcSettings(150_000, 0.001, null,
          org.vi4dvar.kernels.abc.AbcDistance.OBSERVATION, 2048, 100, on == 1);
      abc[on] = ExperimentRunner.run(new ExperimentInputs(t.problem(), t.truth(), s.build()),
          on == 1 ? LocalParallel.threads(2) : LocalParallel.sequential(), ExperimentListener.NONE, null)
          .method("abc");
    }
    for (int i = 0; i < abc[0].tables.size(); i++) {
      Table a = abc[0].tables.get(i);
      Table b = abc[1].tables.get(i);
      assertEquals(a.rows(), b.rows(), a.name);
      for (int c = 0; c < a.columns().size(); c++) {
        Table.Column x = a.columns().get(c);
        Table.Column y = b.columns().get(c);
        assertTrue(java.util.Arrays.equals(x.doubles, y.doubles) && java.util.Arrays.equals(x.longs, y.longs),
            a.name + "." + x.name);
      }
    }
    assertTrue(java.util.Arrays.equals(abc[0].summary().mean, abc[1].summary().mean));
    assertTrue(java.util.Arrays.deepEquals(abc[0].summary().quantiles, abc[1].summary().quantiles));
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> er = (java.util.Map<String, Object>) abc[1].posterior.diagnostics().extra
        .get("early_rejection");
    assertTrue((Double) er.get("steps_saved") > 0.05, "early rejection saved " + er.get("steps_saved"));
  }
}
