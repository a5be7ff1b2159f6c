package org.vi4dvar.driver.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's output directory, read leniently (format v1: summary.json, {@code data/}, one folder per method).
 *
 * <p>Nothing here throws on the directory's content: a missing file leaves its field null, and a malformed or
 * mis-shaped one is also left out with a line in {@link #notes}. The dimensions come from summary.json's
 * {@code data} section, else its {@code config}, else the shapes of the files; a file whose shape disagrees
 * with them is left out.
 */
final class RunOutput {

  /** The folder of the prior, shown as a reference column when present. */
  static final String PRIOR = "prior";
  /** The four methods, in the order they are shown. */
  static final List<String> KNOWN_METHODS = List.of("map", "abc", "ensemble", "vi");

  /**
   * Grid points shown by the time × grid-point heatmaps at most: a larger state is shown through a window of
   * its first {@value} points at full resolution (block averages would wash out Lorenz96's waves, a few points
   * long), said in the captions.
   */
  static final int GRID_WINDOW = 128;
  /**
   * Grid points of a covariance figure at most: of a larger state, the covariance of its first {@value} points
   * is read (the first rows and columns of cov_t&lt;k&gt;.csv, as a stream) and drawn.
   */
  static final int COV_WINDOW = 64;
  /** Sampled trajectories read at most (samples.csv is read only as far as these go). */
  static final int MAX_SAMPLES = Trajectories.MAX_SAMPLES;

  private static final Pattern COV = Pattern.compile("cov_t(\\d+)\\.csv");
  private static final Set<String> NOT_METHODS = Set.of("data", "figures", PRIOR);

  final Path dir;
  /** The directory as the report names it: {@link #dir}, or where a run will rename it to. */
  Path shownAs;
  /** The parsed summary.json, or null. */
  final Object summary;
  /** summary.json's config (empty if absent). */
  final Map<String, Object> config;
  /** Why something was left out, in reading order (plain text). */
  final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());

  /** State size (0 if unknown). */
  int nx;
  /** Observed points per state (0 if unknown). */
  int ny;
  /** Window length (0 if unknown). */
  int nStates;
  /** Assimilated states. */
  int nAssim;
  /** Average-pooling factor of the observation operator. */
  int pooling = 1;
  /** Observation nonlinearity (config name, lower case), or null if unknown. */
  String nonlinearity;

  Grid truth;
  Grid obs;
  Grid obsStd;
  Grid background;
  Grid backgroundStd;
  /** The prior reference, or null. */
  MethodOutput prior;
  /** The methods, in display order. */
  final List<MethodOutput> methods = new ArrayList<>();

  private RunOutput(Path dir, Object summary) {
    this.dir = dir;
    this.shownAs = dir;
    this.summary = summary;
    this.config = JsonReader.object(summary, "config");
  }

  /**
   * Reads {@code dir}.
   *
   * @throws IOException only if {@code dir} is not a readable directory
   */
  static RunOutput load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a directory: " + dir);
    }
    Object summary = null;
    List<String> early = new ArrayList<>();
    Path summaryFile = dir.resolve("summary.json");
    if (Files.isRegularFile(summaryFile)) {
      try {
        summary = JsonReader.parse(Files.readString(summaryFile, StandardCharsets.UTF_8));
        if (!(summary instanceof Map)) {
          early.add("summary.json is not a JSON object: settings and scores are not shown");
          summary = null;
        }
      } catch (IOException e) {
        early.add("summary.json could not be read (" + e.getMessage() + "): settings and scores are not shown");
      }
    } else {
      early.add("no summary.json: settings and scores are not shown");
    }
    RunOutput r = new RunOutput(dir, summary);
    r.notes.addAll(early);
    r.read();
    return r;
  }

  /** Whether the truth is available (error figures, rank histograms). */
  boolean truthKnown() {
    return truth != null;
  }

  /** The methods and, first, the prior if present: the columns of the comparison figures. */
  List<MethodOutput> withPrior() {
    List<MethodOutput> all = new ArrayList<>();
    if (prior != null) {
      all.add(prior);
    }
    all.addAll(methods);
    return all;
  }

  /** The method named {@code name}, or null. */
  MethodOutput method(String name) {
    for (MethodOutput m : methods) {
      if (m.name.equals(name)) {
        return m;
      }
    }
    return null;
  }

  private void read() {
    Path data = dir.resolve("data");
    truth = optionalGrid(data.resolve("truth.csv"));
    obs = optionalGrid(data.resolve("obs.csv"));
    obsStd = optionalGrid(data.resolve("obs_std.csv"));
    background = optionalGrid(data.resolve("background.csv"));
    backgroundStd = optionalGrid(data.resolve("background_std.csv"));

    List<String> names = methodNames();
    dimensions(names);
    checkData();
    if (Files.isDirectory(dir.resolve(PRIOR))) {
      prior = readMethod(PRIOR);
    }
    int other = 0;
    for (String n : names) {
      MethodOutput m = readMethod(n);
      m.colour = Style.isKnown(n) ? Style.method(n) : Style.other(other++);
      if (m.unavailable()) {
        notes.add(m.label() + " has no posterior" + (m.reason() == null ? "" : " (" + m.reason() + ")")
            + ": it is left out of the posterior figures and the scores; the Methods table says what it did");
      }
      methods.add(m);
    }
    if (prior != null) {
      prior.colour = Style.method(PRIOR);
    }
  }

  /** Grid points shown by the time × grid-point heatmaps: all, or the first {@link #GRID_WINDOW}. */
  int gridShown() {
    return Math.min(nx, GRID_WINDOW);
  }

  /** Grid points shown by the covariance figures: all, or the first {@link #COV_WINDOW}. */
  int covShown() {
    return Math.min(nx, COV_WINDOW);
  }

  /**
   * Method folders and summary.json entries: the known four in their order, then the others (methods this
   * report does not know, e.g. added later) in summary.json's order, then folders without an entry by name.
   */
  private List<String> methodNames() {
    Set<String> found = new LinkedHashSet<>(JsonReader.object(summary, "methods").keySet());
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".") && !NOT_METHODS.contains(n))
          .filter(n -> KNOWN_METHODS.contains(n) || Files.isRegularFile(dir.resolve(n).resolve("mean.csv")))
          .sorted()
          .forEach(found::add);
    } catch (IOException e) {
      notes.add("could not list " + dir.getFileName() + ": " + e.getMessage());
    }
    found.remove(PRIOR);
    List<String> out = new ArrayList<>();
    for (String k : KNOWN_METHODS) {
      if (found.remove(k)) {
        out.add(k);
      }
    }
    // the others in the run's order (summary.json), then folders without an entry by name
    out.addAll(found);
    return out;
  }

  private void dimensions(List<String> names) {
    Grid firstMean = null;
    for (String n : names) {
      Path p = dir.resolve(n).resolve("mean.csv");
      if (Files.isRegularFile(p)) {
        try {
          firstMean = Csv.headedGrid(p);
          break;
        } catch (IOException e) {
          // noted when the method is read
        }
      }
    }
    nx = firstPositive(JsonReader.number(summary, "data", "nx"), JsonReader.number(config, "model", "nx"),
        truth == null ? null : (double) truth.cols, background == null ? null : (double) background.cols,
        firstMean == null ? null : (double) firstMean.cols);
    nStates = firstPositive(JsonReader.number(summary, "data", "states"),
        JsonReader.number(config, "window", "states"), truth == null ? null : (double) truth.rows,
        obs == null ? null : (double) obs.rows, firstMean == null ? null : (double) firstMean.rows);
    Double pool = JsonReader.number(config, "obs", "pooling");
    Double obsCols = obs == null ? null : (double) obs.cols;
    ny = firstPositive(JsonReader.number(summary, "data", "ny"), obsCols,
        pool != null && pool > 0 && nx > 0 ? nx / pool : null);
    if (pool != null && pool >= 1) {
      pooling = pool.intValue();
    } else if (nx > 0 && ny > 0 && nx % ny == 0) {
      pooling = nx / ny;
    }
    Object nl = JsonReader.at(config, "obs", "nonlinearity");
    nonlinearity = nl instanceof String ? ((String) nl).toLowerCase(Locale.ROOT) : null;
    Double lastObserved = null;
    if (obs != null) {
      for (int t = obs.rows - 1; t >= 0 && lastObserved == null; t--) {
        for (int j = 0; j < obs.cols; j++) {
          if (Double.isFinite(obs.get(t, j))) {
            lastObserved = (double) (t + 1);
            break;
          }
        }
      }
    }
    nAssim = firstPositive(JsonReader.number(summary, "data", "assimilated"),
        JsonReader.number(config, "window", "assimilated"), lastObserved, (double) nStates);
    if (nAssim > nStates) {
      notes.add("assimilated states " + nAssim + " > window length " + nStates + ": using " + nStates);
      nAssim = nStates;
    }
    if (nx == 0 || nStates == 0) {
      notes.add("the state size and window length are unknown (no summary.json data, no truth, no mean.csv):"
          + " the state figures are not drawn");
    }
  }

  private void checkData() {
    truth = shaped(truth, "data/truth.csv", nStates, nx);
    background = shaped(background, "data/background.csv", 1, nx);
    backgroundStd = shaped(backgroundStd, "data/background_std.csv", 1, nx);
    obs = observationShaped(obs, "data/obs.csv");
    obsStd = observationShaped(obsStd, "data/obs_std.csv");
  }

  /** Observation files are nStates x ny; nAssim..nStates rows (forecast, empty) may be left out. */
  private Grid observationShaped(Grid g, String what) {
    if (g == null) {
      return null;
    }
    if (g.cols != ny || g.rows < nAssim || g.rows > nStates) {
      notes.add(what + " is " + g.rows + " x " + g.cols + ", expected " + nStates + " x " + ny + ": not shown");
      return null;
    }
    if (g.rows == nStates) {
      return g;
    }
    double[] v = new double[nStates * ny];
    java.util.Arrays.fill(v, Double.NaN);
    for (int t = 0; t < g.rows; t++) {
      for (int j = 0; j < ny; j++) {
        v[t * ny + j] = g.get(t, j);
      }
    }
    return new Grid(nStates, ny, v);
  }

  private MethodOutput readMethod(String name) {
    Path d = dir.resolve(name);
    boolean folder = Files.isDirectory(d);
    MethodOutput m = new MethodOutput(name, JsonReader.object(summary, "methods", name), folder);
    if (!folder) {
      if (m.unavailable()) {
        return m;
      }
      notes.add(m.label() + ": no folder " + name + "/ (scores from summary.json only; its figures are left out)");
      return m;
    }
    String p = name + "/";
    m.mean = shaped(optionalHeaded(d.resolve("mean.csv")), p + "mean.csv", nStates, nx);
    m.std = shaped(optionalHeaded(d.resolve("std.csv")), p + "std.csv", nStates, nx);
    for (int q : MethodOutput.PERCENTILES) {
      String f = String.format(Locale.ROOT, "q%02d.csv", q);
      Grid g = shaped(optionalHeaded(d.resolve(f)), p + f, nStates, nx);
      if (g != null) {
        m.quantiles.put(q, g);
      }
    }
    try (Stream<Path> s = Files.list(d)) {
      s.forEach(f -> {
        Matcher mm = COV.matcher(f.getFileName().toString());
        if (mm.matches()) {
          int k = Integer.parseInt(mm.group(1));
          Grid g = covariance(f, p + f.getFileName());
          if (g != null && k < nStates) {
            m.covariances.put(k, g);
          } else if (g != null) {
            notes.add(p + f.getFileName() + ": state " + k + " is outside the window of " + nStates
                + " states: not shown");
          }
        }
      });
    } catch (IOException e) {
      notes.add("could not list " + p + ": " + e.getMessage());
    }
    m.samples = samples(d.resolve("samples.csv"), p + "samples.csv");
    m.samplesInFile = samplesInFile;
    m.solution = shaped(optionalHeaded(d.resolve("solution.csv")), p + "solution.csv", nStates, nx);
    m.starts = optionalTable(d.resolve("starts.csv"), null);
    m.priorSample = optionalTable(d.resolve("prior_sample.csv"), null);
    // kept.csv also has one column per component of x0: only the scalar columns are read
    m.kept = optionalTable(d.resolve("kept.csv"), Set.of("trial", "distance", "cost"));
    m.members = optionalTable(d.resolve("members.csv"), null);
    // cost_trace.csv: ensemble member,iteration,perturbed_cost; map start,iteration,cost
    Path trace = d.resolve("cost_trace.csv");
    if (Files.isRegularFile(trace)) {
      List<String> head;
      try {
        head = Csv.header(trace);
      } catch (IOException e) {
        head = List.of();
      }
      m.costTrace = head.contains("member") || ("ensemble".equals(name) && !head.contains("start"))
          ? optionalLong(trace, "member", "iteration", "perturbed_cost")
          : optionalLong(trace, "start", "iteration", "cost");
    }
    m.restarts = optionalTable(d.resolve("restarts.csv"), null);
    m.elboTrace = optionalLong(d.resolve("elbo_trace.csv"), "restart", "iteration", "elbo");
    return m;
  }

  private Grid shaped(Grid g, String what, int rows, int cols) {
    if (g == null) {
      return null;
    }
    if (rows <= 0 || cols <= 0 || !g.hasShape(rows, cols)) {
      notes.add(what + " is " + g.rows + " x " + g.cols + ", expected " + rows + " x " + cols + ": not shown");
      return null;
    }
    return g;
  }

  private Grid optionalGrid(Path f) {
    return optionalGrid(f, Integer.MAX_VALUE);
  }

  /** A results grid with its header and coordinate column, or null (absent; unreadable, noted). */
  private Grid optionalHeaded(Path f) {
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return Csv.headedGrid(f);
    } catch (IOException | RuntimeException e) {
      notes.add(dir.relativize(f) + " could not be read (" + e.getMessage() + "): not shown");
      return null;
    }
  }

  /** A long-form trace as a grid (row = step, column = series), or null. */
  private Grid optionalLong(Path f, String series, String step, String value) {
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return Csv.longForm(f, series, step, value);
    } catch (IOException | RuntimeException e) {
      notes.add(dir.relativize(f) + " could not be read (" + e.getMessage() + "): not shown");
      return null;
    }
  }

  /** Rows of the last samples.csv read, per sampled trajectory: set by {@link #samples}. */
  private int samplesInFile;

  /**
   * samples.csv (long form {@code sample,t,x_0,…}) as one row per sampled trajectory ({@code nStates·nx} values,
   * t-major), at most {@link #MAX_SAMPLES} of them (the file is read only that far); null when absent or
   * mis-shaped (noted).
   */
  private Grid samples(Path f, String what) {
    samplesInFile = 0;
    if (!Files.isRegularFile(f) || nx <= 0 || nStates <= 0) {
      return null;
    }
    Csv.Headed h;
    try {
      // the t column is kept as the first value column, to check the shape
      h = Csv.headedWindow(f, MAX_SAMPLES * nStates, nx + 1);
    } catch (IOException | RuntimeException e) {
      notes.add(dir.relativize(f) + " could not be read (" + e.getMessage() + "): not shown");
      return null;
    }
    Grid g = h.grid;
    if (h.columns != nx + 1 || g.rows % nStates != 0) {
      notes.add(what + " is " + g.rows + " x " + (h.columns + 1) + ", expected rows of sample,t and " + nx
          + " values, " + nStates + " rows per sample: not shown");
      return null;
    }
    int n = g.rows / nStates;
    double[] v = new double[n * nStates * nx];
    for (int s = 0; s < n; s++) {
      for (int t = 0; t < nStates; t++) {
        for (int i = 0; i < nx; i++) {
          v[(s * nStates + t) * nx + i] = g.get(s * nStates + t, i + 1);
        }
      }
    }
    samplesInFile = n;
    return new Grid(n, nStates * nx, v);
  }

  /**
   * A covariance file: the whole nx × nx matrix, or of a larger state the window of its first
   * {@link #covShown()} grid points (read as a stream, the rest of the file untouched); null when absent or
   * mis-shaped (noted).
   */
  private Grid covariance(Path f, String what) {
    if (!Files.isRegularFile(f)) {
      return null;
    }
    int w = covShown();
    Csv.Headed h;
    try {
      h = Csv.headedWindow(f, w, w);
    } catch (IOException | RuntimeException e) {
      notes.add(dir.relativize(f) + " could not be read (" + e.getMessage() + "): not shown");
      return null;
    }
    // a covariance may be of the first output.cov-points grid points only: c x c with c <= nx
    int c = h.columns;
    int rows = Math.min(w, c);
    if (w <= 0 || c > nx || h.grid.rows != rows) {
      notes.add(what + " is " + (h.grid.rows < rows ? "shorter than " + rows + " rows" : h.grid.rows + " rows")
          + " x " + c + ", expected square, at most " + nx + " x " + nx + ": not shown");
      return null;
    }
    return h.grid;
  }

  /** The first {@code maxRows} rows of a grid file, or null (absent; unreadable, noted). */
  private Grid optionalGrid(Path f, int maxRows) {
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return Csv.grid(f, maxRows);
    } catch (IOException | RuntimeException e) {
      notes.add(dir.relativize(f) + " could not be read (" + e.getMessage() + "): not shown");
      return null;
    }
  }

  /** A table with the named columns only ({@code null}: all), or null (absent; unreadable, noted). */
  private Table optionalTable(Path f, Set<String> columns) {
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return Csv.table(f, columns);
    } catch (IOException | RuntimeException e) {
      notes.add(dir.relativize(f) + " could not be read (" + e.getMessage() + "): not shown");
      return null;
    }
  }

  private static int firstPositive(Double... candidates) {
    for (Double d : candidates) {
      if (d != null && d >= 1 && d == Math.rint(d) && d < Integer.MAX_VALUE) {
        return d.intValue();
      }
    }
    return 0;
  }
}
