package org.vi4dvar.kernels.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.config.EnsembleSettings;
import org.vi4dvar.kernels.config.ModelSettings;
import org.vi4dvar.kernels.config.NoiseRange;
import org.vi4dvar.kernels.config.ObsSettings;
import org.vi4dvar.kernels.config.OutputSettings;
import org.vi4dvar.kernels.config.PosteriorSettings;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.config.WindowSettings;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.stats.ControlSummary;
import org.vi4dvar.kernels.stats.TrajectorySummary;
import org.vi4dvar.kernels.testing.KalmanSmoother;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.vi.VariationalFamily;

/**
 * Issue 15 §3 through the whole cascade ({@link ExperimentRunner}): every method works in the extended control
 * {@code c = (x0, η_0 … η_{T−2})} and its posterior of every x_t is the Kalman/RTS smoother's on a linear model
 * with Gaussian model error (correlated B as well): MAP/Laplace to round-off, the ensemble and VI within their
 * Monte Carlo error.
 */
class WeakConstraintCascadeTest {

  /** Settings that describe {@link LinearGaussian#weak()} (nx 6, 8 states, 6 assimilated, y = x). */
  static Settings linearSettings() {
    Settings s = Settings.small();
    s.model = new ModelSettings(6, 8.0, 0.1);
    s.window = new WindowSettings(8, 6);
    s.output = new OutputSettings(List.of(0, 5, 7), 0, 5, false);
    s.obs = new ObsSettings(Nonlinearity.IDENTITY, 1, 0.4, 1, new NoiseRange("obs.noise", 0.05, 0.1));
    return s;
  }

  private static final int MEMBERS = 400;
  private static final int SAMPLES = 4000;

  @Test
  void everyMethodMatchesTheRtsSmoother() {
    LinearGaussian lg = LinearGaussian.weak();
    var p = lg.problem;
    final int nx = p.nx();
    final int nStates = p.nStates();
    final int n = p.dimension();
    assertEquals(6 + 4 * 5, n, "x0 and the η components with q > 0 (component 2 and step 1 have none)");
    KalmanSmoother ks = KalmanSmoother.run(lg.a, p.xb(), lg.b, p.modelErrorStd(), p.y(), p.obsStd(), p.nAssim(),
        nStates);
    Settings s = linearSettings();
    s.methods = List.of("map", "ensemble", "vi");
    s.ensemble = new EnsembleSettings(MEMBERS, StartPoint.BACKGROUND, 500);
    s.vi = Settings.vi(VariationalFamily.FULL_RANK, 4000, 8, 1000, 2);
    s.posterior = new PosteriorSettings(SAMPLES, 10, 128);
    // ‖∇J‖ ≤ 1e-9: the MAP is then within ‖P‖·1e-9 of the mean, well inside Tol.LAPLACE_LINEAR (the default
    // 1e-6 leaves 2e-7, the size of that tolerance)
    s.minimizer = new org.vi4dvar.kernels.config.MinimizerSettings(7, 1e-9, 1e-16);
    ExperimentResult r = ExperimentRunner.run(new ExperimentInputs(p, lg.truth, s.build()),
        LocalParallel.threads(2), ExperimentListener.NONE, null);

    // MAP + Laplace: the exact posterior of the control (mean and covariance), to round-off
    Moments m = r.method("map").posterior.exactMoments();
    assertEquals(n, m.n());
    double covMax = 0;
    for (double v : lg.covariance) {
      covMax = Math.max(covMax, Math.abs(v));
    }
    for (int i = 0; i < n; i++) {
      assertEquals(lg.mean[i], m.mean[i], Tol.LAPLACE_LINEAR * (1 + Math.abs(lg.mean[i])), "map mean " + i);
      for (int j = 0; j < n; j++) {
        assertEquals(lg.covariance[i * n + j], m.cov(i, j), Tol.LAPLACE_LINEAR * covMax, "map cov " + i + "," + j);
      }
    }

    // VI (full rank): its exact parameters are the posterior's, to the optimiser's accuracy
    Moments v = r.method("vi").posterior.exactMoments();
    double worstMean = 0;
    double worstStd = 0;
    for (int i = 0; i < n; i++) {
      double sd0 = Math.sqrt(lg.covariance[i * n + i]);
      worstMean = Math.max(worstMean, Math.abs(lg.mean[i] - v.mean[i]) / sd0);
      worstStd = Math.max(worstStd, Math.abs(Math.sqrt(v.variance[i]) / sd0 - 1));
    }
    // measured: mean 4e-8 sd, std 3e-4 relative; the issue-12 bounds (Tol.VI_MEAN_SD, Tol.VI_STD_REL)
    assertTrue(worstMean < Tol.VI_MEAN_SD, "vi mean error " + worstMean + " posterior sd");
    assertTrue(worstStd < Tol.VI_STD_REL, "vi std error " + worstStd + " relative");

    // every method's trajectory statistics: the smoother's mean and std of every x_t within Monte Carlo error
    // (MAP and VI: SAMPLES draws of their Gaussian; ensemble: its MEMBERS members, exact draws for a linear
    // problem). Mean: 5 sd/√N; std: the sample std's relative sd is ≈ 1/√(2(N−1)), 5 of those.
    for (String name : List.of("map", "ensemble", "vi")) {
      TrajectorySummary sm = r.method(name).summary();
      int draws = (int) sm.used;
      assertEquals(name.equals("ensemble") ? MEMBERS : SAMPLES, draws, name);
      double extra = name.equals("vi") ? Tol.VI_MEAN_SD : 0.0; // VI's own optimisation error (bounded above), in sd
      for (int t = 0; t < nStates; t++) {
        for (int i = 0; i < nx; i++) {
          int k = t * nx + i;
          double sd = Math.sqrt(ks.cov[t][i * nx + i]);
          assertEquals(ks.mean[k], sm.mean[k], (Tol.MC_SIGMAS / Math.sqrt(draws) + extra) * sd,
              name + " mean of x_" + t + "," + i);
          assertEquals(sd, sm.std[k], (Tol.MC_SIGMAS / Math.sqrt(2.0 * (draws - 1)) + extra) * sd,
              name + " std of x_" + t + "," + i);
        }
      }
    }

    // the model errors (model_error_mean/std.csv): MAP's η moments are the exact ones, in the layout
    // (T−1) × nx with zeros where q = 0
    ControlSummary cs = ControlSummary.of(p.control(), p.estimatedParameters(), r.method("map").posterior, 100);
    double[] q = p.modelErrorStd();
    for (int k = 0; k < q.length; k++) {
      if (q[k] == 0) {
        assertEquals(0.0, cs.etaMean[k], 0.0);
        assertEquals(0.0, cs.etaStd[k], 0.0);
      }
    }
    var control = p.control();
    for (int k = 0; k < control.nEta(); k++) {
      int c = control.etaOffset() + k;
      int at = control.etaStep(k) * nx + control.etaComponent(k);
      assertEquals(lg.mean[c], cs.etaMean[at], Tol.LAPLACE_LINEAR * (1 + Math.abs(lg.mean[c])), "η mean " + k);
      assertEquals(Math.sqrt(lg.covariance[c * n + c]), cs.etaStd[at], Tol.LAPLACE_LINEAR, "η std " + k);
    }
    // the scores of η against a truth (summary.json's model_error): every model-error component off by ±0.3, the
    // components without model error ignored whatever they hold
    double[] truth = cs.etaMean.clone();
    double spread = 0;
    for (int k = 0; k < control.nEta(); k++) {
      int at = control.etaStep(k) * nx + control.etaComponent(k);
      truth[at] += k % 2 == 0 ? 0.3 : -0.3;
      spread += cs.etaStd[at] / control.nEta();
    }
    for (int k = 0; k < q.length; k++) {
      truth[k] = q[k] == 0 ? 99.0 : truth[k];
    }
    double[] sc = cs.etaScores(control, truth);
    assertEquals(0.3, sc[0], 1e-14, "rmse");
    assertEquals(spread, sc[1], 1e-14, "spread");
    assertEquals(control.nEta(), sc[2], 0.0, "points");
    assertTrue(control.nEta() < q.length, "the case has components without model error");
  }


