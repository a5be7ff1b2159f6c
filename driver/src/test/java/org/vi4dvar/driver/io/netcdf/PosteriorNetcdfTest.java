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
 * two-line recipe where xarray is installed.
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
    String out = Python.run(Python.script("/netcdf/posterior_check.py", tmp), nc.toString(), dir.toString());
    System.err.println("PosteriorNetcdfTest: " + out.trim().replace('\n', ';'));
    assertTrue(out.startsWith("ok "), out);
    assertTrue(Integer.parseInt(out.split(" ")[1]) >= 60, out);
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
  }
}
