package org.vi4dvar.driver.output;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.driver.io.DatasetWriter;
import org.vi4dvar.driver.io.Json;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.Table;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.stats.ControlSummary;
import org.vi4dvar.kernels.stats.TrajectoryStatistics;
import org.vi4dvar.kernels.stats.TrajectorySummary;

/**
 * Writes a method's result into the output directory in the {@link OutputLayout} — statistics, exact x0
 * moments, posterior.json/.bin, tables — and returns its {@code summary.json} entry. Formatting only: every
 * number comes from the kernel.
 */
public final class RunWriter {

  /** Largest control dimension whose dense covariance {@code x0_cov.csv} is written (≈ 350 MB of text). */
  public static final int MAX_DENSE_COVARIANCE = 4096;

  /** Doubles of trajectories computed per chunk when every draw is written. */
  static final int CHUNK_DOUBLES = 4 << 20;

  /** Where the trajectories of every draw come from ({@code output.trajectory-samples = all}). */
  @FunctionalInterface
  public interface Trajectories {
    /** Draws {@code [first, first + count)} of {@code p}, propagated ({@code [s*dim + t*nx + i]}, NaN rows). */
    double[] of(String method, Posterior p, long first, int count);
  }

  private final OutputSink out;
  private final ExperimentInputs in;
  private final Trajectories all;
  /** {@link #controlSummary} of each method, computed once. */
  private final Map<MethodResult, ControlSummary> controlSummaries = new java.util.IdentityHashMap<>();

  /**
   * @param out the output being assembled
   * @param in the experiment's inputs
   */
  public RunWriter(OutputSink out, ExperimentInputs in) {
    this(out, in, null);
  }

  /**
   * @param out the output being assembled
   * @param in the experiment's inputs
   * @param all where every draw's trajectory comes from, when the settings ask for all (else unused)
   */
  public RunWriter(OutputSink out, ExperimentInputs in, Trajectories all) {
    this.out = out;
    this.in = in;
    this.all = all;
  }

  /** Writes the dataset into {@code data/}. */
  public void writeData() throws IOException {
    DatasetWriter.write(out, OutputLayout.DATA, in);
  }

