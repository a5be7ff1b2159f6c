package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/**
 * The {@code run} command end to end on shared local Spark contexts: all four methods on the talk's data at
 * reduced sizes, bit-identical results across masters, partition counts and task retries, the twin round trip,
 * ABC's threshold mode, and runs that must fail cleanly.
 */
class RunSparkTest extends SharedSpark {

  /** The talk's experiment at reduced sizes (a few seconds per run). */
  static final String[] SMALL = {"--set", "abc.trials=20000", "--set", "abc.block-size=2048", "--set",
      "ensemble.members=12", "--set", "vi.restarts=3", "--set", "vi.iterations=300", "--set", "map.starts=4",
      "--set", "posterior.samples=200", "--set", "output.report=false", "--set", "psis.draws=500"};

  static final String[] METHODS = {"map", "abc", "ensemble", "vi"};

  @TempDir
  Path tmp;

  static String[] args(String... a) {
    List<String> l = new ArrayList<>(Arrays.asList(a));
    l.addAll(Arrays.asList(SMALL));
    return l.toArray(new String[0]);
  }

  @Test
  void allFourMethodsOnTheTalksDataBeatTheBackground() throws IOException {
    Path out = tmp.resolve("talk");
    Cli r = Cli.run(sharedProvider(), args("run", "--out", out.toString(), "--data",
        TestData.talkDir().toString(), "--master", "local[2]"));
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode s = Outputs.summary(out);
    assertEquals(91, s.get("data").get("observations").asInt());
    assertEquals(49.13, s.get("data").get("cost_at_truth").asDouble(), 0.05);
    assertEquals(0, s.get("non_finite_written_as_null").asInt());
    double background = s.get("data").get("background_rmse_assim").asDouble();
    assertEquals(3.25, background, 0.01);
    assertTrue(s.get("methods").get("prior").get("available").asBoolean(), "the prior is with the methods");
    for (String m : METHODS) {
      JsonNode e = s.get("methods").get(m);
      assertTrue(e != null, m + " in summary.json");
      assertTrue(e.get("available").asBoolean(), m);
      int draws = e.get("posterior").get("draws").asInt();
      assertTrue(draws > 0, m);
      JsonNode a = e.get("scores").get("assim");
      assertTrue(a.get("rmse").asDouble() < background, m + " beats the background: " + e);
      for (String part : new String[] {"assim", "forecast"}) {
        for (String k : new String[] {"rmse", "spread", "spread_skill", "crps", "coverage50", "coverage90"}) {
          assertTrue(e.get("scores").get(part).get(k).isNumber(), m + " " + part + " " + k);
        }
      }
      assertEquals(20, a.get("rank_histogram").size(), "posterior.rank-bins bins");
      long points = 0;
      for (JsonNode c : a.get("rank_histogram")) {
        points += c.asLong();
      }
      assertEquals(a.get("points").asLong(), points);
      assertTrue(e.get("objective").get("name").isTextual(), m);
      for (String f : new String[] {"mean.csv", "std.csv", "q05.csv", "q50.csv", "q95.csv", "cov_t0.csv",
          "cov_t11.csv", "cov_t15.csv", "samples.csv", "x0_mean.csv", "x0_cov.csv", "posterior.json",
          "posterior.bin"}) {
        assertTrue(Files.isRegularFile(out.resolve(m).resolve(f)), m + "/" + f);
      }
      List<String[]> mean = Outputs.csv(out.resolve(m).resolve("mean.csv"));
      assertEquals(17, mean.size(), "header + 16 states");
      assertEquals("t", mean.get(0)[0]);
      assertEquals(17, mean.get(0).length);
      assertEquals(17, Outputs.csv(out.resolve(m).resolve("cov_t11.csv")).size());
      List<String[]> samples = Outputs.csv(out.resolve(m).resolve("samples.csv"));
      assertEquals(1 + Math.min(20, draws) * 16, samples.size(), "long form: one row per (sample, t)");
      assertEquals(18, samples.get(0).length);
      assertEquals(2, Outputs.csv(out.resolve(m).resolve("x0_mean.csv")).size());
      assertTrue(r.out().contains(m), "the table lists " + m);
    }
    assertEquals(20, s.get("methods").get("abc").get("posterior").get("draws").asInt(), "k = 0.001 × 20000");
    assertEquals(12, s.get("methods").get("ensemble").get("counts").get("members").asInt());
    assertTrue(s.get("methods").get("map").get("distinct_minima").asInt() >= 1);
    for (String f : new String[] {"map/solution.csv", "map/starts.csv", "map/cost_trace.csv", "abc/kept.csv",
        "abc/prior_sample.csv", "ensemble/members.csv", "ensemble/cost_trace.csv", "vi/restarts.csv",
        "vi/elbo_trace.csv", "prior/mean.csv", "data/obs.csv", "data/truth.csv", "config.conf"}) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertEquals(5, Outputs.csv(out.resolve("map/starts.csv")).size(), "header + 4 starts");
    assertEquals(13, Outputs.csv(out.resolve("ensemble/members.csv")).size(), "header + 12 members");
    assertEquals("restart,iteration,elbo", String.join(",", Outputs.csv(out.resolve("vi/elbo_trace.csv")).get(0)),
        "a long-form trace");
    // the ensemble's exact x0 moments are its members' sample moments: the same as the statistics at t = 0
    String[] x0 = Outputs.csv(out.resolve("ensemble/x0_mean.csv")).get(1);
    String[] row0 = Outputs.csv(out.resolve("ensemble/mean.csv")).get(1);
    for (int i = 0; i < 16; i++) {
      assertEquals(Double.parseDouble(x0[i]), Double.parseDouble(row0[i + 1]), 1e-12);
    }
    try (Stream<Path> l = Files.list(tmp)) {
      assertEquals(1, l.count(), "only the output, no temporary sibling");
    }
  }

