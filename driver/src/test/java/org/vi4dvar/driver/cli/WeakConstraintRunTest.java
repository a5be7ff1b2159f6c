package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;
import org.vi4dvar.driver.testing.Python;
import org.vi4dvar.driver.testing.SharedSpark;

/**
 * Issues 12 §1 and 15 end to end on Spark: a twin with correlated B (SOAR), model error and F_true = 8.5, with
 * F estimated, run by every method — its outputs (model_error_mean/std.csv, parameters.forcing, the stdout
 * column, the dataset files) and the same bits on another partitioning with every task retried once.
 */
class WeakConstraintRunTest extends SharedSpark {

  /** twin.forcing below. */
  static final double TRUE_FORCING = 8.5;

  static final String[] WEAK = {"--set", "background.correlation.model=soar", "--set",
      "background.correlation.length=2", "--set", "model.error-std=0.05", "--set", "twin.forcing=8.5", "--set",
      "model.estimate=[forcing]", "--set", "model.forcing-prior=[8.0, 1.0]"};

  @TempDir
  Path tmp;

  static String[] args(String... a) {
    List<String> l = new ArrayList<>(Arrays.asList(a));
    l.addAll(Arrays.asList(RunSparkTest.SMALL));
    l.addAll(Arrays.asList(WEAK));
    return l.toArray(new String[0]);
  }

