package org.vi4dvar.driver.output;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.driver.cli.Version;
import org.vi4dvar.driver.config.CalibrationSettings;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.io.Json;
import org.vi4dvar.kernels.calibrate.CalibrationStatistics;
import org.vi4dvar.kernels.calibrate.CalibrationSummary;
import org.vi4dvar.kernels.calibrate.Estimate;
import org.vi4dvar.kernels.calibrate.MethodCalibration;
import org.vi4dvar.kernels.calibrate.PartCalibration;
import org.vi4dvar.kernels.calibrate.TwinMethod;
import org.vi4dvar.kernels.calibrate.TwinPart;
import org.vi4dvar.kernels.calibrate.TwinResult;

/**
 * Writes the output directory of {@code calibrate}:
 * <pre>
 *   calibration.json     the calibration of every method (the prior too) per part x0, assim, forecast; failure
 *                        counts; time per twin; the effective configuration, the per-twin settings, provenance
 *   twins.csv            one row per (twin, method): twin,seed,method,available,draws,… and per part its scores
 *                        (a twin that failed as a whole has one row, with an empty method)
 *   config.conf          the whole configuration, calibrate section included (calibrate --config repeats it)
 *   twin.conf            the settings of every twin (spark and debug are not per twin): run --config twin.conf
 *                        --set seed=&lt;seed&gt; repeats a twin
 *   figures/*.png  calibration.html    the figures and page (report package)
 * </pre>
 * Formatting only: every number comes from the kernel ({@link CalibrationStatistics}). Doubles are written by
 * {@link Double#toString} (they read back to the same double); undefined values are empty fields or JSON null.
 */
public final class CalibrationWriter {

  /** The calibration's summary. */
  public static final String JSON = "calibration.json";
  /** The per-twin rows. */
  public static final String TWINS = "twins.csv";
  /** The whole configuration (HOCON). */
  public static final String CONFIG = "config.conf";
  /** The settings of every twin (HOCON). */
  public static final String TWIN_CONFIG = "twin.conf";
  /** The page. */
  public static final String HTML = "calibration.html";
  /** Failed twins listed in calibration.json (all are in twins.csv). */
  static final int MAX_FAILED_LISTED = 100;

  /** The score columns of a part in twins.csv, after the part's name and an underscore. */
  public static final List<String> PART_COLUMNS = List.of("rmse", "spread", "crps", "coverage50", "coverage90",
      "rank_bin");

  private CalibrationWriter() {
  }

  /** Facts about how the calibration ran, for calibration.json. */
  public record RunFacts(Map<String, Object> spark, double firstTwinSeconds, long twinsPerTask, double seconds) {
  }

  /** Writes calibration.json, twins.csv, config.conf and twin.conf. */
  public static void write(OutputSink out, CalibrationSettings cs, List<TwinResult> twins, CalibrationSummary c,
      RunFacts facts) throws IOException {
    try (Writer w = out.openWriter(TWINS)) {
      twins(w, twins);
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("vi4dvar", Version.get());
    j.put("command", "calibrate");
    j.put("twins", c.twins);
    j.put("seeds", "twin k runs the per-twin settings (twin_config) with seed_k = RandomStream(seed, "
        + "CALIBRATE_TWIN, k).nextLong(), in twins.csv; `run --config twin.conf --set seed=<seed_k>` repeats it");
    j.put("statistics", statisticsLegend(c));
    j.put("twins_failed", c.failed);
    j.put("failure_reasons", new LinkedHashMap<>(c.failureReasons));
    List<Object> failed = new ArrayList<>();
    for (TwinResult t : twins) {
      if (!t.ran() && failed.size() < MAX_FAILED_LISTED) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("twin", t.twin);
        f.put("seed", t.seed);
        f.put("reason", t.failure);
        failed.add(f);
      }
    }
    j.put("failed_twins", failed);
    j.put("twin_seconds", three(c.seconds, "mean", "median", "max"));
    Map<String, Object> methods = new LinkedHashMap<>();
    for (MethodCalibration m : c.methods) {
      methods.put(m.name, method(m));
    }
    j.put("methods", methods);
    j.put("config", cs.toTree());
    j.put("twin_config", cs.twin().experiment().toTree());
    j.put("spark", facts.spark());
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("first_twin_seconds", round3(facts.firstTwinSeconds()));
    run.put("twins_per_task", facts.twinsPerTask());
    j.put("tasks", run);
    j.put("seconds", round3(facts.seconds()));
    j.put("non_finite_written_as_null", Json.countNonFinite(j));
    out.writeString(JSON, Json.write(j).text());
    out.writeString(CONFIG, "# vi4dvar calibrate: the whole configuration (calibrate --config this file repeats it)\n"
        + ConfigLoader.renderHocon(cs.toTree()));
    out.writeString(TWIN_CONFIG, "# vi4dvar calibrate: the settings of every twin; twin k is\n"
        + "#   submit/local.sh run --out DIR --config twin.conf --set seed=<seed of twin k in twins.csv>\n"
        + ConfigLoader.renderHocon(cs.twin().experiment().toTree()));
  }

