package org.vi4dvar.driver.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.Dataset;
import org.vi4dvar.driver.io.Json;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.spark.MasterUrl;
import org.vi4dvar.driver.report.Report;
import org.vi4dvar.driver.output.OutputLayout;
import org.vi4dvar.driver.output.ParquetTrialSink;
import org.vi4dvar.driver.output.ReferenceDirectory;
import org.vi4dvar.driver.output.RunSummary;
import org.vi4dvar.driver.output.RunWriter;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.stats.TrajectoryStatistics;
import org.vi4dvar.driver.run.RunFailure;
import org.vi4dvar.driver.spark.SparkHandle;
import org.vi4dvar.driver.spark.SparkParallel;
import org.vi4dvar.driver.spark.SparkSetup;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.ExperimentResult;
import org.vi4dvar.kernels.experiment.ExperimentRunner;
import org.vi4dvar.kernels.stats.ReferenceScore;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.Resources;
import org.vi4dvar.kernels.experiment.TrialSink;
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
      description = "Comma-separated estimators to run: map, abc, ensemble, vi, mcmc, map-is, vi-is (default: "
          + "the configuration's 'methods': map, abc, ensemble, vi, with map-is and vi-is from psis.methods). They run in dependency order, abc first: its lowest-J trials are the starts of "
          + "the others (ABC runs as an exploration even when not listed if map, or ensemble/vi with "
          + "start = best, need it).")
  List<String> methods;

  @Option(names = "--reference", paramLabel = "DIR",
      description = "A method directory of an earlier run (e.g. its mcmc/), or any directory with mean.csv and "
          + "std.csv (optionally samples.csv) of the same window, every method is scored against "
          + "(summary.json methods.<m>.reference, the stdout table). Default: the configuration's 'reference', "
          + "else this run's mcmc when it runs.")
  Path reference;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master: local, local[N], local[*], local[N,F], local-cluster[N,C,M], "
          + "spark://host:port, yarn, k8s://... (default: spark.master of the configuration, else "
          + "spark-submit's, else local[*]).")
  String master;

  RunCommand(CommandContext ctx) {
    super(ctx);
  }

  /** Converts one {@code --methods} element. */
  static final class MethodConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String m = ConfigLoader.parseMethod(value);
      if (m == null) {
        throw new TypeConversionException("unknown method '" + ConfigLoader.oneLine(value)
            + "' (expected " + String.join(", ", org.vi4dvar.kernels.experiment.MethodRegistry.names()) + ")");
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
    output(data, config);
    Vi4dvarSettings s = settings(data);
    if (methods != null) {
      s = s.withMethods(methods);
    }
    String refOption = reference != null ? "--reference" : "config key 'reference'";
    Path refDir = reference != null ? reference : s.reference() != null ? Path.of(s.reference()) : null;
    // the reference is an input too (known once the configuration is): --out must not replace it either
    OutputDirectory dir = refDir == null ? output(data, config) : output(data, config, refDir);
    Dataset d = data != null ? readData(data, s) : Dataset.twin(s.experiment());
    if (reference != null) {
      s = s.withReference(reference.toString());
    }
    final ReferenceScore.Trajectories ref = refDir == null ? null
        : ReferenceDirectory.read(refDir, d.problem().nx(), d.problem().nStates(), refOption);
    final String refLabel = refDir == null ? null : refDir.toString();
    String masterUrl = SparkSetup.master(master, s.spark());
    if (MasterUrl.warning(masterUrl) != null) {
      ctx.progress(MasterUrl.warning(masterUrl));
    }
    SparkConf conf = SparkSetup.conf(masterUrl);
    ExperimentInputs in = d.inputs(s.experiment());
    checkResources(s, d, masterUrl, dir);

    try (ShutdownGuard guard = ShutdownGuard.install(ctx.err()); OutputDirectory o = dir) {
      o.open(ctx::progress);
      guard.protect(o);
      SparkSetup.useScratch(o.scratch(), ctx.ownJvm());
      ctx.progress(describe(d) + "; starting Spark (" + masterUrl + ")");
      Map<String, Object> sparkInfo = new LinkedHashMap<>();
      Map<String, Object> methodTree;
      ExperimentResult result;
      Map<String, Object> dataInfo;
      try (SparkHandle h = ctx.spark().start(conf)) {
        guard.protect(h);
        JavaSparkContext sc = h.sc();
        int partitions = s.spark().partitions() > 0 ? s.spark().partitions() : sc.defaultParallelism();
        sparkInfo.put("master", sc.master());
        sparkInfo.put("version", sc.version());
        sparkInfo.put("application_id", sc.sc().applicationId());
        sparkInfo.put("default_parallelism", sc.defaultParallelism());
        sparkInfo.put("partitions", partitions);
        sparkInfo.put("start_seconds", round3(h.startSeconds()));
        ctx.progress(String.format(Locale.ROOT, "Spark %s started in %.2f s (%d partitions)", sc.version(),
            h.startSeconds(), partitions));
        SparkParallel parallel = new SparkParallel(sc, partitions, s.debug().failFirstAttempt(), ctx::progress);
        TrialSink sink = s.experiment().runs("abc") && s.experiment().abc().threshold() != null
            ? new ParquetTrialSink(acceptedUri(o), OutputLayout.control(d.problem())) : null;
        result = ExperimentRunner.run(in, parallel, ctx::progress, sink);
        if (!result.anyAvailable()) {
          StringBuilder why = new StringBuilder();
          for (MethodResult m : result.methods) {
            why.append(why.length() > 0 ? "; " : "").append(m.name).append(": ").append(m.unavailable);
          }
          throw new RunFailure(result.methods.size() == 1 ? why.toString()
              : "no method produced a posterior (" + why + ")");
        }
        dataInfo = RunSummary.dataInfo(d.source(), in);
        // written while Spark runs: with output.trajectory-samples = all the trajectories are computed in tasks
        try (Shared<ExperimentInputs> shared = parallel.share(in)) {
          RunWriter.Trajectories all = (method, p, first, count) -> {
            try (Shared<Posterior> post = parallel.share(p)) {
              return TrajectoryStatistics.trajectories(parallel, shared, post, first, count, method);
            }
          };
          methodTree = RunSummary.write(o, s, in, dataInfo, sparkInfo, ctx.provenance().toTree(sc), result,
              (System.nanoTime() - t0) * 1e-9, all, ref, refLabel);
        }
        dataInfo.putAll(result.data);
      }
      if (s.experiment().output().report()) {
        long tr = System.nanoTime();
        Report.build(o.temp(), List.of(), o.target());
        ctx.progress(String.format(Locale.ROOT, "report: figures and report.html in %.2f s",
            (System.nanoTime() - tr) * 1e-9));
      }
      o.commit();
      printTable(result, methodTree, dataInfo, in.problem().estimatedParameters());
    }
    ctx.progress(String.format(Locale.ROOT, "wrote %s in %.2f s", dir.location(),
        (System.nanoTime() - t0) * 1e-9));
    return ExitCode.OK;
  }

  /**
   * Where the tasks write the accepted trials: inside the directory that becomes {@code --out}, on its own file
   * system (the local temporary directory, or the hidden sibling on a Hadoop file system).
   */
  static String acceptedUri(org.vi4dvar.driver.io.OutputDirectory o) {
    String base = o.tempUri();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/" + OutputLayout.ACCEPTED;
  }

  /**
   * Refuses a run that cannot fit, before Spark starts: the driver heap it needs (with a local master, plus its
   * tasks' working memory: they run in this JVM) against this JVM's maximum heap, and the size of its outputs
   * against the free space where --out goes. The message gives the estimate, the limit and the knob.
   */
  static void checkResources(Vi4dvarSettings s, Dataset d, String master, OutputDirectory dir) {
    int local = org.vi4dvar.driver.spark.MasterUrl.localThreads(master);
    Resources.Estimate e = Resources.of(s.experiment(), d.problem().controlDimension(), d.problem().nObs(),
        Math.max(1, local));
    long need = local > 0 ? e.localBytes(local) : e.driverBytes();
    long max = Runtime.getRuntime().maxMemory();
    if (need > 0.9 * max) {
      long tasks = local > 0 ? Math.max((long) local * e.taskBytes(), e.soloBytes()) : 0;
      String what = tasks <= e.driverBytes() ? e.largestDriver()
          : (long) local * e.taskBytes() >= e.soloBytes()
          ? local + " local tasks × " + Resources.bytes(e.taskBytes()) + " (mostly " + e.largestTask() + ")"
          : e.largestSolo();
      throw new BadInputException("the run needs about " + Resources.bytes(need) + " of heap (mostly " + what
          + "), more than the " + Resources.bytes(max) + " this JVM may use: give it more with "
          + "VI4DVAR_JAVA_OPTS=-Xmx" + (long) Math.ceil(need * 1.25 / (1 << 30)) + "g (submit/local.sh) or "
          + "--driver-memory, or lower the key named");
    }
    Path parent = dir.target().getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent != null) {
      try {
        long free = OutputDirectory.writableSpace(parent);
        if (e.outputBytes() > free) {
          throw new BadInputException("the run would write about " + Resources.bytes(e.outputBytes())
              + " (mostly " + e.largestOutput() + ") but '" + parent + "' has " + Resources.bytes(free)
              + " free: write elsewhere or lower the key named");
        }
      } catch (java.io.IOException ex) {
        // no file-store information: the write itself will tell
      }
    }
  }

  private static void checkMethods(List<String> ms) {
    List<String> seen = new ArrayList<>();
    for (String m : ms) {
      if (seen.contains(m)) {
        throw new BadInputException("--methods names '" + m + "' twice");
      }
      seen.add(m);
    }
  }

  private static String describe(Dataset d) {
    return String.format(Locale.ROOT, "%s: %d states (%d assimilated), nx %d, %d observations%s", d.source(),
        d.problem().nStates(), d.problem().nAssim(), d.problem().nx(), d.problem().nObs(),
        d.hasTruth() ? ", truth known" : "");
  }

  /**
   * The results table on stdout: one row per method (and the background and prior for reference), then a legend
   * saying what each column is.
   */
  @SuppressWarnings("unchecked")
  private void printTable(ExperimentResult result, Map<String, Object> methods, Map<String, Object> data,
      String[] estimated) {
    java.io.PrintStream p = ctx.out();
    final boolean forcing = java.util.Arrays.asList(estimated).contains("forcing");
    p.printf(Locale.ROOT, "%-10s %8s %8s %9s %9s %9s %9s %9s %11s %s %s%n", "method", "seconds", "draws", "rmse_a",
        "rmse_f", "spread_a", "spread_f", "crps_a", "median_J", forcing ? String.format(Locale.ROOT, "%-17s",
        "forcing (90 %)") : "", "objective");
    if (data.containsKey("background_rmse_assim")) {
      p.printf(Locale.ROOT, "%-10s %8s %8s %9s %9s %9s %9s %9s %11s  %s%n", "background", "", "",
          fmt(data.get("background_rmse_assim")), fmt(data.get("background_rmse_forecast")), "", "", "",
          fmt6(data.get("cost_at_background")), "");
    }
    List<MethodResult> all = new ArrayList<>();
    all.add(result.prior);
    all.addAll(result.methods);
    for (MethodResult m : all) {
      Map<String, Object> e = (Map<String, Object>) methods.get(m.name);
      if (!m.available()) {
        p.printf(Locale.ROOT, "%-10s %8.2f  unavailable: %s%n", m.name, m.seconds, m.unavailable);
        continue;
      }
      Map<String, Object> sc = (Map<String, Object>) e.getOrDefault("scores", Map.of());
      Map<String, Object> a = (Map<String, Object>) sc.getOrDefault("assim", Map.of());
      Map<String, Object> f = (Map<String, Object>) sc.getOrDefault("forecast", Map.of());
      Map<String, Object> spread = (Map<String, Object>) e.getOrDefault("spread", Map.of());
      Map<String, Object> cost = (Map<String, Object>) e.getOrDefault("cost",
          e.getOrDefault("expected_cost", Map.of()));
      String fcol = "";
      if (forcing) {
        Map<String, Object> ps = (Map<String, Object>) e.getOrDefault("parameters", Map.of());
        Map<String, Object> fe = (Map<String, Object>) ps.getOrDefault("forcing", Map.of());
        fcol = String.format(Locale.ROOT, "%-17s", fe.isEmpty() ? "" : String.format(Locale.ROOT,
            "%.3f [%.3f,%.3f]", num(fe.get("mean")), num(fe.get("q05")), num(fe.get("q95"))));
      }
      p.printf(Locale.ROOT, "%-10s %8.2f %8d %9s %9s %9s %9s %9s %11s %s %s%n", m.name,
          m.seconds + m.statisticsSeconds(), m.summary().used, fmt(a.get("rmse")), fmt(f.get("rmse")),
          fmt(spread.get("assim")), fmt(spread.get("forecast")), fmt(a.get("crps")), fmt6(cost.get("median")),
          fcol, objective(m));
    }
    if (data.containsKey("cost_at_truth")) {
      p.printf(Locale.ROOT, "J at the truth: %.6g; at the background: %.6g%n", (Double) data.get("cost_at_truth"),
          (Double) data.get("cost_at_background"));
    }
    printReference(p, all, methods);
    p.println("rmse_a, rmse_f: RMSE of the posterior mean against the truth, pooled over every grid point of the "
        + "assimilated (_a) or forecast (_f) states; spread: the mean posterior std over the same points; crps_a: "
        + "the mean CRPS over the assimilated points; median_J: the median 4D-Var cost J of the method's draws "
        + "(abc: kept trials, ensemble: members, map: minima, vi: E_q[J] per restart); objective: what the method "
        + "optimised or selected by" + (forcing ? "; forcing: the posterior mean of the estimated forcing F and "
        + "its 90 % interval [q05, q95]" : "") + ". Details: summary.json and report.html.");
    p.flush();
  }

  /** The scores against the reference, when there is one: one row per scored method. */
  @SuppressWarnings("unchecked")
  private static void printReference(java.io.PrintStream p, List<MethodResult> all, Map<String, Object> methods) {
    String label = null;
    for (MethodResult m : all) {
      Map<String, Object> e = (Map<String, Object>) methods.get(m.name);
      if (e != null && e.get("reference") instanceof Map) {
        label = (String) ((Map<String, Object>) e.get("reference")).get("reference");
        break;
      }
    }
    if (label == null) {
      return;
    }
    p.printf(Locale.ROOT, "against the reference %s:%n", label);
    p.printf(Locale.ROOT, "%-10s %9s %9s %9s %9s %9s %9s%n", "method", "mean_a", "std_a", "energy_a", "mean_f",
        "std_f", "energy_f");
    for (MethodResult m : all) {
      Map<String, Object> e = (Map<String, Object>) methods.get(m.name);
      if (e == null || !(e.get("reference") instanceof Map)) {
        continue;
      }
      Map<String, Object> ref = (Map<String, Object>) e.get("reference");
      Map<String, Object> a = (Map<String, Object>) ref.getOrDefault("assim", Map.of());
      Map<String, Object> f = (Map<String, Object>) ref.getOrDefault("forecast", Map.of());
      p.printf(Locale.ROOT, "%-10s %9s %9s %9s %9s %9s %9s%n", m.name, fmt(a.get("mean_error")),
          fmt(a.get("std_ratio")), fmt(a.get("energy_distance")), fmt(f.get("mean_error")),
          fmt(f.get("std_ratio")), fmt(f.get("energy_distance")));
    }
    p.println("mean: RMS over the points of |mean - reference mean| / reference std; std: mean std / mean "
        + "reference std; energy: energy distance of the sampled trajectories standardised by the reference "
        + "(output.trajectory-samples of each; - when either has none or the draws are weighted).");
  }

  private static String objective(MethodResult m) {
    var d = m.diagnostics;
    if ("none".equals(d.objective) || !Double.isFinite(d.objectiveValue)) {
      return "";
    }
    String v = String.format(Locale.ROOT, "%s %.6g", d.objective, d.objectiveValue);
    if (Double.isFinite(d.objectiveStdErr) && d.objectiveStdErr > 0) {
      v += String.format(Locale.ROOT, " ± %.2g", d.objectiveStdErr);
    }
    return v;
  }

  private static String fmt(Object v) {
    return v instanceof Number && Double.isFinite(((Number) v).doubleValue())
        ? String.format(Locale.ROOT, "%.4f", ((Number) v).doubleValue()) : "-";
  }

  private static double num(Object v) {
    return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
  }

  private static String fmt6(Object v) {
    return v instanceof Number && Double.isFinite(((Number) v).doubleValue())
        ? String.format(Locale.ROOT, "%.6g", ((Number) v).doubleValue()) : "-";
  }

  private static double round3(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }
}
