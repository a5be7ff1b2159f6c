package org.vi4dvar.driver.output;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.netcdf.PosteriorNetcdf;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.ExperimentResult;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.model.Lorenz96Spec;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.stats.TrajectoryStatistics;
import org.vi4dvar.kernels.stats.TrajectorySummary;

/**
 * {@code DIR/posterior.nc}: the whole run in one self-describing NetCDF-3 file (CF conventions) — the truth,
 * observations and their std, background, and per method (the prior first) the mean, std, quantiles,
 * covariances at the chosen times, the sampled trajectories and the exact x0 moments; the effective
 * configuration and the provenance as global attributes. Layout: {@link PosteriorNetcdf}. The covariances are
 * included when they are of every grid point ({@code output.cov-points = 0}).
 */
final class NetcdfOutput {

  private NetcdfOutput() {
  }

  static void write(OutputSink out, Vi4dvarSettings settings, ExperimentInputs in, ExperimentResult r,
      Map<String, Object> provenance) throws IOException {
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
      methods.add(nm);
    }
    if (methods.isEmpty()) {
      return;
    }
    try (OutputStream s = out.openStream(OutputLayout.NETCDF)) {
      PosteriorNetcdf.write(s, run, methods);
    }
  }
}
