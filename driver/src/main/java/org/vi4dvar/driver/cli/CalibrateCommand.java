package org.vi4dvar.driver.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.config.CalibrationSettings;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.output.CalibrationWriter;
import org.vi4dvar.driver.report.CalibrationReport;
import org.vi4dvar.driver.run.RunFailure;
import org.vi4dvar.driver.spark.MasterUrl;
import org.vi4dvar.driver.spark.SparkHandle;
import org.vi4dvar.driver.spark.SparkParallel;
import org.vi4dvar.driver.spark.SparkSetup;
import org.vi4dvar.kernels.calibrate.Calibration;
import org.vi4dvar.kernels.calibrate.CalibrationInputs;
import org.vi4dvar.kernels.calibrate.CalibrationStatistics;
import org.vi4dvar.kernels.calibrate.CalibrationSummary;
import org.vi4dvar.kernels.calibrate.MethodCalibration;
import org.vi4dvar.kernels.calibrate.PartCalibration;
import org.vi4dvar.kernels.calibrate.TwinCost;
import org.vi4dvar.kernels.calibrate.TwinResult;
import org.vi4dvar.kernels.config.ExperimentSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vi4dvar calibrate}: N twin experiments from the configuration — twin k with its own seed, inside one Spark
 * task, the selected methods run by the kernel's experiment runner there — and, per method, the calibration of its
 * posterior pooled over the twins ({@link CalibrationStatistics}): coverage with twin-clustered intervals, rank
 * histograms with bands and uniformity tests, mean scores with intervals, failures, time per twin.
 *
 * <p>Before the twins run (with nothing but the hidden sibling of {@code --out} created, removed on a refusal) it
 * checks what can be checked: {@code --twins}, the configuration (with
 * {@code calibrate.set}), the methods' memory in one task ({@link TwinCost}), the driver's memory for the results,
 * and the wall time, estimated from one twin timed on the driver. The output is all or nothing, like {@code run}.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
    description = {"Calibration over many twin experiments: N twins of the configuration (truth, observations, "
        + "mask and background from each twin's own seed), each running the methods inside one Spark task; per "
        + "method, pooled over the twins for x0, the assimilated and the forecast states: coverage of the central "
        + "50 %% and 90 %% intervals with twin-clustered confidence intervals, rank histograms of the truth with "
        + "bands and uniformity p-values, RMSE, spread, spread/skill and CRPS with intervals, failures, time per "
        + "twin.",
        "Writes DIR/calibration.json, DIR/twins.csv, DIR/config.conf, DIR/twin.conf, DIR/figures/*.png and "
        + "DIR/calibration.html. The calibrate section of the configuration scales the twins down "
        + "(calibrate.set { abc.trials = 20000, ... })."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the calibration failed (every twin failed, or no method had a posterior)",
        "2:bad input (--twins, configuration, a method that cannot run per twin, an estimate beyond the limits, "
        + "--out)", "130:interrupted (Ctrl-C)", "143:terminated (SIGTERM)"})
public final class CalibrateCommand extends ExperimentCommand {

  /** Largest N accepted (the driver also checks its memory for the results). */
  public static final long MAX_TWINS = 100_000_000L;

  @Option(names = "--twins", required = true, paramLabel = "N",
      description = "Number of twin experiments (1 .. 10^8; also bounded by the driver's memory and "
          + "calibrate.max-hours, estimated before starting).")
  long twins;

