package org.vi4dvar.driver.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.scores.PosteriorScores;
import org.vi4dvar.kernels.scores.Scores;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Writes a synthetic but realistic output directory (format v1): the talk's Lorenz96 twin, and per method a
 * posterior sample of x0 around the truth (a different width and bias per method) propagated by the model, so
 * the fans, covariances and scores look like a real run's. The scores come from the kernel's PosteriorScores.
 */
final class SyntheticRun {

  static final int SAMPLES = 160;
  static final int TRAJECTORY_SAMPLES = 20;

  final Path dir;
  final Twin twin;
  final FourDVarProblem problem;
  final int nx;
  final int ny;
  final int nStates;
  final int nAssim;
  final double[] truth;
  final Map<String, Object> methods = new LinkedHashMap<>();
  private final Random rng = new Random(345);
  private final Model model;

  final TwinConfig config;

  SyntheticRun(Path dir) {
    this(dir, TwinConfig.talk(1));
  }

  SyntheticRun(Path dir, TwinConfig config) {
    this.dir = dir;
    this.config = config;
    this.twin = TwinExperiment.generate(config);
    this.problem = twin.problem();
    this.nx = problem.nx();
    this.ny = problem.ny();
    this.nStates = problem.nStates();
    this.nAssim = problem.nAssim();
    this.truth = twin.truth();
    this.model = problem.model().newModel();
  }

  /** The full run: data, prior, map, abc, ensemble, vi, summary.json. */
  static SyntheticRun full(Path dir) throws IOException {
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(true);
    r.writeMethod("prior", r.problem.xb(), 1.0, 0.0);
    r.writeMap();
    r.writeAbc();
    r.writeEnsemble();
    r.writeVi();
    r.writeSummary();
    return r;
  }

  void writeData(boolean withTruth) throws IOException {
    Path d = Files.createDirectories(dir.resolve("data"));
    double[] y = new double[nStates * ny];
    double[] s = new double[nStates * ny];
    Arrays.fill(y, Double.NaN);
    Arrays.fill(s, Double.NaN);
    System.arraycopy(problem.y(), 0, y, 0, nAssim * ny);
    System.arraycopy(problem.obsStd(), 0, s, 0, nAssim * ny);
    write(d.resolve("obs.csv"), y, nStates, ny);
    write(d.resolve("obs_std.csv"), s, nStates, ny);
    write(d.resolve("background.csv"), problem.xb(), 1, nx);
    write(d.resolve("background_std.csv"), problem.bStd(), 1, nx);
    if (withTruth) {
      write(d.resolve("truth.csv"), truth, nStates, nx);
    }
  }

  /**
   * Writes a method folder from samples x0 = centre + bias + width·σ_b·ε, propagated; returns the scores.
   *
   * @param width posterior std of x0 as a fraction of the background std
   */
  PosteriorScores writeMethod(String name, double[] centre, double width, double bias) throws IOException {
    final int dim = nStates * nx;
    double[] samples = new double[SAMPLES * dim];
    double[] x0 = new double[nx];
    double[] traj = new double[dim];
    for (int m = 0; m < SAMPLES; m++) {
      for (int i = 0; i < nx; i++) {
        x0[i] = centre[i] + bias + width * problem.bStd(i) * rng.nextGaussian();
      }
      model.trajectory(x0, nStates, traj);
      System.arraycopy(traj, 0, samples, m * dim, dim);
    }
    PosteriorScores sc = PosteriorScores.of(samples, SAMPLES, truth, nx, nStates, nAssim);
    Path d = Files.createDirectories(dir.resolve(name));
    write(d.resolve("mean.csv"), sc.mean, nStates, nx);
    write(d.resolve("std.csv"), sc.std, nStates, nx);
    double[] col = new double[SAMPLES];
    for (int q : MethodOutput.PERCENTILES) {
      double[] g = new double[dim];
      for (int k = 0; k < dim; k++) {
        for (int m = 0; m < SAMPLES; m++) {
          col[m] = samples[m * dim + k];
        }
        Arrays.sort(col);
        g[k] = Scores.quantileSorted(col, SAMPLES, q / 100.0);
      }
      write(d.resolve(String.format(Locale.ROOT, "q%02d.csv", q)), g, nStates, nx);
    }
    for (int k : new int[] {0, nAssim - 1, nStates - 1}) {
      double[] cov = new double[nx * nx];
      for (int i = 0; i < nx; i++) {
        for (int j = 0; j < nx; j++) {
          double s = 0;
          for (int m = 0; m < SAMPLES; m++) {
            s += (samples[m * dim + k * nx + i] - sc.mean[k * nx + i])
                * (samples[m * dim + k * nx + j] - sc.mean[k * nx + j]);
          }
          cov[i * nx + j] = s / (SAMPLES - 1);
        }
      }
      write(d.resolve("cov_t" + k + ".csv"), cov, nx, nx);
    }
    write(d.resolve("samples.csv"), Arrays.copyOf(samples, TRAJECTORY_SAMPLES * dim), TRAJECTORY_SAMPLES, dim);
    if (!name.equals("prior")) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("seconds", 0.5 + rng.nextDouble());
      s.put("samples", (double) SAMPLES);
      s.put("scores", scores(sc));
      s.put("rmse_assim", sc.assim.rmse);
      s.put("rmse_forecast", sc.forecast.rmse);
      s.put("spread_assim", sc.assim.spread);
      s.put("spread_forecast", sc.forecast.spread);
      methods.put(name, s);
    }
    return sc;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> method(String name) {
    return (Map<String, Object>) methods.get(name);
  }