  private static Map<String, Object> statisticsLegend(CalibrationSummary c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("confidence", c.confidence);
    m.put("rank_bins", c.rankBins);
    m.put("unit", "the twin: twins are independent, the points of one twin are not");
    m.put("coverage", "Σ covered / Σ points over twins (ratio estimator); interval ± t(N−1)·se with the "
        + "cluster-robust (twin) variance, clipped to [0, 1]; _calibrated: L·(m−1)/(m+1) for m unweighted draws, "
        + "the coverage of a calibrated posterior with the same draws");
    m.put("rank_histogram", "points per bin, pooled over every point of every twin; rank_expected: calibrated "
        + "counts; rank_band_lo/hi: rank_expected ± t·(twin-clustered sd of the pooled bin count)");
    m.put("rank_pvalue", "uniformity of the pooled histogram: Pearson's X² with Rao & Scott's second-order "
        + "correction for the twin clustering, F form (as R survey::svychisq), on rank_groups groups of adjacent "
        + "bins");
    m.put("rank_pvalue_one_point", "Pearson's χ² of one point per twin (chosen before any data: point (k·φ + "
        + "part·φ²) mod points, φ = 0x9E3779B97F4A7C15; its bin is <part>_rank_bin in twins.csv), independent "
        + "values, on the same groups; rank_band_one_point: binomial band per bin");
    m.put("scores", "rmse, spread, crps: mean over twins of the twin's value ± t·sd/√N; spread_skill: Σ spread / "
        + "Σ rmse (ratio interval as for coverage)");
    return m;
  }