  @Option(names = "--methods", paramLabel = "METHOD", split = ",", converter = RunCommand.MethodConverter.class,
      description = "Comma-separated estimators every twin runs: map, abc, ensemble, vi (default: the "
          + "configuration's methods, calibrate.set.methods if set). The prior is always reported too.")
  List<String> methods;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (as for run; default: spark.master, else spark-submit's, else local[*]).")
  String master;

  CalibrateCommand(CommandContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() throws Exception {
    final long t0 = System.nanoTime();
    SparkSetup.checkMasterOption(master);
    if (twins < 1 || twins > MAX_TWINS) {
      throw new BadInputException("--twins must be in [1, " + MAX_TWINS + "], got " + twins);
    }
    if (methods != null) {
      List<String> seen = new ArrayList<>();
      for (String m : methods) {
        if (seen.contains(m)) {
          throw new BadInputException("--methods names '" + m + "' twice");
        }
        seen.add(m);
      }
    }
    OutputDirectory dir = output(config);
    CalibrationSettings cs = ConfigLoader.loadCalibration(config, sets, ctx::progress);
    if (methods != null) {
      cs = cs.withMethods(methods);
    }
    final ExperimentSettings twin = cs.twin().experiment();
    long resultBytes = twins * TwinCost.resultBytes(twin);
    long heap = Runtime.getRuntime().maxMemory();
    if (resultBytes > heap / 4) {
      throw new BadInputException(String.format(Locale.ROOT, "--twins %d: the twins' results need about %s on the "
          + "driver, more than a quarter of its %s heap; lower --twins or give the driver more memory "
          + "(VI4DVAR_JAVA_OPTS=-Xmx...)", twins, TwinCost.bytes(resultBytes), TwinCost.bytes(heap)));
    }
    String masterUrl = SparkSetup.master(master, cs.settings().spark());
    SparkConf conf = SparkSetup.conf(masterUrl);
    CalibrationInputs in = new CalibrationInputs(twin, cs.settings().seed(), twins, null);

    try (ShutdownGuard guard = ShutdownGuard.install(ctx.err()); OutputDirectory o = dir) {
      // opened before Spark starts, as run does: the lock refuses a second command on --out at once, and Spark's
      // local directories and the JVM's temporary files go into the sibling, where the next command on --out
      // removes them after a SIGKILL; a limit found below still leaves nothing (the sibling is removed)
      o.open(ctx::progress);
      guard.protect(o);
      SparkSetup.useScratch(o.scratch(), ctx.ownJvm());
      Map<String, Object> sparkInfo = new LinkedHashMap<>();
      List<TwinResult> results;
      double first;
      long perTask;
      try (SparkHandle h = ctx.spark().start(conf)) {
        guard.protect(h);
        JavaSparkContext sc = h.sc();
        int partitions = cs.settings().spark().partitions() > 0 ? cs.settings().spark().partitions()
            : sc.defaultParallelism();
        sparkInfo.put("master", sc.master());
        sparkInfo.put("version", sc.version());
        sparkInfo.put("application_id", sc.sc().applicationId());
        sparkInfo.put("default_parallelism", sc.defaultParallelism());
        sparkInfo.put("partitions", partitions);
        sparkInfo.put("start_seconds", Math.round(h.startSeconds() * 1000.0) / 1000.0);
        checkLimits(sc, partitions, twin, resultBytes);
        ctx.progress(String.format(Locale.ROOT, "calibrate: %d twins of %d states (%d assimilated), nx %d, methods "
            + "%s; timing a first twin on the driver", twins, twin.window().states(), twin.window().assimilated(),
            twin.model().nx(), String.join(",", twin.methods())));
        TwinResult probe = Calibration.twin(in, 0);
        first = probe.seconds;
        double estimate = twins * first / partitions;
        if (estimate > cs.calibrate().maxHours() * 3600) {
          throw new BadInputException(String.format(Locale.ROOT, "--twins %d: about %s on %d cores (a first twin "
              + "took %.2f s on the driver), beyond calibrate.max-hours = %s; lower --twins, scale the twins down "
              + "with calibrate.set (e.g. --set calibrate.set.abc.trials=20000), or raise calibrate.max-hours",
              twins, duration(estimate), partitions, first, num(cs.calibrate().maxHours())));
        }
        perTask = cs.calibrate().twinsPerTask() > 0 ? cs.calibrate().twinsPerTask()
            : Calibration.twinsPerTask(first, cs.calibrate().taskSeconds(), twins, partitions);
        ctx.progress(String.format(Locale.ROOT, "calibrate: a first twin took %.2f s on the driver%s: about %s on %d "
            + "cores, up to %d twins per task", first, probe.ran() ? "" : " (it failed: " + probe.failure + ")",
            duration(estimate), partitions, perTask));
        SparkParallel parallel = new SparkParallel(sc, partitions, cs.settings().debug().failFirstAttempt(),
            ctx::progress);
        results = Calibration.run(in, parallel, perTask);
      }
      CalibrationSummary c = CalibrationStatistics.of(results, twin.posterior().rankBins(),
          cs.calibrate().confidence());
      if (c.failed == c.twins) {
        throw new RunFailure("calibrate: every one of the " + c.twins + " twins failed ("
            + c.failureReasons.keySet().iterator().next() + ")");
      }
      if (c.failed > 0) {
        ctx.progress(String.format(Locale.ROOT, "calibrate: %d of %d twins failed and are left out (most often: %s); "
            + "see calibration.json", c.failed, c.twins, c.failureReasons.keySet().iterator().next()));
      }
      boolean any = false;
      for (MethodCalibration m : c.methods) {
        if (!m.name.equals("prior") && m.twins > 0) {
          any = true;
        }
        if (m.unavailable > 0) {
          ctx.progress(String.format(Locale.ROOT, "calibrate: %s had no posterior in %d twins (most often: %s)",
              m.name, m.unavailable, m.unavailableReasons.keySet().iterator().next()));
        }
      }
      if (!any) {
        throw new RunFailure("calibrate: no method had a posterior in any twin");
      }
      CalibrationWriter.write(o, cs, results, c, new CalibrationWriter.RunFacts(sparkInfo, first, perTask,
          (System.nanoTime() - t0) * 1e-9));
      if (cs.settings().experiment().output().report()) {
        long tr = System.nanoTime();
        CalibrationReport.build(o.temp(), o.target());
        ctx.progress(String.format(Locale.ROOT, "report: figures and %s in %.2f s", CalibrationWriter.HTML,
            (System.nanoTime() - tr) * 1e-9));
      }
      o.commit();
      printTable(ctx.out(), c);
    }
    ctx.progress(String.format(Locale.ROOT, "wrote %s in %.2f s", dir.target(), (System.nanoTime() - t0) * 1e-9));
    return ExitCode.OK;
  }

  /**
   * Refuses a method whose per-twin working set does not fit in one task, and results that would exceed Spark's
   * limit on what tasks send back ({@code spark.driver.maxResultSize}).
   */
  private static void checkLimits(JavaSparkContext sc, int partitions, ExperimentSettings twin, long resultBytes) {
    SparkConf c = sc.getConf();
    long task;
    if (MasterUrl.isLocal(sc.master())) {
      task = Runtime.getRuntime().maxMemory() / Math.max(1, partitions);
    } else {
      // the unified memory region of an executor (60 % of its heap) shared by its cores
      task = (long) (0.6 * c.getSizeAsBytes("spark.executor.memory", "1g")) / Math.max(1,
          c.getInt("spark.executor.cores", 1));
    }
    String why = TwinCost.cannotRunPerTwin(twin, task);
    if (why != null) {
      throw new BadInputException("calibrate: " + why);
    }
    long maxResult = c.getSizeAsBytes("spark.driver.maxResultSize", "1g");
    if (maxResult > 0 && resultBytes > maxResult) {
      throw new BadInputException(String.format(Locale.ROOT, "--twins: the twins' results (about %s) exceed "
          + "spark.driver.maxResultSize (%s); lower --twins or raise it in conf/spark-defaults.conf",
          TwinCost.bytes(resultBytes), TwinCost.bytes(maxResult)));
    }
  }

  /** The calibration table on stdout: per method and part, coverage with its interval, rank p-values, scores. */
  private static void printTable(PrintStream p, CalibrationSummary c) {
    p.printf(Locale.ROOT, "%-10s %6s %-8s %-22s %-22s %6s %9s %9s %9s %9s %9s%n", "method", "twins", "part",
        "coverage50 [ci]", "coverage90 [ci]", "cal90", "rank_p", "rank_p1", "rmse", "spr/skill", "crps");
    for (MethodCalibration m : c.methods) {
      boolean firstRow = true;
      for (String part : CalibrationStatistics.PARTS) {
        PartCalibration x = m.part(part);
        if (x.twins == 0 && !part.equals("x0")) {
          continue;
        }
        p.printf(Locale.ROOT, "%-10s %6s %-8s %-22s %-22s %6s %9s %9s %9s %9s %9s%n", firstRow ? m.name : "",
            firstRow ? Integer.toString(m.twins) : "", part, ci(x.coverage50.value(), x.coverage50.lo(),
            x.coverage50.hi()), ci(x.coverage90.value(), x.coverage90.lo(), x.coverage90.hi()),
            Double.isFinite(x.coverage90Expected) ? String.format(Locale.ROOT, "%.3f", x.coverage90Expected) : "-",
            pv(x.rankPvalue),
            pv(x.rankPvalueOnePoint), f4(x.rmse.value()), f4(x.spreadSkill.value()), f4(x.crps.value()));
        firstRow = false;
      }
    }
    p.printf(Locale.ROOT, "%d twins (%d failed); intervals at %.0f %%, clustered by twin. coverage: share of points "
        + "inside the central interval; cal90: what a calibrated posterior with the same draws covers; rank_p: "
        + "uniformity of the truth's rank, all points (Rao-Scott corrected χ²); rank_p1: one point per twin (χ²); "
        + "rmse, spr/skill, crps: means over twins. Details: calibration.json and calibration.html.%n", c.twins,
        c.failed, 100 * c.confidence);
    for (MethodCalibration m : c.methods) {
      if (m.unconverged > 0) {
        p.printf(Locale.ROOT, "%s: in %d of %d twins the method's own check did not pass (it passes when: %s); "
            + "the scores include those twins%n", m.name, m.unconverged, m.twins, m.convergence);
      }
    }
    p.flush();
  }

  private static String ci(double v, double lo, double hi) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    return Double.isFinite(lo) ? String.format(Locale.ROOT, "%.3f [%.3f,%.3f]", v, lo, hi)
        : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String pv(double v) {
    if (v == 0) {
      return "<1e-300";
    }
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "-";
  }

  private static String f4(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** {@code 42 s}, {@code 3 min 20 s}, {@code 2.5 h}, {@code 3.1 days}. */
  static String duration(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02.0f s", (long) (s / 60), s - 60 * (long) (s / 60));
    }
    if (s < 86400 * 2) {
      return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
    return String.format(Locale.ROOT, "%.1f days", s / 86400);
  }
}