  /** Writes one method (or the prior) and returns its summary entry. */
  public Map<String, Object> write(MethodResult r) throws IOException {
    for (Table t : r.tables) {
      try (Writer w = out.openWriter(OutputLayout.table(r.name, t.name))) {
        Csv.table(w, t);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("available", r.available());
    if (!r.available()) {
      m.put("reason", r.unavailable);
    }
    m.put("seconds", round3(r.seconds));
    if (!"none".equals(r.diagnostics.objective)) {
      diagnostics(m, r.diagnostics);
    }
    if (!r.available()) {
      return m;
    }
    TrajectorySummary sm = r.summary();
    m.put("statistics_seconds", round3(r.statisticsSeconds()));
    writeStatistics(r.name, r.posterior, sm);
    Map<String, Object> post = writePosterior(r.name, r.posterior, sm);
    post.put("draws", sm.used);
    post.put("draws_requested", sm.requested);
    post.put("non_finite_excluded", sm.nonFinite);
    if (r.posterior.weighted()) {
      post.put("weight_ess", sm.weightEss);
    }
    m.put("posterior", post);
    writeControlExtras(r, m);
    Map<String, Object> spread = new LinkedHashMap<>();
    spread.put("assim", num(sm.spreadAssim));
    spread.put("forecast", num(sm.spreadForecast));
    m.put("spread", spread);
    if (sm.assim != null) {
      Map<String, Object> sc = new LinkedHashMap<>();
      sc.put("assim", part(sm.assim));
      sc.put("forecast", part(sm.forecast));
      m.put("scores", sc);
    }
    for (Map.Entry<String, Object> e : r.diagnostics.extra.entrySet()) {
      m.putIfAbsent(e.getKey(), e.getValue());
    }
    return m;
  }

  /**
   * The posterior of what the control holds beyond x0 ({@link ControlSummary}): model_error_mean.csv and
   * model_error_std.csv ({@code (assimilated − 1) × nx}, weak constraint) with, when the true model errors are
   * known, the summary's {@code model_error {points, rmse, spread, spread_skill}} against them; and the summary's
   * {@code parameters.<name>} entries {@code {mean, std, q05, q50, q95, prior}}, plus {@code truth} and
   * {@code truth_in_90} (q05 ≤ truth ≤ q95) when the true value is known.
   */
  private void writeControlExtras(MethodResult r, Map<String, Object> m) throws IOException {
    var problem = in.problem();
    ControlSummary cs = controlSummary(r);
    if (cs == null) {
      return;
    }
    if (problem.weakConstraint()) {
      int steps = problem.nAssim() - 1;
      grid(r.name, OutputLayout.MODEL_ERROR_MEAN, cs.etaMean, steps, problem.nx());
      grid(r.name, OutputLayout.MODEL_ERROR_STD, cs.etaStd, steps, problem.nx());
      if (in.modelErrorTruth() != null) {
        double[] sc = cs.etaScores(problem.control(), in.modelErrorTruth());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("points", (long) sc[2]);
        e.put("rmse", num(sc[0]));
        e.put("spread", num(sc[1]));
        e.put("spread_skill", num(sc[1] / sc[0]));
        m.put("model_error", e);
      }
    }
    if (cs.parameters.length > 0) {
      var control = problem.control();
      double[] truths = parameterTruth(in);
      Map<String, Object> ps = new LinkedHashMap<>();
      for (int k = 0; k < cs.parameters.length; k++) {
        double[] st = cs.parameterStats[k];
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("mean", num(st[0]));
        e.put("std", num(st[1]));
        e.put("q05", num(st[2]));
        e.put("q50", num(st[3]));
        e.put("q95", num(st[4]));
        e.put("quantiles", cs.sampleQuantiles ? "of the draws" : "exact (Gaussian)");
        if (truths != null) {
          double truth = truths[k];
          e.put("truth", truth);
          e.put("truth_in_90", st[2] <= truth && truth <= st[4]);
        }
        int c = control.parameterOffset() + k;
        Map<String, Object> prior = new LinkedHashMap<>();
        prior.put("mean", control.center(c));
        prior.put("std", control.scale(c));
        e.put("prior", prior);
        ps.put(cs.parameters[k], e);
      }
      m.put("parameters", ps);
    }
  }

  /**
   * The posterior of the control beyond x0 of an available method ({@link ControlSummary}), computed on the
   * first call and kept for the rest of the output (summary.json, the CSVs, posterior.nc); null when the control
   * is x0 alone (strong constraint without estimated parameters).
   */
  ControlSummary controlSummary(MethodResult r) {
    var problem = in.problem();
    if (problem.controlDimension() == problem.nx()) {
      return null;
    }
    return controlSummaries.computeIfAbsent(r, k -> ControlSummary.of(problem.control(),
        problem.estimatedParameters(), k.posterior, in.settings().posterior().samples()));
  }

  /** The true values of the estimated parameters, in control order, or null when unknown. */
  static double[] parameterTruth(ExperimentInputs in) {
    double[] all = in.parameterTruth();
    if (all == null) {
      return null;
    }
    var control = in.problem().control();
    double[] t = new double[control.nParameters()];
    for (int k = 0; k < t.length; k++) {
      t[k] = all[control.parameterModelIndex(k)];
    }
    return t;
  }

  private static void diagnostics(Map<String, Object> m, Diagnostics d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", d.objective);
    o.put("value", num(d.objectiveValue));
    o.put("stderr", num(d.objectiveStdErr));
    o.put("converged", d.converged);
    o.put("convergence", d.convergence);
    m.put("objective", o);
    m.put("counts", new LinkedHashMap<>(d.counts));
    if (!d.stopReasons.isEmpty()) {
      m.put("stop_reasons", new LinkedHashMap<>(d.stopReasons));
    }
  }

  private static Map<String, Object> part(TrajectorySummary.Part p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("points", p.points);
    m.put("rmse", num(p.rmse));
    m.put("spread", num(p.spread));
    m.put("spread_skill", num(p.spreadSkill));
    m.put("crps", num(p.crps));
    m.put("coverage50", num(p.coverage50));
    m.put("coverage90", num(p.coverage90));
    m.put("rank_histogram", boxed(p.rankHistogram));
    m.put("rank_expected", boxed(p.rankExpected));
    return m;
  }

  private void writeStatistics(String method, Posterior p, TrajectorySummary sm) throws IOException {
    final int nx = sm.nx;
    final int nStates = sm.nStates;
    grid(method, OutputLayout.MEAN, sm.mean, nStates, nx);
    grid(method, OutputLayout.STD, sm.std, nStates, nx);
    String[] q = OutputLayout.quantiles();
    for (int l = 0; l < q.length; l++) {
      grid(method, q[l], sm.quantiles[l], nStates, nx);
    }
    for (int c = 0; c < sm.covTimes.length; c++) {
      try (Writer w = out.openWriter(OutputLayout.file(method, OutputLayout.covariance(sm.covTimes[c])))) {
        Csv.grid(w, OutputLayout.I, OutputLayout.X, sm.covariances[c], 0, sm.covPoints, sm.covPoints);
      }
    }
    try (Writer w = out.openWriter(OutputLayout.file(method, OutputLayout.SAMPLES))) {
      w.write(OutputLayout.header(OutputLayout.SAMPLE + "," + OutputLayout.T, OutputLayout.X, nx));
      w.write('\n');
      final int dim = nx * nStates;
      if (in.settings().output().allTrajectories()) {
        if (all == null) {
          throw new IllegalStateException("output.trajectory-samples = all needs a source of trajectories");
        }
        final long draws = sm.requested;
        final int chunk = (int) Math.max(1, Math.min(draws, CHUNK_DOUBLES / dim));
        for (long first = 0; first < draws; first += chunk) {
          int count = (int) Math.min(chunk, draws - first);
          double[] traj = all.of(method, p, first, count);
          for (int s = 0; s < count; s++) {
            if (!Double.isNaN(traj[s * dim])) {
              sampleRows(w, first + s, traj, s * dim, nx, nStates);
            }
          }
        }
      } else {
        for (int s = 0; s < sm.trajectoryCount(); s++) {
          sampleRows(w, sm.trajectoryDraws[s], sm.trajectories, s * dim, nx, nStates);
        }
      }
    }
  }

  /** The rows {@code draw,t,x_0,…} of one trajectory. */
  private static void sampleRows(Writer w, long draw, double[] traj, int off, int nx, int nStates)
      throws IOException {
    StringBuilder b = new StringBuilder(nx * 20);
    for (int t = 0; t < nStates; t++) {
      b.setLength(0);
      b.append(draw).append(',').append(t);
      for (int i = 0; i < nx; i++) {
        b.append(',');
        double v = traj[off + t * nx + i];
        if (Double.isFinite(v)) {
          b.append(v);
        }
      }
      b.append('\n');
      w.write(b.toString());
    }
  }

  private void grid(String method, String file, double[] a, int rows, int cols) throws IOException {
    try (Writer w = out.openWriter(OutputLayout.file(method, file))) {
      Csv.grid(w, OutputLayout.T, OutputLayout.X, a, 0, rows, cols);
    }
  }

  /** x0_mean.csv, x0_cov.csv, posterior.bin and posterior.json; returns the summary's {@code posterior} entry. */
  private Map<String, Object> writePosterior(String method, Posterior p, TrajectorySummary sm) throws IOException {
    final int nx = in.problem().nx();
    Moments exact = p.exactMoments();
    boolean fromDraws = exact == null;
    double[] mean;
    double[] cov;
    if (exact != null) {
      Moments x0 = exact.block(0, nx);
      mean = x0.mean;
      cov = x0.covariance;
      if (cov == null && nx <= MAX_DENSE_COVARIANCE) {
        cov = x0.denseCovariance();
      }
    } else {
      mean = java.util.Arrays.copyOf(sm.controlMean, nx);
      cov = new double[nx * nx];
      int n = p.dimension();
      for (int i = 0; i < nx; i++) {
        System.arraycopy(sm.controlCovariance, i * n, cov, i * nx, nx);
      }
    }
    try (Writer w = out.openWriter(OutputLayout.file(method, OutputLayout.X0_MEAN))) {
      Csv.row(w, OutputLayout.X0, mean);
    }
    boolean covWritten = cov != null && nx <= MAX_DENSE_COVARIANCE;
    if (covWritten) {
      try (Writer w = out.openWriter(OutputLayout.file(method, OutputLayout.X0_COV))) {
        Csv.grid(w, OutputLayout.I, OutputLayout.X0, cov, 0, nx, nx);
      }
    }
    try (OutputStream s = out.openStream(OutputLayout.file(method, OutputLayout.POSTERIOR_BIN));
        ObjectOutputStream o = new ObjectOutputStream(s)) {
      o.writeObject(p);
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("method", method);
    j.put("family", p.family().configName());
    j.put("control", in.problem().controlDimension() == nx ? "x0"
        : "c = (x0" + (in.problem().weakConstraint() ? ", η_0 … η_{T−2} (the components with model error, step "
        + "after step)" : "") + (in.problem().estimatedParameters().length > 0 ? ", "
        + String.join(", ", in.problem().estimatedParameters()) : "") + ")");
    j.put("dimension", p.dimension());
    j.put("weighted", p.weighted());
    j.put("has_density", p.hasDensity());
    j.put("moments", fromDraws ? "estimated from the draws (the family has no closed form)"
        : "exact: the family's own parameters");
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("x0_mean", OutputLayout.X0_MEAN);
    files.put("x0_cov", covWritten ? OutputLayout.X0_COV : null);
    files.put("posterior_object", OutputLayout.POSTERIOR_BIN);
    j.put("files", files);
    if (p instanceof GaussianPosterior) {
      GaussianPosterior g = (GaussianPosterior) p;
      Map<String, Object> gs = new LinkedHashMap<>();
      gs.put("form", "c = m + S F z, z ~ N(0, I): S the background square root, F the factor below");
      gs.put("factor", g.factorKind().name().toLowerCase(java.util.Locale.ROOT));
      gs.put("seed", g.seed());
      gs.put("stream_tag", g.tag());
      j.put("gaussian", gs);
    }
    j.put("draws", "draw i is a pure function of the posterior and i ("
        + (p.draws(Long.MAX_VALUE) == Long.MAX_VALUE ? "the sampler's stream (seed, POSTERIOR_SAMPLE, tag·2^40 + i)" : "row i of its draws")
        + "); `submit/local.sh sample` draws them again");
    out.writeString(OutputLayout.file(method, OutputLayout.POSTERIOR_JSON), Json.write(j).text());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("family", p.family().configName());
    summary.put("weighted", p.weighted());
    summary.put("moments", fromDraws ? "from draws" : "exact");
    return summary;
  }

  private static List<Object> boxed(long[] a) {
    Object[] o = new Object[a.length];
    for (int i = 0; i < a.length; i++) {
      o[i] = a[i];
    }
    return java.util.Arrays.asList(o);
  }

  private static List<Object> boxed(double[] a) {
    Object[] o = new Object[a.length];
    for (int i = 0; i < a.length; i++) {
      o[i] = a[i];
    }
    return java.util.Arrays.asList(o);
  }

  /** A finite number, or null (unknown or undefined: JSON has no NaN). */
  static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static double round3(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }

  /** The quantile levels, for the summary. */
  static double[] probs() {
    return TrajectoryStatistics.PROBS.clone();
  }
}
