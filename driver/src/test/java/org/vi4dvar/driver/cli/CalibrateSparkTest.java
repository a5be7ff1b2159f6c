package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.config.CalibrationSettings;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/**
 * {@code calibrate} end to end on shared local Spark contexts: the output layout; the same bits (but for the
 * timings) on local[1], local[2], five partitions, one twin per task, and with every task retried once; twin k
 * of calibrate equals {@code twin} + {@code run} with its seed (the same data, the same posteriors); the
 * configuration written repeats the calibration; {@code report} redraws the page; the limits checked before
 * anything is written.
 */
class CalibrateSparkTest extends SharedSpark {

  static final int TWINS = 6;

  /** The talk's experiment at tiny sizes per twin (a fraction of a second each), through calibrate.set. */
  static final String[] TINY = {"--set", "calibrate.set.abc.trials=2000", "--set", "calibrate.set.abc.keep=0.01",
      "--set", "calibrate.set.abc.block-size=1000", "--set", "calibrate.set.abc.prior-samples=0", "--set",
      "calibrate.set.ensemble.members=6", "--set", "calibrate.set.ensemble.max-iterations=100", "--set",
      "calibrate.set.vi.iterations=60", "--set", "calibrate.set.vi.window=20", "--set", "calibrate.set.vi.restarts=2", "--set",
      "calibrate.set.vi.samples-per-step=2", "--set", "calibrate.set.vi.elbo-samples=50", "--set",
      "calibrate.set.map.starts=2", "--set", "calibrate.set.map.max-iterations=100", "--set",
      "calibrate.set.posterior.samples=60", "--set", "calibrate.set.psis.draws=100", "--set", "calibrate.set.posterior.rank-bins=10", "--set",
      "calibrate.set.output.cov-times=[]", "--set", "calibrate.set.output.trajectory-samples=0", "--set",
      "output.report=false", "--set", "seed=5"};

  @TempDir
  static Path tmp;

  static Path ref;
  static Cli refRun;

  static String[] args(String... a) {
    List<String> l = new ArrayList<>(Arrays.asList(a));
    l.addAll(Arrays.asList(TINY));
    return l.toArray(new String[0]);
  }

  @BeforeAll
  static void reference() {
    ref = tmp.resolve("ref");
    refRun = Cli.run(providerForMaster(), args("calibrate", "--out", ref.toString(), "--twins",
        Integer.toString(TWINS), "--master", "local[2]"));
  }