  /**
   * Q → 0 through the cascade: with q = 1e-6 on every component the weak-constraint MAP and ensemble give the
   * strong-constraint x0 (the η move it by O(q); the minimisers run in different dimensions, hence different
   * iterates, and stop on the cost tolerance: the bound is O(q) plus the stopping accuracy, not round-off). The
   * iteration limits are raised: at the small settings' 300 the 192-dimensional minimisation stops early (4e-4).
   */
  @Test
  void vanishingModelErrorGivesTheStrongConstraintPosteriorsOfMapAndEnsemble() {
    org.vi4dvar.kernels.twin.Twin t = org.vi4dvar.kernels.testing.TalkData.load();
    var strong = t.problem();
    var weak = strong.withModelError(org.vi4dvar.kernels.var.FourDVarProblem.modelErrorStd(strong.nAssim(),
        strong.nx(), 1e-6));
    ExperimentResult[] r = new ExperimentResult[2];
    var problems = new org.vi4dvar.kernels.var.FourDVarProblem[] {strong, weak};
    for (int k = 0; k < 2; k++) {
      Settings s = Settings.small();
      s.methods = List.of("map", "ensemble");
      s.minimizer = new org.vi4dvar.kernels.config.MinimizerSettings(7, 1e-9, 1e-16);
      s.map = new org.vi4dvar.kernels.config.MapSettings(4, 5000,
          org.vi4dvar.kernels.map.HessianMethod.FINITE_DIFFERENCE);
      s.ensemble = new EnsembleSettings(8, StartPoint.BEST, 5000);
      r[k] = ExperimentRunner.run(new ExperimentInputs(problems[k], t.truth(), s.build()),
          LocalParallel.threads(2), ExperimentListener.NONE, null);
    }
    for (String name : List.of("map", "ensemble")) {
      // the exact moments of x0 (MAP: the minimum; ensemble: its members' mean), not the sampled trajectories
      // (their draws come from streams of another dimension)
      double[] a = r[0].method(name).posterior.exactMoments().mean;
      double[] b = r[1].method(name).posterior.exactMoments().mean;
      double worst = 0;
      for (int k = 0; k < strong.nx(); k++) {
        worst = Math.max(worst, Math.abs(a[k] - b[k]));
      }
      System.out.println(name + " " + r[1].method(name).diagnostics.stopReasons + ": strong vs q = 1e-6, largest difference of the x0 mean " + worst);
      // measured 7e-7 (map) and 3e-6 (ensemble: its members also draw η ~ N(0, q²)): O(q); 1e-4 leaves a factor
      // 30 and fails for any O(1) mistake (η perturbed with B's scale, the strong members' streams shifted)
      assertTrue(worst < 1e-4, name + ": " + worst);
    }
  }
}