  /** The same seed gives the same bits on local[1], local[2], 5 partitions, and with every task retried once. */
  @Test
  void sameSeedSameBitsOnAnyMasterAnyPartitioningAndAfterRetries() {
    Path ref = tmp.resolve("ref");
    Cli a = Cli.run(providerForMaster(), args("run", "--out", ref.toString(), "--master", "local[2]"));
    assertEquals(ExitCode.OK, a.code(), a.err());
    String[][] variants = {{"--master", "local[1]"}, {"--master", "local[2]", "--set", "spark.partitions=5"},
        {"--master", "local[2,3]", "--set", "debug.fail-first-attempt=true"}};
    int i = 0;
    for (String[] v : variants) {
      Path out = tmp.resolve("v" + i++);
      List<String> l = new ArrayList<>(List.of("run", "--out", out.toString()));
      l.addAll(List.of(v));
      Cli r = Cli.run(providerForMaster(), args(l.toArray(new String[0])));
      assertEquals(ExitCode.OK, r.code(), Arrays.toString(v) + ": " + r.err());
      Outputs.assertSameResults(ref, out, "config");
      JsonNode c = Outputs.summary(out).get("config");
      assertEquals(Outputs.summary(ref).get("config").get("seed"), c.get("seed"));
    }
  }

  @Test
  void aFailingTaskWithoutRetriesFailsTheRunCleanly() {
    Path out = tmp.resolve("f");
    Cli r = Cli.run(providerForMaster(), args("run", "--out", out.toString(), "--master", "local[2]", "--set",
        "debug.fail-first-attempt=true"));
    assertEquals(ExitCode.FAILURE, r.code(), r.err());
    assertEquals(1, Arrays.stream(r.errLines()).filter(x -> x.startsWith("vi4dvar: error:")).count(), r.err());
    assertTrue(r.err().contains("injected fault"), r.err());
    assertFalse(TestData.outputLeft(out));
  }

  @Test
  void twinThenRunDataGivesTheSameResultsAsRun() {
    Path data = tmp.resolve("data");
    Cli t = Cli.run("twin", "--out", data.toString(), "--set", "seed=17", "--set", "obs.pooling=2");
    assertEquals(ExitCode.OK, t.code(), t.err());
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Cli ra = Cli.run(sharedProvider(), args("run", "--out", a.toString(), "--set", "seed=17", "--set",
        "obs.pooling=2"));
    Cli rb = Cli.run(sharedProvider(), args("run", "--out", b.toString(), "--data", data.toString(), "--config",
        data.resolve("vi4dvar.conf").toString()));
    assertEquals(ExitCode.OK, ra.code(), ra.err());
    assertEquals(ExitCode.OK, rb.code(), rb.err());
    Outputs.assertSameResults(a, b, "data");
    assertEquals(Outputs.summary(a).get("config"), Outputs.summary(b).get("config"));
  }

