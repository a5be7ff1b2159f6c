package org.vi4dvar.driver.io.netcdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.io.DatasetWriter;
import org.vi4dvar.driver.testing.Python;

/**
 * {@code posterior.nc} of a synthetic run against the CSV files the run would write (RunWriter's layout:
 * {@code data/*.csv}, {@code <method>/mean.csv std.csv q05..q95.csv cov_t<k>.csv samples.csv}, doubles by
 * Double.toString, empty fields for unobserved points), read by Python: scipy value for value, and xarray's
 * two-line recipe where xarray is installed ({@link Python#preferring}: the system python3 may have it). With
 * model errors and parameters: against {@code <method>/model_error_*.csv} and summary.json's
 * {@code parameters}, in the run's own layout ({@code posterior_control_check.py}, also run on a real run by
 * WeakConstraintRunTest).
 */
class PosteriorNetcdfTest {

  @TempDir
  Path tmp;

  static final int NX = 6;
  static final int NS = 5;
  static final int NA = 3;
  static final int POOL = 2;
  static final int DIM = NX * NS;
  static final int[] COV_TIMES = {0, 2, 4};

  final Random rnd = new Random(17);

  double[] random(int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 4);
    }
    return a;
  }

  PosteriorNetcdf.Run run() {
    PosteriorNetcdf.Run r = new PosteriorNetcdf.Run(NX, NS, NA, 0.05, POOL, NX);
    int ny = NX / POOL;
    r.covTimes = COV_TIMES;
    r.truth = random(DIM);
    r.obs = random(NA * ny);
    r.obsStd = new double[NA * ny];
    for (int i = 0; i < r.obs.length; i++) {
      r.obsStd[i] = 0.05 + i * 0.01;
      if (i % 4 == 1) {
        r.obs[i] = Double.NaN; // not observed
        r.obsStd[i] = Double.NaN;
      }
    }
    r.background = random(NX);
    r.backgroundStd = random(NX);
    for (int i = 0; i < NX; i++) {
      r.backgroundStd[i] = Math.abs(r.backgroundStd[i]);
    }
    r.configuration = "seed = 1\nmodel { nx = 6 }\n";
    r.attributes.put("vi4dvar_version", "0.1.0-SNAPSHOT");
    r.attributes.put("vi4dvar_commit", "0123456789abcdef0123456789abcdef01234567");
    r.attributes.put("vi4dvar_start_time", "2026-01-02T03:04:05Z");
    r.attributes.put("vi4dvar_command_line", "vi4dvar run --out DIR");
    return r;
  }

  PosteriorNetcdf.Method method(String name, int count, int traj, boolean x0) {
    PosteriorNetcdf.Method m = new PosteriorNetcdf.Method(name);
    m.sampleCount = count;
    m.mean = random(DIM);
    m.std = random(DIM);
    m.quantiles = random(5 * DIM);
    m.covariances = new double[COV_TIMES.length][];
    for (int c = 0; c < COV_TIMES.length; c++) {
      m.covariances[c] = random(NX * NX);
    }
    if (x0) {
      m.x0Mean = random(NX);
      m.x0Covariance = random(NX * NX);
    }
    double[] t = random((traj + 2) * DIM); // more than written: only the first traj rows count
    m.trajectories(t, traj, NS, NX);
    samples.put(name, Arrays.copyOf(t, traj * DIM));
    return m;
  }

  final java.util.Map<String, double[]> samples = new java.util.HashMap<>();

  /** The CSV files of the run, as RunWriter and DatasetWriter write them. */
  void writeCsv(Path dir, PosteriorNetcdf.Run r, List<PosteriorNetcdf.Method> ms) throws IOException {
    Path d = Files.createDirectories(dir.resolve("data"));
    int ny = r.ny();
    Files.writeString(d.resolve("truth.csv"), DatasetWriter.csv(r.truth, NS, NX));
    Files.writeString(d.resolve("obs.csv"), withEmpty(r.obs, NA, NS, ny));
    Files.writeString(d.resolve("obs_std.csv"), withEmpty(r.obsStd, NA, NS, ny));
    Files.writeString(d.resolve("background.csv"), DatasetWriter.csv(r.background, 1, NX));
    Files.writeString(d.resolve("background_std.csv"), DatasetWriter.csv(r.backgroundStd, 1, NX));
    Files.writeString(dir.resolve("dt.txt"), Double.toString(r.dt));
    for (PosteriorNetcdf.Method m : ms) {
      Path md = Files.createDirectories(dir.resolve(m.name));
      Files.writeString(md.resolve("mean.csv"), DatasetWriter.csv(m.mean, NS, NX));
      Files.writeString(md.resolve("std.csv"), DatasetWriter.csv(m.std, NS, NX));
      for (int q = 0; q < r.quantiles.length; q++) {
        Files.writeString(md.resolve(String.format(Locale.ROOT, "q%02d.csv", Math.round(r.quantiles[q] * 100))),
            DatasetWriter.csv(Arrays.copyOfRange(m.quantiles, q * DIM, (q + 1) * DIM), NS, NX));
      }
      for (int c = 0; c < COV_TIMES.length; c++) {
        Files.writeString(md.resolve("cov_t" + COV_TIMES[c] + ".csv"), DatasetWriter.csv(m.covariances[c], NX, NX));
      }
      Files.writeString(md.resolve("samples.csv"), DatasetWriter.csv(samples.get(m.name), m.trajectoryCount, DIM));
      if (m.x0Mean != null) {
        Files.writeString(md.resolve("x0_mean.csv"), DatasetWriter.csv(m.x0Mean, 1, NX));
        Files.writeString(md.resolve("x0_cov.csv"), DatasetWriter.csv(m.x0Covariance, NX, NX));
      }
      Files.writeString(md.resolve("count.txt"), Integer.toString(m.sampleCount));
    }
  }

  static String withEmpty(double[] a, int filled, int rows, int cols) {
    StringBuilder b = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (c > 0) {
          b.append(',');
        }
        if (r < filled && !Double.isNaN(a[r * cols + c])) {
          b.append(Double.toString(a[r * cols + c]));
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  @Test
  void posteriorNcHoldsExactlyWhatTheCsvFilesHold() throws Exception {
    Python.require();
    PosteriorNetcdf.Run r = run();
    List<PosteriorNetcdf.Method> ms = new ArrayList<>(List.of(method("map", 40, 3, true), method("abc", 7, 7, false),
        method("prior", 100, 0, false), method("vi", 1000, 5, true)));
    Path dir = Files.createDirectories(tmp.resolve("run"));
    writeCsv(dir, r, ms);
    Path nc = dir.resolve(PosteriorNetcdf.FILE);
    NcSchema schema = PosteriorNetcdf.schema(r, ms);
    PosteriorNetcdf.write(nc, r, ms);
    assertEquals(schema.fileBytes(), Files.size(nc));
    assertEquals(7, schema.dimensionLength("sample"), "the largest trajectory count");
    String out = Python.runWith(python(), Python.script("/netcdf/posterior_check.py", tmp), nc.toString(),
        dir.toString());
    System.err.println("PosteriorNetcdfTest: " + out.trim().replace('\n', ';'));
    assertTrue(out.startsWith("ok "), out);
    assertTrue(Integer.parseInt(out.split(" ")[1]) >= 60, out);
  }

  /** The interpreter of the read-back: one with xarray where there is one. */
  static String python() {
    return Python.preferring("numpy", "scipy", "xarray");
  }

  /** Model parameters of the synthetic model, in model order (parameters_truth.csv's columns). */
  static final String[] MODEL_PARAMETERS = {"gamma", "forcing"};

  /** The weak-constraint run with two estimated parameters, in control order forcing, gamma. */
  PosteriorNetcdf.Run weakRun() {
    PosteriorNetcdf.Run r = run();
    int n = (NA - 1) * NX;
    r.modelErrorStd = new double[n];
    r.modelErrorTruth = random(n);
    for (int j = 0; j < n; j++) {
      r.modelErrorStd[j] = j % NX == 2 ? 0.0 : 0.05 + 0.01 * j; // component 2 without model error
    }
    r.parameters = new String[] {"forcing", "gamma"};
    r.parameterPriorMean = new double[] {8.0, 0.5};
    r.parameterPriorStd = new double[] {1.0, 0.1};
    r.parameterTruth = new double[] {8.5, 0.45};
    return r;
  }

  /** Gives {@code m} model errors (0 where the run has none) and parameter statistics. */
  void extras(PosteriorNetcdf.Run r, PosteriorNetcdf.Method m) {
    int n = r.modelErrorStd.length;
    m.modelErrorMean = random(n);
    m.modelErrorStd = random(n);
    for (int j = 0; j < n; j++) {
      m.modelErrorStd[j] = Math.abs(m.modelErrorStd[j]);
      if (r.modelErrorStd[j] == 0) {
        m.modelErrorMean[j] = 0.0;
        m.modelErrorStd[j] = 0.0;
      }
    }
    int np = r.parameters.length;
    m.parameterMean = random(np);
    m.parameterStd = random(np);
    m.parameterQuantiles = random(3 * np);
    m.parameterQuantiles[np] = Double.NaN; // as a JSON null: a quantile the method could not give
  }

  /** Header t,x_0,.. and a leading t column: the layout of model_error_mean.csv (RunWriter). */
  static String withHeader(double[] a, int rows, int cols) {
    StringBuilder b = new StringBuilder("t");
    for (int c = 0; c < cols; c++) {
      b.append(",x_").append(c);
    }
    b.append('\n');
    String[] lines = DatasetWriter.csv(a, rows, cols).split("\n");
    for (int t = 0; t < rows; t++) {
      b.append(t).append(',').append(lines[t]).append('\n');
    }
    return b.toString();
  }

  static Object json(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /**
   * The model-error and parameter files of the run (RunWriter's and DatasetWriter's layout): the methods'
   * model_error_mean.csv and model_error_std.csv, summary.json's {@code methods.<m>.parameters}, the dataset's
   * model_error_std.csv, model_error_truth.csv and parameters_truth.csv (model order).
   */
  void writeControlFiles(Path dir, PosteriorNetcdf.Run r, List<PosteriorNetcdf.Method> ms) throws IOException {
    Path d = dir.resolve("data");
    Files.writeString(d.resolve("model_error_std.csv"), DatasetWriter.csv(r.modelErrorStd, NA - 1, NX));
    Files.writeString(d.resolve("model_error_truth.csv"), DatasetWriter.csv(r.modelErrorTruth, NA - 1, NX));
    double[] modelOrder = new double[MODEL_PARAMETERS.length];
    for (int k = 0; k < r.parameters.length; k++) {
      modelOrder[Arrays.asList(MODEL_PARAMETERS).indexOf(r.parameters[k])] = r.parameterTruth[k];
    }
    Files.writeString(d.resolve("parameters_truth.csv"), DatasetWriter.csv(modelOrder, 1, modelOrder.length));
    java.util.Map<String, Object> methods = new java.util.LinkedHashMap<>();
    for (PosteriorNetcdf.Method m : ms) {
      java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
      methods.put(m.name, e);
      if (m.modelErrorMean != null) {
        Path md = dir.resolve(m.name);
        Files.writeString(md.resolve("model_error_mean.csv"), withHeader(m.modelErrorMean, NA - 1, NX));
        Files.writeString(md.resolve("model_error_std.csv"), withHeader(m.modelErrorStd, NA - 1, NX));
      }
      if (m.parameterMean != null) {
        int np = r.parameters.length;
        java.util.Map<String, Object> ps = new java.util.LinkedHashMap<>();
        for (int k = 0; k < np; k++) {
          java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
          p.put("mean", json(m.parameterMean[k]));
          p.put("std", json(m.parameterStd[k]));
          p.put("q05", json(m.parameterQuantiles[k]));
          p.put("q50", json(m.parameterQuantiles[np + k]));
          p.put("q95", json(m.parameterQuantiles[2 * np + k]));
          p.put("truth", r.parameterTruth[k]);
          p.put("prior", java.util.Map.of("mean", r.parameterPriorMean[k], "std", r.parameterPriorStd[k]));
          ps.put(r.parameters[k], p);
        }
        e.put("parameters", ps);
      }
    }
    new com.fasterxml.jackson.databind.ObjectMapper().writeValue(dir.resolve("summary.json").toFile(),
        java.util.Map.of("methods", methods));
  }

  /**
   * Weak constraint with two parameters: the model errors, parameters, their prior and truth equal the run's
   * files, read by scipy and xarray (where installed); a method without them (vi) is NaN; the rest of the file
   * is still what posterior_check.py reads; and a strong-constraint run without parameters has none of the new
   * dimensions (its file is the one of before: byte for byte, as checked against the previous writer).
   */
  @Test
  void modelErrorsAndParametersAreTheRunsFilesAndNaNForAMethodWithout() throws Exception {
    Python.require();
    PosteriorNetcdf.Run r = weakRun();
    List<PosteriorNetcdf.Method> ms = new ArrayList<>(List.of(method("map", 40, 3, true), method("abc", 7, 7, false),
        method("prior", 100, 0, false), method("vi", 1000, 5, true)));
    for (PosteriorNetcdf.Method m : ms.subList(0, 3)) {
      extras(r, m);
    }
    Path dir = Files.createDirectories(tmp.resolve("weak"));
    writeCsv(dir, r, ms);
    writeControlFiles(dir, r, ms);
    Path nc = dir.resolve(PosteriorNetcdf.FILE);
    NcSchema schema = PosteriorNetcdf.schema(r, ms);
    PosteriorNetcdf.write(nc, r, ms);
    assertEquals(schema.fileBytes(), Files.size(nc));
    assertEquals(NA - 1, schema.dimensionLength("model_step"));
    assertEquals(List.of(NA - 1L, (long) NX), Arrays.stream(schema.variable("model_error_prior_std").shape())
        .boxed().toList());
    assertEquals("trajectory", schema.variables().get(schema.variables().size() - 1).name(),
        "the trajectories stay last (the only variable that may exceed 4 GiB)");
    String py = python();
    String old = Python.runWith(py, Python.script("/netcdf/posterior_check.py", tmp), nc.toString(), dir.toString());
    assertTrue(old.startsWith("ok "), old);
    com.fasterxml.jackson.databind.JsonNode got = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        Python.runWith(py, Python.script("/netcdf/posterior_control_check.py", tmp), nc.toString(), dir.toString(),
            String.join(",", MODEL_PARAMETERS)));
    System.err.println("PosteriorNetcdfTest: " + got);
    assertEquals(NA - 1, got.get("model_steps").asInt(), got.toString());
    assertEquals("[\"forcing\",\"gamma\"]", got.get("parameters").toString());
    assertTrue(got.get("model_error_truth").asBoolean() && got.get("parameter_truth").asBoolean(), got.toString());
    // 4 methods × 2 model-error grids + step, prior std, truth; 3 × (mean, std, quantiles, truth) + quantile3,
    // prior, truth file
    assertEquals(4 * 2 + 3 + 3 * 4 + 3, got.get("checks").asInt(), got.toString());
    assertEquals(Python.with("numpy", "scipy", "xarray") != null ? "ok" : "missing", got.get("xarray").asText());

    PosteriorNetcdf.Run strong = run();
    List<PosteriorNetcdf.Method> plain = List.of(method("map", 4, 1, true));
    NcSchema s0 = PosteriorNetcdf.schema(strong, plain);
    for (String d : new String[] {"model_step", "parameter", "parameter_strlen", "quantile3"}) {
      assertTrue(!s0.hasDimension(d), "strong constraint without parameters: no " + d);
    }
    assertTrue(s0.variables().stream().noneMatch(v -> v.name().startsWith("model_error")
        || v.name().startsWith("parameter")), "and none of the variables");
    strong.parameters = r.parameters;
    strong.parameterPriorMean = r.parameterPriorMean;
    strong.parameterPriorStd = r.parameterPriorStd;
    NcSchema s1 = PosteriorNetcdf.schema(strong, plain);
    assertTrue(s1.hasDimension("parameter") && !s1.hasDimension("model_step") && s1.variable("parameter_truth") == null,
        "parameters without model errors (and without their truth)");
  }

  @Test
  void badInputNamesTheMethodAndTheField() {
    PosteriorNetcdf.Run r = run();
    PosteriorNetcdf.Method m = method("vi", 10, 2, true);
    m.std = new double[DIM - 1];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PosteriorNetcdf.schema(r, List.of(m)));
    assertTrue(e.getMessage().contains("method 'vi': std must have 30 values, got 29"), e.getMessage());
    PosteriorNetcdf.Method a = method("abc", 10, 2, false);
    PosteriorNetcdf.Method b = method("abc", 10, 2, false);
    e = assertThrows(IllegalArgumentException.class, () -> PosteriorNetcdf.schema(r, List.of(a, b)));
    assertTrue(e.getMessage().contains("'abc' given twice"), e.getMessage());
    PosteriorNetcdf.Method c = method("map", 10, 2, false);
    c.trajectoryCount = 3; // the iterator gives 2
    e = assertThrows(IllegalArgumentException.class,
        () -> PosteriorNetcdf.write(new java.io.ByteArrayOutputStream(), r, List.of(c)));
    assertTrue(e.getMessage().contains("method 'map': its trajectories gave 60 values, expected"), e.getMessage());
    PosteriorNetcdf.Run w = weakRun();
    PosteriorNetcdf.Method d = method("vi", 10, 2, true);
    extras(w, d);
    d.modelErrorStd = new double[5];
    e = assertThrows(IllegalArgumentException.class, () -> PosteriorNetcdf.schema(w, List.of(d)));
    assertTrue(e.getMessage().contains("method 'vi': modelErrorStd must have 12 values, got 5"), e.getMessage());
    w.parameterPriorStd = null;
    e = assertThrows(IllegalArgumentException.class, () -> PosteriorNetcdf.schema(w, List.of(method("a", 1, 0,
        false))));
    assertTrue(e.getMessage().contains("parameterPriorStd must have 2 values, got null"), e.getMessage());
  }
}