  @Test
  void everyMethodReportsTheModelErrorsAndTheForcingAndTheBitsDoNotDependOnPartitioning() throws Exception {
    Path out = tmp.resolve("weak");
    Cli r = Cli.run(providerForMaster(), args("run", "--out", out.toString(), "--master", "local[2]"));
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.out().contains("forcing (90 %)"), r.out());
    assertTrue(Files.exists(out.resolve("data/background_cov.csv")), "correlated B: background_cov.csv");
    assertTrue(!Files.exists(out.resolve("data/background_std.csv")), "and no background_std.csv");
    assertEquals(11, Outputs.csv(out.resolve("data/model_error_std.csv")).size(), "(assimilated − 1) rows");
    JsonNode s = Outputs.summary(out);
    for (String m : new String[] {"prior", "abc", "map", "ensemble", "vi"}) {
      JsonNode e = s.get("methods").get(m);
      assertTrue(e.get("available").asBoolean(), m + ": " + e);
      JsonNode f = e.get("parameters").get("forcing");
      for (String k : new String[] {"mean", "std", "q05", "q50", "q95"}) {
        assertTrue(f.get(k).isNumber(), m + " forcing " + k);
      }
      assertTrue(f.get("q05").asDouble() <= f.get("q50").asDouble()
          && f.get("q50").asDouble() <= f.get("q95").asDouble(), m + ": " + f);
      if (!m.equals("prior")) {
        assertTrue(f.get("q95").asDouble() - f.get("q05").asDouble() < 2 * 1.645, m + " narrower than the prior");
      }
      // the twin's true F (twin.forcing) and whether the 90 % interval holds it
      assertEquals(TRUE_FORCING, f.get("truth").asDouble(), 0.0, m);
      assertEquals(f.get("q05").asDouble() <= TRUE_FORCING && TRUE_FORCING <= f.get("q95").asDouble(),
          f.get("truth_in_90").asBoolean(), m + ": " + f);
      // the posterior of η scored against the η the twin drew, over every model-error component
      JsonNode eta = e.get("model_error");
      assertEquals(11 * 16, eta.get("points").asInt(), m + ": " + eta);
      assertTrue(eta.get("rmse").asDouble() > 0 && eta.get("spread").asDouble() > 0, m + ": " + eta);
      assertEquals(eta.get("spread").asDouble() / eta.get("rmse").asDouble(), eta.get("spread_skill").asDouble(),
          1e-12, m);
      for (String file : new String[] {"model_error_mean.csv", "model_error_std.csv"}) {
        List<String[]> rows = Outputs.csv(out.resolve(m).resolve(file));
        assertEquals(1 + 11, rows.size(), m + "/" + file + ": a header and one row per model step");
        assertEquals(1 + 16, rows.get(0).length, m + "/" + file + ": t and nx columns");
      }
    }
    // sample draws the run's own trajectories again over the extended control (η added in the window, F set)
    for (String m : new String[] {"map", "vi", "abc"}) {
      Path f = tmp.resolve(m + "-draws.csv");
      Cli c = Cli.run("sample", out.toString(), "--method", m, "--n", "3", "--out", f.toString());
      assertEquals(ExitCode.OK, c.code(), c.err());
      List<String[]> got = Outputs.csv(f);
      List<String[]> runRows = Outputs.csv(out.resolve(m).resolve("samples.csv"));
      for (int k = 0; k <= 3 * 16; k++) {
        assertEquals(String.join(",", runRows.get(k)), String.join(",", got.get(k)), m + " row " + k);
      }
    }
    Cli rep = Cli.run("report", out.toString());
    assertEquals(ExitCode.OK, rep.code(), rep.err());
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("Model parameters and model errors") && html.contains("model_error_mean.csv"),
        "the report shows the forcing and where the model errors are");
    assertTrue(html.contains("<th>truth in 90 %</th>") && html.contains("<th>model errors η</th>"),
        "and the forcing and the model errors against the truth");
    Path again = tmp.resolve("again");
    Cli r2 = Cli.run(providerForMaster(), args("run", "--out", again.toString(), "--master", "local[2,3]",
        "--set", "spark.partitions=5", "--set", "debug.fail-first-attempt=true"));
    assertEquals(ExitCode.OK, r2.code(), r2.err());
    Files.delete(out.resolve("report.html"));
    org.vi4dvar.driver.testing.Files2.deleteRecursively(out.resolve("figures"));
    Outputs.assertSameResults(out, again, "config");
    posteriorNcHoldsTheModelErrorsAndTheForcing(out);
  }

  /**
   * posterior.nc: every method's model errors and forcing, with their prior and truth, are what its
   * model_error_mean.csv, model_error_std.csv, summary.json's parameters.forcing and the dataset's
   * model_error_std.csv, model_error_truth.csv and parameters_truth.csv hold — exactly (Double.toString text),
   * read by scipy and, where installed, xarray. Last: without python3 the rest of the test has run.
   */
  void posteriorNcHoldsTheModelErrorsAndTheForcing(Path out) throws Exception {
    Python.require();
    Python.script("/netcdf/posterior_check.py", tmp); // the control check imports its comparison
    Path script = Python.script("/netcdf/posterior_control_check.py", tmp);
    JsonNode nc = new ObjectMapper().readTree(Python.runWith(Python.preferring("numpy", "scipy", "xarray"), script,
        out.resolve("posterior.nc").toString(), out.toString()));
    System.err.println("WeakConstraintRunTest: " + nc);
    List<String> methods = new ArrayList<>();
    nc.get("methods").forEach(m -> methods.add(m.asText()));
    assertEquals("prior", methods.get(0), "the prior first");
    assertTrue(methods.containsAll(List.of("abc", "map", "ensemble", "vi", "map-is", "vi-is")), nc.toString());
    assertEquals(11, nc.get("model_steps").asInt(), nc.toString());
    assertEquals("[\"forcing\"]", nc.get("parameters").toString());
    assertTrue(nc.get("model_error_truth").asBoolean() && nc.get("parameter_truth").asBoolean(), nc.toString());
    // per method the two model-error grids and the forcing's mean, std, quantiles and truth; model_step, the prior
    // std, the true η; quantile3, the prior, parameters_truth.csv
    assertEquals(methods.size() * (2 + 4) + 3 + 3, nc.get("checks").asInt(), nc.toString());
    assertEquals(Python.with("numpy", "scipy", "xarray") != null ? "ok" : "missing", nc.get("xarray").asText());
  }

  /**
   * The control's columns are named by what they are, x0_i, eta_t_i, forcing — ABC's kept.csv and threshold
   * mode's Parquet table alike; and J at the truth is J at the true control: the twin writes the η it drew and its
   * forcing (model_error_truth.csv, parameters_truth.csv), {@code run --data} reads them and gives the
   * cost_at_truth of {@code run} (without them J at the truth takes η = 0 and F's prior mean: TruthControlTest).
   */
  @Test
  void theControlsColumnsAreNamedAndTheTwinsTrueControlGivesJAtTheTruth() throws Exception {
    List<String> control = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      control.add("x0_" + i);
    }
    for (int t = 0; t < 11; t++) {
      for (int i = 0; i < 16; i++) {
        control.add("eta_" + t + "_" + i);
      }
    }
    control.add("forcing");
    Path data = tmp.resolve("data");
    Cli tw = Cli.run("twin", "--out", data.toString(), "--set", "model.error-std=0.05", "--set", "twin.forcing=8.5",
        "--set", "model.estimate=[forcing]");
    assertEquals(ExitCode.OK, tw.code(), tw.err());
    List<String[]> eta = Outputs.csv(data.resolve("model_error_truth.csv"));
    assertEquals(11, eta.size(), "one row per model step");
    assertEquals(16, eta.get(0).length);
    assertEquals(List.of("8.5"), Arrays.asList(Outputs.csv(data.resolve("parameters_truth.csv")).get(0)));
    String[] abc = {"--methods", "abc", "--set", "abc.trials=1000", "--set", "abc.keep=0.04", "--set",
        "abc.threshold=1e12", "--set", "output.report=false", "--master", "local[2]"};
    Path b = tmp.resolve("b");
    List<String> rb = new ArrayList<>(List.of("run", "--out", b.toString(), "--data", data.toString()));
    rb.addAll(Arrays.asList(abc));
    Cli r = Cli.run(providerForMaster(), rb.toArray(new String[0]));
    assertEquals(ExitCode.OK, r.code(), r.err());
    List<String> kept = Arrays.asList(Outputs.csv(b.resolve("abc/kept.csv")).get(0));
    assertEquals(List.of("trial", "distance", "cost"), kept.subList(0, 3));
    assertEquals(control, kept.subList(3, kept.size()), "kept.csv names the control");
    Path part;
    try (java.util.stream.Stream<Path> files = Files.list(b.resolve("abc/accepted"))) {
      part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    assertEquals(kept, Outputs.parquetColumns(part), "the Parquet table has kept.csv's columns");
    assertTrue(Files.exists(b.resolve("data/model_error_truth.csv"))
        && Files.exists(b.resolve("data/parameters_truth.csv")), "the run's data/ keeps them");
    // what `run` with the dataset's configuration computes (the same twin, in this JVM): J at its true control
    org.vi4dvar.kernels.config.ExperimentSettings es = org.vi4dvar.driver.config.ConfigLoader.load(
        data.resolve("vi4dvar.conf"), List.of()).experiment();
    org.vi4dvar.kernels.experiment.ExperimentInputs in = org.vi4dvar.driver.io.Dataset.twin(es).inputs(es);
    double expected = new org.vi4dvar.kernels.var.FourDVarCost(in.problem()).cost(in.truthControl());
    JsonNode db = Outputs.summary(b).get("data");
    assertEquals(expected, db.get("cost_at_truth").asDouble(), 0.0, "run --data and run");
    assertEquals("x0 of the truth, the model errors η_t it drew, its forcing", db.get("cost_at_truth_control").asText());
  }
}