  /**
   * Issue 17: threshold mode's accepted trials are one Parquet table written by the tasks, read back by Spark:
   * as many rows as summary.json's accepted count, each trial once, every distance within the threshold, and the
   * first k rows by trial (the posterior's draws) bit for bit those of kept.csv; only Spark's committed files
   * (part-NNNNN.parquet, _SUCCESS), no attempt's leftovers, no checksum files.
   */
  @Test
  void thresholdModeWritesEveryAcceptedTrialFromTheTasksAsParquet() throws IOException {
    final int K = 40; // abc.keep × abc.trials
    Path out = tmp.resolve("thr");
    Cli r = Cli.run(providerForMaster(), args("run", "--out", out.toString(), "--data",
        TestData.talkDir().toString(), "--methods", "abc", "--set", "abc.threshold=600", "--set", "abc.keep=0.002",
        "--master", "local[2,3]", "--set", "debug.fail-first-attempt=true"));
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode abc = Outputs.summary(out).get("methods").get("abc");
    long accepted = abc.get("counts").get("accepted").asLong();
    assertTrue(accepted > K, "more accepted trials than k, so that the table holds more than kept.csv: " + abc);
    // issue 10 item 16, re-audit: stderr says how many were accepted and that the posterior is k of them (the
    // stdout table shows only its draws)
    assertTrue(r.err().contains("abc: " + accepted + " trials accepted (distance <= 600.0); the posterior is the "
        + "first " + K + " of them by trial index"), r.err());
    Path dir = out.resolve(org.vi4dvar.driver.output.OutputLayout.ACCEPTED);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        String name = f.getFileName().toString();
        assertTrue(name.matches("part-\\d{5}\\.parquet") || name.equals("_SUCCESS"), "only committed files: " + name);
      }
    }
    org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().sparkContext(sc("local[2,3]").sc())
        .getOrCreate();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> t = spark.read().parquet(dir.toString());
    // (Spark reads every Parquet column back as nullable: names and types)
    assertEquals(Arrays.stream(org.vi4dvar.driver.output.ParquetTrialSink.schema(
        java.util.stream.IntStream.range(0, 16).mapToObj(i -> "x0_" + i).toArray(String[]::new)).fields())
        .map(f -> f.name() + ":" + f.dataType()).toList(),
        Arrays.stream(t.schema().fields()).map(f -> f.name() + ":" + f.dataType()).toList());
    assertEquals(accepted, t.count(), "every accepted trial is written once");
    assertEquals(accepted, t.select("trial").distinct().count(), "no trial twice (the first attempts failed)");
    assertEquals(0, t.filter("distance > 600").count());
    List<org.apache.spark.sql.Row> first = t.orderBy("trial").limit(K).collectAsList();
    List<String[]> kept = Outputs.csv(out.resolve("abc/kept.csv"));
    assertEquals(String.join(",", t.columns()), String.join(",", kept.get(0)), "the same columns as kept.csv");
    assertEquals(Math.min(K, accepted), kept.size() - 1, "kept.csv holds the first k accepted trials");
    for (int k = 0; k < kept.size() - 1; k++) {
      String[] row = kept.get(k + 1);
      org.apache.spark.sql.Row p = first.get(k);
      assertEquals(Long.parseLong(row[0]), p.getLong(0), "trial of row " + k);
      for (int c = 1; c < row.length; c++) {
        assertEquals(Double.doubleToLongBits(Double.parseDouble(row[c])), Double.doubleToLongBits(p.getDouble(c)),
            "row " + k + " column " + kept.get(0)[c]);
      }
    }
    int draws = abc.get("posterior").get("draws").asInt();
    assertTrue(draws <= K && draws == Math.min(K, accepted), "the first k accepted trials: " + draws);
  }

  /** The experiment runner in one JVM (no Spark) gives the same posteriors and files as the Spark run. */
  @Test
  void theSameRunInOneJvmWithoutSpark() throws IOException {
    Path a = tmp.resolve("spark");
    Cli r = Cli.run(sharedProvider(), args("run", "--out", a.toString(), "--data", TestData.talkDir().toString(),
        "--master", "local[2]"));
    assertEquals(ExitCode.OK, r.code(), r.err());
    org.vi4dvar.driver.config.Vi4dvarSettings s = org.vi4dvar.driver.config.ConfigLoader.load(
        a.resolve("config.conf"), List.of());
    org.vi4dvar.driver.io.Dataset d = org.vi4dvar.driver.io.DatasetReader.read(a.resolve("data"), s.experiment());
    org.vi4dvar.kernels.experiment.ExperimentInputs in = new org.vi4dvar.kernels.experiment.ExperimentInputs(
        d.problem(), d.truth(), s.experiment());
    org.vi4dvar.kernels.experiment.ExperimentResult res = org.vi4dvar.kernels.experiment.ExperimentRunner.run(in,
        org.vi4dvar.kernels.experiment.LocalParallel.sequential(),
        org.vi4dvar.kernels.experiment.ExperimentListener.NONE, null);
    Path b = tmp.resolve("jvm");
    org.vi4dvar.driver.output.RunSummary.write(new org.vi4dvar.driver.testing.FolderSink(b), s, in,
        org.vi4dvar.driver.output.RunSummary.dataInfo(Outputs.summary(a).get("data").get("source").asText(), in),
        java.util.Map.of(), res, 0);
    Outputs.assertSameResults(a, b);
  }

  /**
   * Issue 14's families through the whole run and its report (which the small settings leave to the report
   * command): a mixture run ended with exit 1 in the report (its E_q[J] has no closed form, and the page read a missing median
   * as a number), losing the whole output. Each family's run, report and {@code sample} work (of vi-is too: an importance posterior.bin was refused).
   */
  @Test
  void flowAndMixtureRunsWriteTheirReportAndCanBeSampled() throws Exception {
    for (String family : new String[] {"flow", "mixture"}) {
      Path out = tmp.resolve(family);
      Cli r = Cli.run(sharedProvider(), args("run", "--out", out.toString(), "--methods", "vi,vi-is", "--set",
          "vi.family=" + family, "--set", "vi.restarts=2", "--set", "vi.flow.window=100"));
      assertEquals(ExitCode.OK, r.code(), family + ": " + r.err());
      Cli rep = Cli.run("report", out.toString());
      assertEquals(ExitCode.OK, rep.code(), family + ": " + rep.err());
      JsonNode vi = Outputs.summary(out).get("methods").get("vi");
      assertEquals(family, vi.get("family").asText(), vi.toString());
      assertTrue(vi.get("available").asBoolean(), vi.toString());
      String html = Files.readString(out.resolve("report.html"));
      assertTrue(html.contains("VI-4D-Var") && Files.isRegularFile(out.resolve("figures/opt_vi_elbo.png")), family);
      for (String m : new String[] {"vi", "vi-is"}) {
        Path f = tmp.resolve(family + "-" + m + "-draws.csv");
        Cli c = Cli.run("sample", out.toString(), "--method", m, "--n", "5", "--out", f.toString());
        assertEquals(ExitCode.OK, c.code(), family + " " + m + ": " + c.err());
        List<String[]> got = withoutWeights(Outputs.csv(f), m.endsWith("-is"));
        List<String[]> run = Outputs.csv(out.resolve(m).resolve("samples.csv"));
        for (int k = 0; k <= 5 * 16; k++) {
          assertEquals(String.join(",", run.get(k)), String.join(",", got.get(k)), family + " " + m + " row " + k);
        }
      }
    }
  }

  /**
   * A window without forecast states (window.states = window.assimilated) runs to the end: its observations fill
   * their NetCDF variable (the writer refused to "fill the rest" of a complete variable, exit 1); the forecast
   * scores are absent, not invented.
   */
  @Test
  void aWindowWithoutForecastStatesWritesEverything() throws IOException {
    Path out = tmp.resolve("noforecast");
    Cli r = Cli.run(sharedProvider(), args("run", "--out", out.toString(), "--methods", "map,ensemble", "--set",
        "window.states=4", "--set", "window.assimilated=4"));
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(Files.size(out.resolve("posterior.nc")) > 0);
    JsonNode f = Outputs.summary(out).get("methods").get("map").get("scores").get("forecast");
    assertEquals(0, f.get("points").asInt(), f.toString());
    assertTrue(f.get("rmse").isNull(), f.toString());
    Cli rep = Cli.run("report", out.toString());
    assertEquals(ExitCode.OK, rep.code(), rep.err());
  }

  /**
   * The rows of a {@code sample} output without its weight column (a weighted posterior's, {@code
   * sample,weight,t,...}; the run's samples.csv has {@code sample,t,...} and the weights in weights.csv).
   */
  static List<String[]> withoutWeights(List<String[]> rows, boolean weighted) {
    assertEquals(weighted, "weight".equals(rows.get(0)[1]), "a weight column exactly for a weighted posterior");
    if (!weighted) {
      return rows;
    }
    List<String[]> out = new ArrayList<>();
    for (String[] r : rows) {
      List<String> l = new ArrayList<>(Arrays.asList(r));
      l.remove(1);
      out.add(l.toArray(new String[0]));
    }
    return out;
  }

  /** {@code sample} draws a run's own trajectories again, bit for bit, without rerunning it. */
  @Test
  void sampleReproducesTheRunsOwnDraws() throws Exception {
    Path out = tmp.resolve("s");
    Cli r = Cli.run(sharedProvider(), args("run", "--out", out.toString(), "--methods", "map,ensemble"));
    assertEquals(ExitCode.OK, r.code(), r.err());
    for (String m : new String[] {"map", "ensemble", "prior", "map-is"}) {
      Path f = tmp.resolve(m + "-draws.csv");
      Cli c = Cli.run("sample", out.toString(), "--method", m, "--n", "7", "--out", f.toString());
      assertEquals(ExitCode.OK, c.code(), c.err());
      List<String[]> got = withoutWeights(Outputs.csv(f), m.endsWith("-is"));
      List<String[]> run = Outputs.csv(out.resolve(m).resolve("samples.csv"));
      assertEquals(String.join(",", run.get(0)), String.join(",", got.get(0)));
      for (int k = 1; k <= 7 * 16; k++) {
        assertEquals(String.join(",", run.get(k)), String.join(",", got.get(k)), m + " row " + k);
      }
    }
    Path f = tmp.resolve("x.csv");
    String[][] bad = {{"sample", tmp.toString(), "--method", "map", "--n", "3", "--out", f.toString()},
        {"sample", out.toString(), "--method", "vi", "--n", "3", "--out", f.toString()},
        {"sample", out.toString(), "--method", "map", "--n", "0", "--out", f.toString()},
        {"sample", out.toString(), "--method", "ensemble", "--n", "13", "--out", f.toString()},
        {"sample", out.toString(), "--method", "../map", "--n", "3", "--out", f.toString()}};
    for (String[] b : bad) {
      Cli c = Cli.run(b);
      assertEquals(ExitCode.BAD_INPUT, c.code(), Arrays.toString(b) + ": " + c.err());
      assertEquals(1, c.errLines().length, c.err());
      assertFalse(Files.exists(f), "nothing written for " + Arrays.toString(b));
    }
    // issue 10 item 14 on sample: a --out on a read-only file system keeps the operating system's reason
    try (org.vi4dvar.driver.testing.ReadOnlyMount ro = org.vi4dvar.driver.testing.ReadOnlyMount.at(tmp.resolve("ro"))) {
      Cli c = Cli.run("sample", out.toString(), "--method", "map", "--n", "100000000",
          "--out", ro.dir.resolve("x.csv").toString());
      assertEquals(ExitCode.BAD_INPUT, c.code(), c.err());
      assertEquals(1, c.errLines().length, c.err());
      assertTrue(c.err().contains("(Read-only file system)"), c.err());
    } catch (org.opentest4j.TestAbortedException e) {
      // no read-only mount on this machine: the rest of this test still runs
    }
    // the re-audit of issue 10 item 1 on sample: --out cannot be a file it reads, whatever --overwrite says
    byte[] posterior = Files.readAllBytes(out.resolve("map/posterior.bin"));
    Path link = Files.createSymbolicLink(tmp.resolve("bin-link"), out.resolve("map/posterior.bin"));
    for (Path input : new Path[] {out.resolve("map/posterior.bin"), link, out.resolve("data/obs.csv")}) {
      Cli c = Cli.run("sample", out.toString(), "--method", "map", "--n", "3", "--out", input.toString(),
          "--overwrite");
      assertEquals(ExitCode.BAD_INPUT, c.code(), input + ": " + c.err());
      assertTrue(c.err().contains("which this command reads"), c.err());
    }
    assertArrayEquals(posterior, Files.readAllBytes(out.resolve("map/posterior.bin")), "the posterior is intact");
    // items 4 and 11 on sample: a posterior.bin that is a named pipe is named as such (it said "no fitted
    // posterior of that name")
    Path fake = Files.createDirectories(tmp.resolve("fake/map"));
    Files.writeString(fake.getParent().resolve("summary.json"), "{}\n");
    assertEquals(0, new ProcessBuilder("mkfifo", fake.resolve("posterior.bin").toString()).start().waitFor());
    Cli pipe = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> Cli.run("sample", fake.getParent().toString(), "--method", "map", "--n", "3", "--out", f.toString()));
    assertEquals(ExitCode.BAD_INPUT, pipe.code(), pipe.err());
    assertTrue(pipe.err().contains("posterior.bin is not a regular file"), pipe.err());
    // item 9 on sample: what a killed sample left beside --out (its hidden directory, with a dead owner) is
    // removed by the next one, which says so; it used to leave .FILE.tmp-PID forever
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Path stale = Files.createDirectories(tmp.resolve(".x.csv.tmp-killed"));
    Files.writeString(stale.resolve(org.vi4dvar.driver.io.Owner.MARKER), new org.vi4dvar.driver.io.Owner(dead.pid(),
        dead.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(1L),
        org.vi4dvar.driver.io.Owner.current().host()).line());
    Files.writeString(stale.resolve("x.csv"), "half written");
    Path staleReal = stale.toRealPath();
    Cli c = Cli.run("sample", out.toString(), "--method", "map", "--n", "3", "--out", f.toString());
    assertEquals(ExitCode.OK, c.code(), c.err());
    assertTrue(c.err().contains("removed " + staleReal + ", left by an earlier sample"), c.err());
    assertFalse(Files.exists(stale));
    try (var s = Files.newDirectoryStream(tmp, ".x.csv.tmp-*")) {
      assertFalse(s.iterator().hasNext(), "nothing left beside --out");
    }
  }

  /**
   * Issue 10 item 22, re-audit with the methods added since (map-is, vi-is): with many kept trials (k = 40,000, 6 MB)
   * no job ships them, or any large input, inside its task closures (Spark's DAGScheduler warns "Broadcasting large
   * task binary" above 1000 KiB); they travel as broadcasts.
   */
  @Test
  void manyKeptTrialsTravelAsBroadcastsNeverInsideTaskClosures() {
    org.apache.logging.log4j.core.LoggerContext lc = (org.apache.logging.log4j.core.LoggerContext)
        org.apache.logging.log4j.LogManager.getContext(false);
    List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    org.apache.logging.log4j.core.appender.AbstractAppender capture =
        new org.apache.logging.log4j.core.appender.AbstractAppender("task-binary", null, null, true,
            org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
          @Override
          public void append(org.apache.logging.log4j.core.LogEvent e) {
            warnings.add(e.getMessage().getFormattedMessage());
          }
        };
    capture.start();
    org.apache.logging.log4j.core.Logger dag = lc.getLogger("org.apache.spark.scheduler.DAGScheduler");
    dag.addAppender(capture);
    try {
      // the capture sees what Spark logs there (through SLF4J, as the DAGScheduler does)
      org.slf4j.LoggerFactory.getLogger("org.apache.spark.scheduler.DAGScheduler").warn("probe");
      assertEquals(List.of("probe"), warnings, "the capture works");
      warnings.clear();
      Path out = tmp.resolve("many");
      List<String> a = new ArrayList<>(Arrays.asList(args("run", "--out", out.toString(), "--data",
          TestData.talkDir().toString())));
      a.addAll(List.of("--set", "abc.trials=80000", "--set", "abc.keep=0.5", "--set", "posterior.samples=100"));
      Cli r = Cli.run(sharedProvider(), a.toArray(new String[0]));
      assertEquals(ExitCode.OK, r.code(), r.err());
      assertEquals(40000, Outputs.summary(out).get("methods").get("abc").get("counts").get("draws").asInt());
    } finally {
      dag.removeAppender(capture);
      capture.stop();
    }
    assertTrue(warnings.stream().noneMatch(w -> w.contains("large task binary")), warnings.toString());
  }

  @Test
  void everyRestartDivergingFailsTheRunNamingTheMethod() {
    Path out = tmp.resolve("div");
    Cli r = Cli.run(sharedProvider(), args("run", "--out", out.toString(), "--methods", "vi", "--set",
        "vi.lr=1e8", "--set", "vi.start=background"));
    assertEquals(ExitCode.FAILURE, r.code(), r.err());
    assertTrue(r.err().contains("vi: all 3 restarts diverged"), r.err());
    assertFalse(TestData.outputLeft(out));
  }

  @Test
  void overwriteReplacesAPreviousRun() {
    Path out = tmp.resolve("o");
    assertEquals(ExitCode.OK, Cli.run(sharedProvider(), args("run", "--out", out.toString(), "--methods", "abc"))
        .code());
    try {
      Files.writeString(out.resolve("stale.txt"), "x");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Cli again = Cli.run(sharedProvider(), args("run", "--out", out.toString(), "--methods", "abc"));
    assertEquals(ExitCode.BAD_INPUT, again.code());
    assertTrue(Files.exists(out.resolve("stale.txt")), "refused: the old output is untouched");
    Cli over = Cli.run(sharedProvider(), args("run", "--out", out.toString(), "--overwrite", "--set", "seed=2",
        "--methods", "abc"));
    assertEquals(ExitCode.OK, over.code(), over.err());
    assertFalse(Files.exists(out.resolve("stale.txt")));
    assertEquals(2, Outputs.summary(out).get("config").get("seed").asInt());
  }

  /** A run draws every figure and the report; {@code report DIR} redraws them later without Spark. */
  @Test
  void aRunEndsWithItsReportAndReportRedrawsIt() throws IOException {
    Path out = tmp.resolve("rep");
    List<String> a = new ArrayList<>(Arrays.asList(args("run", "--out", out.toString(), "--data",
        TestData.talkDir().toString())));
    a.addAll(List.of("--set", "output.report=true"));
    Cli r = Cli.run(sharedProvider(), a.toArray(new String[0]));
    assertEquals(ExitCode.OK, r.code(), r.err());
    String[] figures = {"data.png", "mean_error.png", "std.png", "trajectory_x0.png", "trajectory_x8.png",
        "trajectory_x15.png", "covariance_t0.png", "covariance_t11.png", "covariance_t15.png", "opt_vi_elbo.png",
        "opt_ensemble_costs.png", "opt_abc_distances.png", "opt_map_starts.png", "rank_histograms.png"};
    for (String f : figures) {
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve("figures").resolve(f).toFile());
      assertTrue(img != null && img.getWidth() > 300 && img.getHeight() > 200, f);
    }
    String html = Files.readString(out.resolve("report.html"));
    assertEquals(figures.length, html.split("data:image/png;base64,", -1).length - 1, "every figure embedded");
    for (String f : figures) {
      Files.delete(out.resolve("figures").resolve(f));
    }
    Files.delete(out.resolve("report.html"));
    Cli again = Cli.run("report", out.toString());
    assertEquals(ExitCode.OK, again.code(), again.err());
    for (String f : figures) {
      assertTrue(Files.isRegularFile(out.resolve("figures").resolve(f)), f);
    }
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
    Cli missing = Cli.run("report", tmp.resolve("nothing").toString());
    assertEquals(ExitCode.BAD_INPUT, missing.code());
    assertTrue(missing.err().contains("nothing") && missing.errLines().length == 1, missing.err());
    Cli notRun = Cli.run("report", TestData.talkDir().toString());
    assertEquals(ExitCode.BAD_INPUT, notRun.code());
    assertTrue(notRun.err().contains("summary.json"), notRun.err());
  }
}