  void writeMap() throws IOException {
    double[] x0 = new double[nx];
    for (int i = 0; i < nx; i++) {
      x0[i] = truth[i] + 0.15 * problem.bStd(i) * rng.nextGaussian();
    }
    writeMethod("map", x0, 0.08, 0.0);
    double[] sol = new double[nStates * nx];
    model.trajectory(x0, nStates, sol);
    Path d = dir.resolve("map");
    write(d.resolve("solution.csv"), sol, nStates, nx);
    FourDVarCost cost = new FourDVarCost(problem);
    double best = cost.cost(x0);
    StringBuilder b = new StringBuilder("start,source,final_cost,grad_norm,iterations,evaluations,stop_reason,"
        + "minimum_id\n");
    double[] minima = {best, best * 3.2, best * 21.5};
    for (int s = 0; s < 8; s++) {
      int id = s == 0 ? 0 : s % 3;
      b.append(s).append(',').append(s == 0 ? "background" : "abc").append(',')
          .append(minima[id] * (1 + 1e-9 * s)).append(",1e-7,").append(40 + s).append(',').append(50 + s)
          .append(",gradient,").append(id).append('\n');
    }
    Files.writeString(d.resolve("starts.csv"), b.toString(), StandardCharsets.UTF_8);
    Map<String, Object> m = method("map");
    m.put("counts", Map.of("starts", 8.0, "converged", 8.0, "diverged", 0.0, "excluded", 0.0));
    m.put("distinct_minima", 3.0);
    m.put("best_cost", best);
    m.put("positive_definite", Boolean.TRUE);
    m.put("hessian", "finite-difference");
  }

  void writeAbc() throws IOException {
    writeMethod("abc", truth, 0.55, 0.0);
    Path d = dir.resolve("abc");
    StringBuilder h = new StringBuilder("lower,upper,count\n");
    int nb = 40;
    double lo = 50;
    double hi = 2e5;
    for (int k = 0; k < nb; k++) {
      double a = lo * Math.pow(hi / lo, (double) k / nb);
      double c = lo * Math.pow(hi / lo, (double) (k + 1) / nb);
      double z = (Math.log(Math.sqrt(a * c)) - Math.log(6000)) / 0.9;
      long n = Math.round(100000 * Math.exp(-0.5 * z * z) / 14.0);
      h.append(a).append(',').append(c).append(',').append(n).append('\n');
    }
    Files.writeString(d.resolve("distance_histogram.csv"), h.toString(), StandardCharsets.UTF_8);
    StringBuilder kept = new StringBuilder("trial,distance\n");
    double[] dist = new double[100];
    for (int k = 0; k < dist.length; k++) {
      dist[k] = 120 + 260 * Math.pow(rng.nextDouble(), 0.7);
    }
    Arrays.sort(dist);
    for (int k = 0; k < dist.length; k++) {
      kept.append(rng.nextInt(100000)).append(',').append(dist[k]).append('\n');
    }
    Files.writeString(d.resolve("kept.csv"), kept.toString(), StandardCharsets.UTF_8);
    Map<String, Object> m = method("abc");
    m.put("counts", Map.of("trials", 100000.0, "converged", 100.0, "diverged", 0.0, "excluded", 0.0));
    m.put("final_cost", Map.of("min", dist[0], "median", dist[50], "max", dist[99], "mean", 250.0));
    m.put("threshold", dist[99]);
    m.put("distance", "observation");
    m.put("accepted", 100.0);
    m.put("prior_samples", 1000.0);
  }