  private static Map<String, Object> method(MethodCalibration m) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("twins", m.twins);
    e.put("unavailable", m.unavailable);
    e.put("unavailable_reasons", new LinkedHashMap<>(m.unavailableReasons));
    e.put("diverged", m.diverged);
    e.put("excluded", m.excluded);
    e.put("non_finite_draws", m.nonFinite);
    e.put("unconverged", m.unconverged);
    e.put("convergence", m.convergence);
    e.put("draws_per_twin", three(m.draws, "min", "median", "max"));
    e.put("twin_seconds", three(m.seconds, "mean", "median", "max"));
    for (String p : CalibrationStatistics.PARTS) {
      e.put(p, part(m.part(p)));
    }
    return e;
  }

  private static Map<String, Object> part(PartCalibration p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("twins", p.twins);
    m.put("points_per_twin", p.pointsPerTwin);
    estimate(m, "coverage50", p.coverage50);
    m.put("coverage50_calibrated", p.coverage50Expected);
    estimate(m, "coverage90", p.coverage90);
    m.put("coverage90_calibrated", p.coverage90Expected);
    m.put("rank_histogram", boxed(p.rankHistogram));
    m.put("rank_expected", p.rankExpected);
    m.put("rank_band_lo", p.rankBandLo);
    m.put("rank_band_hi", p.rankBandHi);
    m.put("rank_pvalue", p.rankPvalue);
    m.put("rank_groups", p.rankGroups);
    m.put("rank_histogram_one_point", boxed(p.rankHistogramOnePoint));
    m.put("rank_expected_one_point", p.rankExpectedOnePoint);
    m.put("rank_band_one_point_lo", p.rankBandOnePointLo);
    m.put("rank_band_one_point_hi", p.rankBandOnePointHi);
    m.put("rank_pvalue_one_point", p.rankPvalueOnePoint);
    estimate(m, "rmse", p.rmse);
    estimate(m, "spread", p.spread);
    estimate(m, "spread_skill", p.spreadSkill);
    estimate(m, "crps", p.crps);
    return m;
  }

  private static void estimate(Map<String, Object> m, String key, Estimate e) {
    m.put(key, e.value());
    m.put(key + "_lo", e.lo());
    m.put(key + "_hi", e.hi());
  }

  private static Map<String, Object> three(double[] v, String a, String b, String c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(a, v[0]);
    m.put(b, v[1]);
    m.put(c, v[2]);
    return m;
  }

  /** The header of twins.csv. */
  public static String twinsHeader() {
    StringBuilder h = new StringBuilder("twin,seed,method,available,draws,diverged,excluded,non_finite,"
        + "converged");
    for (String p : CalibrationStatistics.PARTS) {
      for (String c : PART_COLUMNS) {
        h.append(',').append(p).append('_').append(c);
      }
    }
    h.append(",observations,cost_at_background,cost_at_truth,background_rmse_assim,seconds,twin_seconds");
    return h.toString();
  }

  private static void twins(Writer w, List<TwinResult> twins) throws IOException {
    w.write(twinsHeader());
    w.write('\n');
    StringBuilder b = new StringBuilder(512);
    for (TwinResult t : twins) {
      if (!t.ran()) {
        b.setLength(0);
        b.append(t.twin).append(',').append(t.seed).append(",,false,,,,,");
        for (int k = 0; k < CalibrationStatistics.PARTS.size() * PART_COLUMNS.size(); k++) {
          b.append(',');
        }
        b.append(",,,,,,");
        num(b, t.seconds);
        b.append('\n');
        w.write(b.toString());
        continue;
      }
      for (TwinMethod m : t.methods) {
        b.setLength(0);
        b.append(t.twin).append(',').append(t.seed).append(',').append(m.name).append(',').append(m.available())
            .append(',').append(m.draws).append(',').append(m.diverged).append(',').append(m.excluded).append(',')
            .append(m.nonFinite).append(',').append(m.available() ? Boolean.toString(m.converged) : "");
        for (String p : CalibrationStatistics.PARTS) {
          TwinPart x = m.part(p);
          if (x == null) {
            for (int k = 0; k < PART_COLUMNS.size(); k++) {
              b.append(',');
            }
            continue;
          }
          b.append(',');
          num(b, x.rmse);
          b.append(',');
          num(b, x.spread);
          b.append(',');
          num(b, x.crps);
          b.append(',');
          num(b, x.coverage50());
          b.append(',');
          num(b, x.coverage90());
          b.append(',').append(x.chosenBin);
        }
        b.append(',').append(t.observations).append(',');
        num(b, t.costAtBackground);
        b.append(',');
        num(b, t.costAtTruth);
        b.append(',');
        num(b, t.backgroundRmseAssim);
        b.append(',');
        num(b, m.seconds);
        b.append(',');
        num(b, t.seconds);
        b.append('\n');
        w.write(b.toString());
      }
    }
  }

  private static List<Object> boxed(long[] a) {
    List<Object> l = new ArrayList<>(a.length);
    for (long v : a) {
      l.add(v);
    }
    return l;
  }

  private static void num(StringBuilder b, double v) {
    if (Double.isFinite(v)) {
      b.append(v);
    }
  }

  private static double round3(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }
}
