package org.vi4dvar.driver.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Method;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.Dataset;
import org.vi4dvar.driver.io.Json;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.spark.CostCheck;
import org.vi4dvar.driver.spark.MasterUrl;
import org.vi4dvar.driver.spark.RunInputs;
import org.vi4dvar.driver.spark.SparkHandle;
import org.vi4dvar.driver.spark.SparkSetup;
import org.vi4dvar.driver.report.Report;
import org.vi4dvar.driver.run.MethodOutcome;
import org.vi4dvar.driver.run.Pipeline;
import org.vi4dvar.driver.run.RunWriter;
import org.vi4dvar.driver.tasks.Jobs;
import org.vi4dvar.driver.tasks.TrajectoryJob;
import org.vi4dvar.kernels.scores.PosteriorScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code vi4dvar run}: validates everything, loads the dataset (or generates the twin), starts Spark,
 * broadcasts the problem and runs the estimators as tasks; writes {@code summary.json} into {@code --out}.
 *
 * <p>The estimators run as Spark jobs ({@link Pipeline}); the outputs are assembled in a temporary sibling of
 * {@code --out} and renamed into place only when everything, report included, is written.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
    description = {"Run the posterior estimators on a dataset directory (--data) or, by default, on the twin "
        + "experiment of the configuration; with no option beyond --out this is the talk's experiment.",
        "Writes DIR/summary.json (effective configuration, data, Spark, results)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the run failed (one line says why, e.g. out of memory and the knob)",
        "2:bad input (command line, configuration, data, --out)", "130:interrupted (Ctrl-C)",
        "143:terminated (SIGTERM)"})
public final class RunCommand extends ExperimentCommand {

  @Option(names = "--data", paramLabel = "DIR",
      description = "Dataset directory: obs.csv, obs_std.csv, background.csv, background_std.csv, optional "
          + "truth.csv (comma-separated, no header; see conf/data/l96-talk). Its shape must match "
          + "window.states, window.assimilated, model.nx and obs.pooling. Default: generate the twin experiment "
          + "of the configuration.")
  Path data;