  void writeEnsemble() throws IOException {
    writeMethod("ensemble", truth, 0.3, 0.05);
    Path d = dir.resolve("ensemble");
    int members = 40;
    int iters = 80;
    StringBuilder tr = new StringBuilder();
    double[] start = new double[members];
    double[] end = new double[members];
    int[] stop = new int[members];
    boolean[] conv = new boolean[members];
    for (int k = 0; k < members; k++) {
      start[k] = 2000 * Math.exp(rng.nextGaussian());
      end[k] = 45 * Math.exp(0.3 * rng.nextGaussian()) * (k % 9 == 0 ? 12 : 1);
      stop[k] = 25 + rng.nextInt(iters - 25);
      conv[k] = k % 13 != 5;
    }
    for (int it = 0; it < iters; it++) {
      List<String> row = new ArrayList<>();
      for (int k = 0; k < members; k++) {
        row.add(it <= stop[k] ? Double.toString(end[k] + (start[k] - end[k]) * Math.exp(-it / 6.0)
            * (1 + 0.05 * rng.nextGaussian())) : "");
      }
      tr.append(String.join(",", row)).append('\n');
    }
    Files.writeString(d.resolve("cost_trace.csv"), tr.toString(), StandardCharsets.UTF_8);
    StringBuilder mem = new StringBuilder("member,final_cost,iterations,converged,stop_reason\n");
    for (int k = 0; k < members; k++) {
      mem.append(k).append(',').append(end[k]).append(',').append(stop[k]).append(',').append(conv[k])
          .append(',').append(conv[k] ? "gradient" : "max-iterations").append('\n');
    }
    Files.writeString(d.resolve("members.csv"), mem.toString(), StandardCharsets.UTF_8);
    Map<String, Object> m = method("ensemble");
    m.put("counts", Map.of("members", (double) members, "converged", 37.0, "diverged", 0.0, "excluded", 3.0));
    m.put("start", "background");
  }

  void writeVi() throws IOException {
    writeMethod("vi", truth, 0.22, -0.1);
    Path d = dir.resolve("vi");
    writeViTables(d, 4, 400);
    Map<String, Object> m = method("vi");
    m.put("counts", Map.of("restarts", 4.0, "converged", 3.0, "diverged", 1.0, "excluded", 0.0));
    m.put("family", "meanfield");
    m.put("best_restart", 1.0);
    m.put("best_elbo", -61.2);
    m.put("elbo_stderr", 0.4);
    m.put("posterior", "best");
  }

  void writeViTables(Path d, int restarts, int iters) throws IOException {
    double[] target = {-75, -61, -68, -400};
    StringBuilder tr = new StringBuilder();
    for (int it = 0; it < iters; it++) {
      List<String> row = new ArrayList<>();
      for (int r = 0; r < restarts; r++) {
        double v = target[r % 4] - 3000 * Math.exp(-it / 40.0) + 6 * rng.nextGaussian() * (1 + 5 * Math.exp(-it
            / 60.0));
        row.add(Double.toString(v));
      }
      tr.append(String.join(",", row)).append('\n');
    }
    Files.writeString(d.resolve("elbo_trace.csv"), tr.toString(), StandardCharsets.UTF_8);
    StringBuilder rs = new StringBuilder("restart,final_elbo,elbo_stderr,expected_cost,weight,diverged\n");
    for (int r = 0; r < restarts; r++) {
      rs.append(r).append(',').append(target[r % 4] + 0.3).append(",0.4,").append(-target[r % 4] + 20)
          .append(',').append(r == 1 ? 1 : 0).append(',').append(r == 3).append('\n');
    }
    Files.writeString(d.resolve("restarts.csv"), rs.toString(), StandardCharsets.UTF_8);
  }

