package org.vi4dvar.driver.output;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.driver.cli.Version;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.Json;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.ExperimentResult;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.mcmc.McmcMethod;
import org.vi4dvar.kernels.stats.ReferenceScore;

/**
 * Writes a whole run's results in the {@link OutputLayout}: the dataset, every method (the prior first), and
 * {@code summary.json} (version, command, configuration, data facts, Spark facts, methods, exploration) with
 * {@code config.conf}. Used by {@code run} and by the test fixtures, so both produce the same layout.
 */
public final class RunSummary {

  private RunSummary() {
  }

  /**
   * Writes everything but the report.
   *
   * @param out the output
   * @param settings the effective settings
   * @param in the experiment's inputs
   * @param dataInfo what summary.json says of the dataset (source, shape); the result's data facts are added
   * @param sparkInfo what summary.json says of Spark (empty for a run without Spark)
   * @param r the experiment's result
   * @param seconds the run's wall-clock time so far
   * @return the {@code methods} tree of summary.json (prior first)
   */
  public static Map<String, Object> write(OutputSink out, Vi4dvarSettings settings, ExperimentInputs in,
      Map<String, Object> dataInfo, Map<String, Object> sparkInfo, ExperimentResult r, double seconds)
      throws IOException {
    return write(out, settings, in, dataInfo, sparkInfo, Map.of(), r, seconds, null);
  }

  /**
   * As {@link #write}, with the run's provenance (summary.json's {@code provenance}, and the global attributes of
   * posterior.nc as {@code vi4dvar_*}) and the source of every draw's trajectory
   * ({@code output.trajectory-samples = all}).
   */
  public static Map<String, Object> write(OutputSink out, Vi4dvarSettings settings, ExperimentInputs in,
      Map<String, Object> dataInfo, Map<String, Object> sparkInfo, Map<String, Object> provenance,
      ExperimentResult r, double seconds, RunWriter.Trajectories all) throws IOException {
    return write(out, settings, in, dataInfo, sparkInfo, provenance, r, seconds, all, null, null);
  }

  /** The name of the reference when it is this run's {@code mcmc}. */
  public static final String MCMC_REFERENCE = "mcmc (this run)";

  /**
   * As {@link #write}, with every available method scored against a reference posterior
   * ({@code methods.<m>.reference}: {@link ReferenceScore#scores}) — {@code reference} (read from
   * {@code --reference DIR} or the {@code reference} key) or, when it is null, this run's {@code mcmc}, which is
   * then not scored against itself.
   *
   * @param reference the reference, or null
   * @param label how summary.json names it (the directory), or null
   */
  public static Map<String, Object> write(OutputSink out, Vi4dvarSettings settings, ExperimentInputs in,
      Map<String, Object> dataInfo, Map<String, Object> sparkInfo, Map<String, Object> provenance,
      ExperimentResult r, double seconds, RunWriter.Trajectories all, ReferenceScore.Trajectories reference,
      String label) throws IOException {
    RunWriter w = new RunWriter(out, in, all);
    w.writeData();
    Map<String, Object> methods = new LinkedHashMap<>();
    methods.put(OutputLayout.PRIOR, w.write(r.prior));
    for (MethodResult m : r.methods) {
      methods.put(m.name, w.write(m));
    }
    List<MethodResult> results = new ArrayList<>();
    results.add(r.prior);
    results.addAll(r.methods);
    scoreAgainstReference(methods, results, reference, label, in.problem().nAssim());
    Map<String, Object> data = new LinkedHashMap<>(dataInfo);
    data.putAll(r.data);
    NetcdfOutput.write(out, settings, in, r, provenance, w::controlSummary);
    writeSummary(out, settings, data, sparkInfo, provenance, methods, r.exploration, seconds);
    return methods;
  }

  /**
   * Adds {@code methods.<m>.reference} ({@link ReferenceScore#scores}) to the entry in {@code methods} of every
   * available result: against {@code reference} or, when it is null, against the available {@code mcmc} of
   * {@code results} (named {@link #MCMC_REFERENCE}), which is then not scored against itself; nothing without
   * either.
   *
   * @param methods the method entries of summary.json, by name (modified)
   * @param results the results the entries were written from (the prior too)
   * @param reference the reference, or null
   * @param label how summary.json names it, or null
   * @param nAssim the assimilated states (the rest are the forecast)
   */
  public static void scoreAgainstReference(Map<String, Object> methods, List<MethodResult> results,
      ReferenceScore.Trajectories reference, String label, int nAssim) {
    String self = null;
    if (reference == null) {
      for (MethodResult mc : results) {
        if (mc.name.equals(McmcMethod.NAME) && mc.available()) {
          reference = ReferenceScore.Trajectories.of(mc.summary(), mc.posterior.weighted());
          label = MCMC_REFERENCE;
          self = mc.name;
        }
      }
    }
    if (reference == null) {
      return;
    }
    for (MethodResult m : results) {
      if (!m.available() || m.name.equals(self)) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = (Map<String, Object>) methods.get(m.name);
      entry.put("reference", ReferenceScore.scores(ReferenceScore.Trajectories.of(m.summary(),
          m.posterior.weighted()), reference, nAssim, label));
    }
  }

  /** Writes summary.json and config.conf from the method entries already written. */
  public static void writeSummary(OutputSink out, Vi4dvarSettings settings, Map<String, Object> data,
      Map<String, Object> sparkInfo, Map<String, Object> provenance, Map<String, Object> methods,
      Map<String, Object> exploration, double seconds) throws IOException {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("vi4dvar", Version.get());
    if (!provenance.isEmpty()) {
      summary.put("provenance", provenance);
    }
    summary.put("command", "run");
    summary.put("config", settings.toTree());
    summary.put("data", data);
    summary.put("spark", sparkInfo);
    summary.put("methods", methods);
    if (!exploration.isEmpty()) {
      summary.put("exploration", exploration);
    }
    summary.put("seconds", RunWriter.round3(seconds));
    summary.put("non_finite_written_as_null", Json.countNonFinite(summary));
    out.writeString(OutputLayout.SUMMARY, Json.write(summary).text());
    out.writeString(OutputLayout.CONFIG, ConfigLoader.renderHocon(settings));
  }

  /** What summary.json says of a dataset's shape. */
  public static Map<String, Object> dataInfo(String source, ExperimentInputs in) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source);
    m.put("states", in.problem().nStates());
    m.put("assimilated", in.problem().nAssim());
    m.put("nx", in.problem().nx());
    m.put("ny", in.problem().ny());
    m.put("observations", in.problem().nObs());
    m.put("truth", in.hasTruth());
    return m;
  }
}
