package org.vi4dvar.driver.output;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.netcdf.PosteriorNetcdf;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.ExperimentResult;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.model.Lorenz96Spec;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.stats.ControlSummary;
import org.vi4dvar.kernels.stats.TrajectoryStatistics;
import org.vi4dvar.kernels.stats.TrajectorySummary;

/**
 * {@code DIR/posterior.nc}: the whole run in one self-describing NetCDF-3 file (CF conventions) — the truth,
 * observations and their std, background, and per method (the prior first) the mean, std, quantiles,
 * covariances at the chosen times, the sampled trajectories and the exact x0 moments, and — when the control
 * holds them — the posterior of the model errors η_t and of the estimated parameters ({@link ControlSummary},
 * the one summary.json and model_error_*.csv are written from) with their prior and truth; the effective
 * configuration and the provenance as global attributes. Layout: {@link PosteriorNetcdf}. The covariances are
 * included when they are of every grid point ({@code output.cov-points = 0}).
 */
final class NetcdfOutput {

  private NetcdfOutput() {
  }

  /**
   * @param controlSummary each method's posterior of the control beyond x0 (null when the control is x0 alone):
   *     {@link RunWriter#controlSummary}, so that it is computed once per method
   */
  static void write(OutputSink out, Vi4dvarSettings settings, ExperimentInputs in, ExperimentResult r,
      Map<String, Object> provenance, Function<MethodResult, ControlSummary> controlSummary) throws IOException {
    var p = in.problem();
    final int nx = p.nx();
    double dt = p.model() instanceof Lorenz96Spec ? ((Lorenz96Spec) p.model()).dt() : 1.0;
    PosteriorNetcdf.Run run = new PosteriorNetcdf.Run(nx, p.nStates(), p.nAssim(), dt, p.obs().pooling(), nx);
    run.quantiles = TrajectoryStatistics.PROBS.clone();
    run.truth = in.truth();
    run.obs = p.y();
    run.obsStd = p.obsStd();
    run.background = p.xb();
    run.backgroundStd = p.bStd();
    run.configuration = ConfigLoader.renderHocon(settings);
    for (Map.Entry<String, Object> e : provenance.entrySet()) {
      run.attributes.put("vi4dvar_" + e.getKey(), String.valueOf(e.getValue()));
    }
    if (p.weakConstraint()) {
      run.modelErrorStd = p.modelErrorStd();
      run.modelErrorTruth = in.modelErrorTruth();
    }
    final var control = p.control();
    final int nPar = control.nParameters();
    if (nPar > 0) {
      run.parameters = p.estimatedParameters();
      run.parameterProbabilities = ControlSummary.PARAMETER_PROBS.clone();
      run.parameterPriorMean = new double[nPar];
      run.parameterPriorStd = new double[nPar];
      for (int k = 0; k < nPar; k++) {
        run.parameterPriorMean[k] = control.center(control.parameterOffset() + k);
        run.parameterPriorStd[k] = control.scale(control.parameterOffset() + k);
      }
      run.parameterTruth = RunWriter.parameterTruth(in);
    }
    List<MethodResult> all = new ArrayList<>();
    all.add(r.prior);
    all.addAll(r.methods);
    boolean fullCov = settings.experiment().output().covPoints(nx) == nx;
    List<PosteriorNetcdf.Method> methods = new ArrayList<>();
    for (MethodResult m : all) {
      if (!m.available()) {
        continue;
      }
      TrajectorySummary sm = m.summary();
      if (fullCov) {
        run.covTimes = sm.covTimes.clone();
      }
      PosteriorNetcdf.Method nm = new PosteriorNetcdf.Method(m.name);
      nm.sampleCount = (int) Math.min(Integer.MAX_VALUE, sm.used);
      nm.mean = sm.mean;
      nm.std = sm.std;
      final int dim = sm.mean.length;
      nm.quantiles = new double[sm.quantiles.length * dim];
      for (int q = 0; q < sm.quantiles.length; q++) {
        System.arraycopy(sm.quantiles[q], 0, nm.quantiles, q * dim, dim);
      }
      nm.covariances = fullCov ? sm.covariances : new double[0][];
      nm.trajectories(sm.trajectories, sm.trajectoryCount(), sm.nStates, nx);
      Moments exact = m.posterior.exactMoments();
      if (exact != null) {
        Moments x0 = exact.block(0, nx);
        nm.x0Mean = x0.mean;
        nm.x0Covariance = nx <= Moments.DENSE_LIMIT ? x0.denseCovariance() : null;
      } else if (sm.controlMean != null) {
        nm.x0Mean = java.util.Arrays.copyOf(sm.controlMean, nx);
      }
      ControlSummary cs = controlSummary.apply(m);
      if (cs != null) {
        controlExtras(nm, cs, run);
      }
      methods.add(nm);
    }
    if (methods.isEmpty()) {
      return;
    }
    try (OutputStream s = out.openStream(OutputLayout.NETCDF)) {
      PosteriorNetcdf.write(s, run, methods);
    }
  }

  /** The model errors and parameters of {@code cs} into {@code nm}, as far as {@code run} has them. */
  private static void controlExtras(PosteriorNetcdf.Method nm, ControlSummary cs, PosteriorNetcdf.Run run) {
    if (run.modelSteps() > 0) {
      nm.modelErrorMean = cs.etaMean;
      nm.modelErrorStd = cs.etaStd;
    }
    final int nPar = run.parameters.length;
    if (nPar > 0) {
      final int nq = run.parameterProbabilities.length;
      nm.parameterMean = new double[nPar];
      nm.parameterStd = new double[nPar];
      nm.parameterQuantiles = new double[nq * nPar];
      for (int k = 0; k < nPar; k++) {
        double[] st = cs.parameterStats[k];
        nm.parameterMean[k] = st[0];
        nm.parameterStd[k] = st[1];
        for (int q = 0; q < nq; q++) {
          nm.parameterQuantiles[q * nPar + k] = st[2 + q];
        }
      }
    }
  }
}