  void writeSummary() throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("vi4dvar", map("version", "0.1.0", "command", "run --out " + dir.getFileName(), "master",
        "local[2]", "started", "2025-01-01T00:00:00Z", "seconds", 3.2));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("seed", 1.0);
    config.put("model", map("nx", (double) nx, "forcing", 8.0, "dt", 0.1));
    config.put("window", map("states", (double) nStates, "assimilated", (double) nAssim));
    config.put("obs", map("nonlinearity", this.config.nonlinearity().configName(), "pooling",
        (double) this.config.pooling(), "drop", 0.5, "time-stride", 1.0,
        "noise", List.of(0.05, 0.1)));
    config.put("abc", map("trials", 100000.0, "keep", 0.001, "threshold", null, "distance", "observation"));
    config.put("ensemble", map("members", 40.0, "start", "background", "max-iterations", 200.0));
    config.put("vi", map("family", "meanfield", "iterations", 400.0, "lr", 0.01, "restarts", 4.0,
        "start", "best"));
    config.put("map", map("starts", 8.0, "max-iterations", 200.0));
    config.put("posterior", map("samples", (double) SAMPLES));
    config.put("output", map("cov-times", List.of("first", "last-assimilated", "last"),
        "trajectory-samples", 20.0));
    config.put("methods", new ArrayList<>(methods.keySet()));
    root.put("config", config);
    FourDVarCost cost = new FourDVarCost(problem);
    root.put("data", map("source", "twin", "nx", (double) nx, "ny", (double) ny, "states", (double) nStates,
        "assimilated", (double) nAssim, "observations", (double) problem.nObs(), "truth_known", Boolean.TRUE,
        "cost_at_truth", cost.cost(Arrays.copyOf(truth, nx)), "cost_at_background", cost.cost(problem.xb()),
        "background_rmse_assim", 1.1, "background_rmse_forecast", 2.3));
    root.put("methods", methods);
    Files.writeString(dir.resolve("summary.json"), json(root, 0) + "\n", StandardCharsets.UTF_8);
  }

  private static Map<String, Object> scores(PosteriorScores sc) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (String part : new String[] {"assim", "forecast"}) {
      PosteriorScores.Part p = part.equals("assim") ? sc.assim : sc.forecast;
      s.put("rmse_" + part, p.rmse);
      s.put("spread_" + part, p.spread);
      s.put("spread_skill_" + part, p.spreadSkill);
      s.put("crps_" + part, p.crps);
      s.put("coverage50_" + part, p.coverage50);
      s.put("coverage90_" + part, p.coverage90);
      List<Object> h = new ArrayList<>();
      for (long c : p.rankHistogram) {
        h.add((double) c);
      }
      s.put("rank_histogram_" + part, h);
    }
    return s;
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int k = 0; k < kv.length; k += 2) {
      m.put((String) kv[k], kv[k + 1]);
    }
    return m;
  }

  /** A minimal JSON writer (the format: numbers, never NaN — null instead). */
  static String json(Object v, int indent) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double) {
      double d = (Double) v;
      return Double.isFinite(d) ? Double.toString(d) : "null";
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof String) {
      return "\"" + ((String) v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    String pad = "  ".repeat(indent + 1);
    if (v instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object o : (List<?>) v) {
        parts.add(json(o, indent + 1));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    Map<?, ?> m = (Map<?, ?>) v;
    List<String> parts = new ArrayList<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      parts.add(pad + json(String.valueOf(e.getKey()), 0) + ": " + json(e.getValue(), indent + 1));
    }
    return parts.isEmpty() ? "{}" : "{\n" + String.join(",\n", parts) + "\n" + "  ".repeat(indent) + "}";
  }

  static void write(Path f, double[] v, int rows, int cols) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (c > 0) {
          b.append(',');
        }
        double x = v[r * cols + c];
        if (!Double.isNaN(x)) {
          b.append(x);
        }
      }
      b.append('\n');
    }
    Files.writeString(f, b.toString(), StandardCharsets.UTF_8);
  }
}