  @Option(names = "--methods", paramLabel = "METHOD", split = ",", converter = MethodConverter.class,
      description = "Comma-separated estimators to run: map, abc, ensemble, vi (default: the configuration's "
          + "'methods', all four). They run in dependency order, abc first: its lowest-J trials are the starts of "
          + "the others (ABC runs as an exploration even when not listed if map, or ensemble/vi with "
          + "start = best, need it).")
  List<Method> methods;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master: local, local[N], local[*], local[N,F], local-cluster[N,C,M], "
          + "spark://host:port, yarn, k8s://... (default: spark.master of the configuration, else "
          + "spark-submit's, else local[*]).")
  String master;

  RunCommand(CommandContext ctx) {
    super(ctx);
  }

  /** Converts one {@code --methods} element. */
  static final class MethodConverter implements ITypeConverter<Method> {
    @Override
    public Method convert(String value) {
      Method m = ConfigLoader.parseMethod(value);
      if (m == null) {
        throw new TypeConversionException("unknown method '" + ConfigLoader.oneLine(value)
            + "' (expected map, abc, ensemble, vi)");
      }
      return m;
    }
  }

  @Override
  public Integer call() throws Exception {
    final long t0 = System.nanoTime();
    SparkSetup.checkMasterOption(master);
    if (methods != null) {
      checkMethods(methods);
    }
    OutputDirectory dir = output(data, config);
    Vi4dvarSettings s = settings(data);
    if (methods != null) {
      s = s.withMethods(methods);
    }
    Dataset d = data != null ? readData(data, s) : Dataset.twin(s);
    String masterUrl = SparkSetup.master(master, s.spark());
    checkExecutorWrites(dir, s, masterUrl);
    if (MasterUrl.warning(masterUrl) != null) {
      ctx.progress(MasterUrl.warning(masterUrl));
    }
    SparkConf conf = SparkSetup.conf(masterUrl);

    Map<String, Object> summary = new LinkedHashMap<>();
    List<MethodOutcome> outcomes;
    Map<String, Object> exploration;
    try (ShutdownGuard guard = ShutdownGuard.install(ctx.err()); OutputDirectory o = dir) {
      o.open(ctx::progress);
      guard.protect(o);
      SparkSetup.useScratch(o.scratch(), ctx.ownJvm());
      ctx.progress(describe(d) + "; starting Spark (" + masterUrl + ")");
      Map<String, Object> sparkInfo = new LinkedHashMap<>();
      Map<String, Object> dataInfo = dataTree(d);
      try (SparkHandle h = ctx.spark().start(conf)) {
        guard.protect(h);
        JavaSparkContext sc = h.sc();
        int partitions = s.spark().partitions() > 0 ? s.spark().partitions() : sc.defaultParallelism();
        sparkInfo.put("master", sc.master());
        sparkInfo.put("version", sc.version());
        sparkInfo.put("default_parallelism", sc.defaultParallelism());
        sparkInfo.put("partitions", partitions);
        sparkInfo.put("start_seconds", round3(h.startSeconds()));
        ctx.progress(String.format(Locale.ROOT, "Spark %s started in %.2f s (%d partitions)", sc.version(),
            h.startSeconds(), partitions));
        Broadcast<RunInputs> inputs = sc.broadcast(new RunInputs(d.problem(), d.truth(), s));
        try {
          Jobs jobs = new Jobs(sc, inputs, partitions, ctx::progress);
          for (CostCheck.Cost c : CostCheck.run(sc, inputs)) {
            dataInfo.put("cost_at_" + c.label(), c.j());
          }
          if (d.hasTruth()) {
            double[] bg = TrajectoryJob.propagate(jobs, d.problem().xb(), 1);
            PosteriorScores b = PosteriorScores.of(bg, 1, d.truth(), d.problem().nx(), d.problem().nStates(),
                d.problem().nAssim());
            dataInfo.put("background_rmse_assim", b.assim.rmse);
            dataInfo.put("background_rmse_forecast", b.forecast.rmse);
          }
          Pipeline pipeline = new Pipeline(jobs, s, o.temp().resolve("abc").resolve("accepted"), ctx::progress);
          outcomes = pipeline.run();
          exploration = pipeline.exploration();
        } finally {
          inputs.destroy();
        }
      }
      RunWriter w = new RunWriter(o, d.problem(), d.truth(), s.output().covTimes(),
          s.output().trajectorySamples());
      w.writeData();
      Map<String, Object> methodTree = new LinkedHashMap<>();
      Map<String, Object> priorTree = null;
      for (MethodOutcome m : outcomes) {
        Map<String, Object> e = w.write(m);
        if ("prior".equals(m.name)) {
          priorTree = e;
        } else {
          methodTree.put(m.name, e);
        }
      }
      summary.put("vi4dvar", Version.get());
      summary.put("command", "run");
      summary.put("config", s.toTree());
      summary.put("data", dataInfo);
      summary.put("spark", sparkInfo);
      summary.put("prior", priorTree);
      summary.put("methods", methodTree);
      if (!exploration.isEmpty()) {
        summary.put("exploration", exploration);
      }
      summary.put("seconds", round3((System.nanoTime() - t0) * 1e-9));
      int nonFinite = Json.countNonFinite(summary);
      summary.put("non_finite_written_as_null", nonFinite);
      o.writeString("summary.json", Json.write(summary).text());
      o.writeString("config.conf", ConfigLoader.renderHocon(s));
      if (s.output().report()) {
        long tr = System.nanoTime();
        Report.build(o.temp(), List.of(), o.target());
        ctx.progress(String.format(Locale.ROOT, "report: figures and report.html in %.2f s",
            (System.nanoTime() - tr) * 1e-9));
      }
      o.commit();
      printTable(outcomes, methodTree, priorTree, dataInfo);
    }
    ctx.progress(String.format(Locale.ROOT, "wrote %s in %.2f s", dir.location(),
        (System.nanoTime() - t0) * 1e-9));
    return ExitCode.OK;
  }

  private static void checkMethods(List<Method> ms) {
    List<Method> seen = new ArrayList<>();
    for (Method m : ms) {
      if (seen.contains(m)) {
        throw new BadInputException("--methods names '" + m.configName() + "' twice");
      }
      seen.add(m);
    }
  }

  private static String describe(Dataset d) {
    return String.format(Locale.ROOT, "%s: %d states (%d assimilated), nx %d, %d observations%s", d.source(),
        d.problem().nStates(), d.problem().nAssim(), d.problem().nx(), d.problem().nObs(),
        d.hasTruth() ? ", truth known" : "");
  }

  private static Map<String, Object> dataTree(Dataset d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", d.source());
    m.put("states", d.problem().nStates());
    m.put("assimilated", d.problem().nAssim());
    m.put("nx", d.problem().nx());
    m.put("ny", d.problem().ny());
    m.put("observations", d.problem().nObs());
    m.put("truth", d.hasTruth());
    return m;
  }

  /** The results table on stdout: one row per method (and the prior and background for reference). */
  @SuppressWarnings("unchecked")
  private void printTable(List<MethodOutcome> outcomes, Map<String, Object> methods, Map<String, Object> prior,
      Map<String, Object> data) {
    java.io.PrintStream p = ctx.out();
    p.printf(Locale.ROOT, "%-10s %8s %8s %10s %10s %10s %10s %10s %12s%n", "method", "seconds", "samples",
        "rmse_a", "rmse_f", "spread_a", "spread_f", "crps_a", "median J");
    if (data.containsKey("background_rmse_assim")) {
      p.printf(Locale.ROOT, "%-10s %8s %8s %10.4f %10.4f %10s %10s %10s %12.6g%n", "background", "", "",
          (Double) data.get("background_rmse_assim"), (Double) data.get("background_rmse_forecast"), "", "", "",
          (Double) data.get("cost_at_background"));
    }
    for (MethodOutcome m : outcomes) {
      Map<String, Object> e = "prior".equals(m.name) ? prior : (Map<String, Object>) methods.get(m.name);
      Map<String, Object> sc = (Map<String, Object>) e.getOrDefault("scores", Map.of());
      Map<String, Object> fc = (Map<String, Object>) e.getOrDefault("final_cost", Map.of());
      p.printf(Locale.ROOT, "%-10s %8.2f %8d %10s %10s %10s %10s %10s %12s%n", m.name, m.seconds, m.count,
          fmt(sc.get("rmse_assim")), fmt(sc.get("rmse_forecast")), fmt(e.get("spread_assim")),
          fmt(e.get("spread_forecast")), fmt(sc.get("crps_assim")), fmt6(fc.get("median")));
    }
    if (data.containsKey("cost_at_truth")) {
      p.printf(Locale.ROOT, "J at the truth: %.6g; at the background: %.6g%n", (Double) data.get("cost_at_truth"),
          (Double) data.get("cost_at_background"));
    }
    p.flush();
  }

  private static String fmt(Object v) {
    return v instanceof Double && Double.isFinite((Double) v) ? String.format(Locale.ROOT, "%.4f", (Double) v) : "-";
  }

  private static String fmt6(Object v) {
    return v instanceof Double && Double.isFinite((Double) v) ? String.format(Locale.ROOT, "%.6g", (Double) v) : "-";
  }

  private static double round3(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }
}
