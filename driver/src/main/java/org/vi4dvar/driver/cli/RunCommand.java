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
import org.vi4dvar.driver.io.DatasetReader;
import org.vi4dvar.driver.io.Json;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.spark.CostCheck;
import org.vi4dvar.driver.spark.RunInputs;
import org.vi4dvar.driver.spark.SparkHandle;
import org.vi4dvar.driver.spark.SparkSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code vi4dvar run}: validates everything, loads the dataset (or generates the twin), starts Spark,
 * broadcasts the problem and runs the estimators as tasks; writes {@code summary.json} into {@code --out}.
 *
 * <p>Phase 1: the estimators are not wired yet (they come with the kernel's estimators); a run evaluates the
 * 4D-Var cost of the background and of the truth in Spark tasks, which proves the broadcast and Kryo path, and
 * reports them. {@code summary.json} has an empty {@code methods} section until then.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
    description = {"Run the posterior estimators on a dataset directory (--data) or, by default, on the twin "
        + "experiment of the configuration; with no option beyond --out this is the talk's experiment.",
        "Writes DIR/summary.json (effective configuration, data, Spark, results)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the run failed", "2:bad input (command line, configuration, data, --out)",
        "130:interrupted"})
public final class RunCommand extends ExperimentCommand {

  @Option(names = "--data", paramLabel = "DIR",
      description = "Dataset directory: obs.csv, obs_std.csv, background.csv, background_std.csv, optional "
          + "truth.csv (comma-separated, no header; see conf/data/l96-talk). Its shape must match "
          + "window.states, window.assimilated, model.nx and obs.pooling. Default: generate the twin experiment "
          + "of the configuration.")
  Path data;

  @Option(names = "--methods", paramLabel = "METHOD", split = ",", converter = MethodConverter.class,
      description = "Comma-separated estimators to run, in order: map, abc, ensemble, vi "
          + "(default: the configuration's 'methods', all four).")
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
    OutputDirectory dir = OutputDirectory.check(out, overwrite, data, config);
    Vi4dvarSettings s = settings();
    if (methods != null) {
      s = s.withMethods(methods);
    }
    Dataset d = data != null ? DatasetReader.read(data, s) : Dataset.twin(s);
    String masterUrl = SparkSetup.master(master, s.spark());
    SparkConf conf = SparkSetup.conf(masterUrl);

    Map<String, Object> summary = new LinkedHashMap<>();
    try (ShutdownGuard guard = ShutdownGuard.install(ctx.err()); OutputDirectory o = dir) {
      o.open();
      guard.protect(o);
      ctx.progress(describe(d) + "; starting Spark (" + masterUrl + ")");
      List<CostCheck.Cost> costs;
      Map<String, Object> sparkInfo = new LinkedHashMap<>();
      try (SparkHandle h = ctx.spark().start(conf)) {
        guard.protect(h);
        JavaSparkContext sc = h.sc();
        sparkInfo.put("master", sc.master());
        sparkInfo.put("version", sc.version());
        sparkInfo.put("default_parallelism", sc.defaultParallelism());
        sparkInfo.put("partitions", s.spark().partitions() > 0 ? s.spark().partitions() : sc.defaultParallelism());
        sparkInfo.put("start_seconds", round3(h.startSeconds()));
        ctx.progress(String.format(Locale.ROOT, "Spark %s started in %.2f s (%d default partitions)",
            sc.version(), h.startSeconds(), sc.defaultParallelism()));
        long tj = System.nanoTime();
        Broadcast<RunInputs> inputs = sc.broadcast(new RunInputs(d.problem(), d.truth(), s));
        try {
          costs = CostCheck.run(sc, inputs);
        } finally {
          inputs.destroy();
        }
        ctx.progress(String.format(Locale.ROOT, "cost check in Spark tasks: %.2f s",
            (System.nanoTime() - tj) * 1e-9));
      }
      printCosts(costs);
      List<String> pending = new ArrayList<>();
      for (Method m : s.methods()) {
        pending.add(m.configName());
      }
      ctx.progress("estimators not run: " + String.join(", ", pending)
          + " (they are wired once the kernel's estimators land)");

      summary.put("vi4dvar", Version.get());
      summary.put("command", "run");
      summary.put("config", s.toTree());
      summary.put("data", dataTree(d));
      summary.put("spark", sparkInfo);
      Map<String, Object> costTree = new LinkedHashMap<>();
      for (CostCheck.Cost c : costs) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("J", c.j());
        e.put("Jb", c.jb());
        e.put("Jo", c.jo());
        costTree.put(c.label(), e);
      }
      summary.put("cost", costTree);
      summary.put("methods", new LinkedHashMap<String, Object>());
      summary.put("methods_not_run", pending);
      summary.put("seconds", round3((System.nanoTime() - t0) * 1e-9));
      int nonFinite = Json.countNonFinite(summary);
      summary.put("non_finite_written_as_null", nonFinite);
      o.writeString("summary.json", Json.write(summary).text());
      o.commit();
    }
    ctx.progress(String.format(Locale.ROOT, "wrote %s in %.2f s", dir.target(), (System.nanoTime() - t0) * 1e-9));
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

  private void printCosts(List<CostCheck.Cost> costs) {
    ctx.out().println("4D-Var cost J = Jb + Jo (evaluated in Spark tasks)");
    ctx.out().printf(Locale.ROOT, "  %-12s %14s %14s %14s%n", "x0", "J", "Jb", "Jo");
    for (CostCheck.Cost c : costs) {
      ctx.out().printf(Locale.ROOT, "  %-12s %14.6g %14.6g %14.6g%n", c.label(), c.j(), c.jb(), c.jo());
    }
    ctx.out().flush();
  }

  private static double round3(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }
}