  static JsonNode json(Path dir) {
    try {
      String text = Files.readString(dir.resolve("calibration.json"));
      assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** calibration.json without what may differ between runs of the same calibration: timings, Spark, tasks. */
  static String stable(Path dir) {
    ObjectNode o = (ObjectNode) json(dir).deepCopy();
    o.remove(List.of("spark", "tasks", "config"));
    removeTimings(o);
    return o.toPrettyString();
  }

  private static void removeTimings(JsonNode n) {
    if (n instanceof ObjectNode) {
      ObjectNode o = (ObjectNode) n;
      List<String> t = new ArrayList<>();
      o.fieldNames().forEachRemaining(f -> {
        if (f.equals("seconds") || f.endsWith("_seconds")) {
          t.add(f);
        }
      });
      o.remove(t);
      for (Iterator<JsonNode> it = o.elements(); it.hasNext();) {
        removeTimings(it.next());
      }
    }
  }

  /** twins.csv without its two timing columns (the last two). */
  static List<String> twinsWithoutTimings(Path dir) {
    return Outputs.csv(dir.resolve("twins.csv")).stream()
        .map(r -> String.join(",", Arrays.copyOf(r, r.length - 2))).collect(Collectors.toList());
  }

  @Test
  void writesTheCalibrationOfEveryMethod() throws IOException {
    assertEquals(ExitCode.OK, refRun.code(), refRun.err());
    for (String f : new String[] {"calibration.json", "twins.csv", "config.conf", "twin.conf"}) {
      assertTrue(Files.isRegularFile(ref.resolve(f)), f);
    }
    try (Stream<Path> l = Files.list(tmp)) {
      assertTrue(l.noneMatch(p -> p.getFileName().toString().startsWith(".ref.")), "no temporary sibling left");
    }
    JsonNode j = json(ref);
    assertEquals("calibrate", j.get("command").asText());
    assertEquals(TWINS, j.get("twins").asInt());
    assertEquals(0, j.get("twins_failed").asInt());
    // 7 methods: the prior, the four defaults and map-is, vi-is (psis.methods)
    assertEquals(2 * 7 * 3, j.get("non_finite_written_as_null").asInt(), "only the two rank p-values of every "
        + "method and part: none from fewer than 10 twins");
    assertEquals(2000, j.get("twin_config").get("abc").get("trials").asInt(), "calibrate.set applies per twin");
    assertEquals(100000, j.get("config").get("abc").get("trials").asInt(), "and not to the configuration");
    for (String m : new String[] {"prior", "abc", "map", "ensemble", "vi", "map-is", "vi-is"}) {
      JsonNode e = j.get("methods").get(m);
      assertNotNull(e, m);
      assertEquals(TWINS, e.get("twins").asInt(), m + ": " + e.get("unavailable_reasons"));
      int unconverged = e.get("unconverged").asInt();
      assertTrue(unconverged >= 0 && unconverged <= TWINS, m + ": unconverged " + unconverged);
      assertTrue(e.get("convergence").isTextual(), m + ": what its convergence test is");
      for (String part : new String[] {"x0", "assim", "forecast"}) {
        JsonNode p = e.get(part);
        for (String k : new String[] {"coverage50", "coverage50_lo", "coverage50_hi", "coverage90", "coverage90_lo",
            "coverage90_hi", "coverage90_calibrated", "rmse", "rmse_lo", "rmse_hi", "spread", "spread_skill",
            "crps", "crps_lo", "crps_hi"}) {
          assertTrue(p.get(k).isNumber(), m + " " + part + " " + k + ": " + p.get(k));
        }
        assertTrue(p.get("coverage90_lo").asDouble() <= p.get("coverage90").asDouble()
            && p.get("coverage90").asDouble() <= p.get("coverage90_hi").asDouble(), m + " " + part);
        assertEquals(10, p.get("rank_histogram").size(), "posterior.rank-bins of the twins");
        long points = 0;
        for (JsonNode c : p.get("rank_histogram")) {
          points += c.asLong();
        }
        assertEquals((long) TWINS * p.get("points_per_twin").asInt(), points, m + " " + part);
        assertEquals(part.equals("x0") ? 16 : part.equals("assim") ? 192 : 64, p.get("points_per_twin").asInt());
        assertTrue(p.get("rank_pvalue").isNull(), "no p-value from fewer than 10 twins");
      }
    }
    List<String[]> rows = Outputs.csv(ref.resolve("twins.csv"));
    assertEquals(1 + TWINS * 7, rows.size(), "header + a row per (twin, method): prior, 4 defaults, map-is, vi-is");
    assertEquals("twin,seed,method,available,draws", String.join(",", Arrays.copyOf(rows.get(0), 5)));
    assertEquals(33, rows.get(0).length);
    for (String[] r : rows) {
      assertEquals(33, r.length, String.join(",", r));
    }
    int converged = Arrays.asList(rows.get(0)).indexOf("converged");
    for (String m : new String[] {"prior", "abc", "map", "ensemble", "vi", "map-is", "vi-is"}) {
      long failed = rows.stream().skip(1).filter(r -> r[2].equals(m) && r[converged].equals("false")).count();
      assertEquals(j.get("methods").get(m).get("unconverged").asLong(), failed, m + ": twins.csv's converged "
          + "column and calibration.json's unconverged count agree");
    }
    assertTrue(refRun.out().contains("coverage90"), refRun.out());
    assertTrue(refRun.err().contains("a first twin took"), refRun.err());
    // the configuration written repeats the calibration
    CalibrationSettings again = ConfigLoader.loadCalibration(ref.resolve("config.conf"), List.of(), w -> { });
    assertEquals(j.get("config").toString(), new ObjectMapper().valueToTree(again.toTree()).toString());
    assertEquals(j.get("twin_config").toString(),
        new ObjectMapper().valueToTree(again.twin().experiment().toTree()).toString());
    // report DIR draws the page from the directory alone
    Cli rep = Cli.run("report", ref.toString());
    assertEquals(ExitCode.OK, rep.code(), rep.err());
    String html = Files.readString(ref.resolve("calibration.html"));
    assertEquals(3, html.split("data:image/png;base64,", -1).length - 1, "three figures embedded");
    assertTrue(html.contains("Rank histograms") && html.contains("ensemble"), "the page names its figures");
  }

  /** The same calibration gives the same bits on any master and partitioning, and after every task is retried. */
  @Test
  void sameBitsOnAnyMasterAnyPartitioningAndAfterRetries() {
    assertEquals(ExitCode.OK, refRun.code(), refRun.err());
    String[][] variants = {{"--master", "local[1]"}, {"--master", "local[2]", "--set", "spark.partitions=5"},
        {"--master", "local[2]", "--set", "calibrate.twins-per-task=1"},
        {"--master", "local[2,3]", "--set", "debug.fail-first-attempt=true"}};
    int i = 0;
    for (String[] v : variants) {
      Path out = tmp.resolve("v" + i++);
      List<String> l = new ArrayList<>(List.of("calibrate", "--out", out.toString(), "--twins",
          Integer.toString(TWINS)));
      l.addAll(List.of(v));
      Cli r = Cli.run(providerForMaster(), args(l.toArray(new String[0])));
      assertEquals(ExitCode.OK, r.code(), Arrays.toString(v) + ": " + r.err());
      assertEquals(stable(ref), stable(out), Arrays.toString(v));
      assertEquals(twinsWithoutTimings(ref), twinsWithoutTimings(out), Arrays.toString(v));
    }
  }

  /** Twin 3 of the calibration is `twin --set seed=<seed_3>` then `run --data`: the same data and posteriors. */
  @Test
  void twinKEqualsTwinThenRunWithItsSeed() {
    assertEquals(ExitCode.OK, refRun.code(), refRun.err());
    List<String[]> rows = Outputs.csv(ref.resolve("twins.csv"));
    List<String> header = Arrays.asList(rows.get(0));
    List<String[]> twin3 = rows.stream().filter(r -> r[0].equals("3")).collect(Collectors.toList());
    String seed = twin3.get(0)[1];
    Path data = tmp.resolve("twin3");
    Cli t = Cli.run("twin", "--out", data.toString(), "--config", ref.resolve("twin.conf").toString(), "--set",
        "seed=" + seed);
    assertEquals(ExitCode.OK, t.code(), t.err());
    Path run = tmp.resolve("run3");
    Cli r = Cli.run(sharedProvider(), "run", "--out", run.toString(), "--data", data.toString(), "--config",
        data.resolve("vi4dvar.conf").toString(), "--set", "output.report=false");
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode s = Outputs.summary(run);
    for (String[] row : twin3) {
      assertEquals(Double.parseDouble(row[header.indexOf("cost_at_truth")]),
          s.get("data").get("cost_at_truth").asDouble(), "the same data");
      assertEquals(Double.parseDouble(row[header.indexOf("cost_at_background")]),
          s.get("data").get("cost_at_background").asDouble());
      JsonNode sc = s.get("methods").get(row[2]).get("scores");
      for (String part : new String[] {"assim", "forecast"}) {
        for (String k : new String[] {"rmse", "spread", "crps", "coverage50", "coverage90"}) {
          assertEquals(Double.parseDouble(row[header.indexOf(part + "_" + k)]), sc.get(part).get(k).asDouble(),
              row[2] + " " + part + " " + k + ": the same posterior");
        }
      }
      assertEquals(Long.parseLong(row[header.indexOf("draws")]),
          s.get("methods").get(row[2]).get("posterior").get("draws").asLong());
      if (!row[2].equals("prior")) {
        assertEquals(Boolean.parseBoolean(row[header.indexOf("converged")]),
            s.get("methods").get(row[2]).get("objective").get("converged").asBoolean(), row[2] + ": the run's "
            + "own convergence verdict");
      }
    }
  }

  /** Limits that need Spark's facts (cores, task memory) are checked before anything is written. */
  @Test
  void estimatesBeyondTheLimitsAreRefusedAndNothingIsWritten() {
    Path out = tmp.resolve("limits");
    Cli slow = Cli.run(sharedProvider(), args("calibrate", "--out", out.toString(), "--twins", "1000", "--set",
        "calibrate.max-hours=1e-6"));
    assertEquals(ExitCode.BAD_INPUT, slow.code(), slow.err());
    assertEquals(1, Arrays.stream(slow.errLines()).filter(l -> l.startsWith("vi4dvar: error:")).count(),
        slow.err());
    assertTrue(slow.err().contains("calibrate.max-hours") && slow.err().contains("a first twin took"), slow.err());
    assertFalse(TestData.outputLeft(out));
    Cli big = Cli.run(sharedProvider(), args("calibrate", "--out", out.toString(), "--twins", "10", "--set",
        "calibrate.set.model.nx=40000", "--methods", "map"));
    assertEquals(ExitCode.BAD_INPUT, big.code(), big.err());
    assertTrue(big.err().contains("map cannot run per twin"), big.err());
    assertFalse(TestData.outputLeft(out));
  }
}
