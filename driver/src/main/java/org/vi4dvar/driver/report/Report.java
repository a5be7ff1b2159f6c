package org.vi4dvar.driver.report;

import java.awt.AWTError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.vi4dvar.driver.io.Abortable;

/**
 * Builds the figures and the HTML report of a run's output directory: {@code DIR/figures/*.png} and
 * {@code DIR/report.html}. Runs in the driver JVM after the estimators, or standalone on an existing directory
 * ({@code submit/local.sh report DIR}); headless, no Spark.
 *
 * <p>Figures (each left out, with a note in the report, when its inputs are missing):
 * <pre>
 *   data.png                   truth, background and B⁻¹, observations and R⁻¹ (time × grid point)
 *   mean_error.png, std.png    posterior mean − truth and posterior std per method, shared colour scales
 *   trajectory_x&lt;i&gt;.png       fan per method (median, 50/90 % bands, samples), truth, MAP, observations
 *   covariance_t&lt;k&gt;.png       covariance and correlation of x_k per method, for every cov_t&lt;k&gt;.csv
 *   opt_map_starts.png, opt_abc_distances.png, opt_ensemble_costs.png, opt_vi_elbo.png   optimisation views
 *   rank_histograms.png        rank histograms of the truth per method
 * </pre>
 */
public final class Report {

  private Report() {
  }

  /** Builds the report of {@code outDir} for the default coordinates (0, the middle one, the last). */
  public static void build(Path outDir) throws IOException {
    build(outDir, List.of());
  }

  /**
   * Builds the report of {@code outDir}, with a trajectory figure per coordinate of {@code coordinates} (empty:
   * 0, nx/2 and nx − 1). Replaces {@code outDir/figures} and {@code outDir/report.html}, all or nothing
   * ({@link ReportFiles}).
   *
   * @throws IOException if {@code outDir} is not a directory or the figures or the report cannot be written;
   *     never because of what the directory holds
   */
  public static void build(Path outDir, List<Integer> coordinates) throws IOException {
    build(outDir, coordinates, outDir);
  }

  /**
   * As {@link #build(Path, List)}, for a directory that will be renamed to {@code shownAs} (a run builds its
   * report in the temporary directory it then renames into place): the page names {@code shownAs}.
   */
  public static void build(Path outDir, List<Integer> coordinates, Path shownAs) throws IOException {
    build(outDir, coordinates, shownAs, a -> { }, s -> { });
  }

  /**
   * As {@link #build(Path, List, Path)}, for the {@code report} command.
   *
   * @param protect receives the files being replaced, for a shutdown hook that leaves the old ones on a signal
   * @param notes receives a line per leftover of a killed report removed from {@code outDir}
   * @throws BadRequest if a requested coordinate is outside [0, nx) of the run, or {@code outDir/figures}
   *     holds something that is not a figure (nothing is changed)
   */
  public static void build(Path outDir, List<Integer> coordinates, Path shownAs, Consumer<Abortable> protect,
      Consumer<String> notes) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    ReportFiles files;
    try {
      files = ReportFiles.open(outDir, notes);
    } catch (IllegalStateException e) {
      throw new BadRequest(e.getMessage());
    }
    protect.accept(files);
    try (ReportFiles f = files) {
      RunOutput run = RunOutput.load(outDir);
      run.shownAs = shownAs;
      checkCoordinates(run, coordinates);
      List<Figure> figures = figures(run, coordinates);
      Map<String, byte[]> png = new LinkedHashMap<>();
      List<byte[]> encoded = parallel(figures, Report::encode);
      for (int i = 0; i < figures.size(); i++) {
        Figure fig = figures.get(i);
        png.put(fig.file(), encoded.get(i));
        f.write(f.figures().resolve(fig.file()), encoded.get(i));
      }
      beforeCommit.run();
      String html = HtmlReport.page(run, figures, png);
      f.write(f.page(), html.getBytes(StandardCharsets.UTF_8));
      f.commit();
    }
  }

  /** What was asked of the report cannot be done with this directory (nothing was changed). */
  public static final class BadRequest extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** Test hook: runs after the figures are written into the staging directory, before the page and the swap. */
  static volatile Runnable beforeCommit = () -> { };

  /** Refuses requested coordinates outside the state of the run (when its size is known). */
  private static void checkCoordinates(RunOutput run, List<Integer> coordinates) {
    if (coordinates == null || run.nx <= 0) {
      return;
    }
    for (Integer i : coordinates) {
      if (i == null || i < 0 || i >= run.nx) {
        throw new BadRequest("--coordinates: grid point " + i + " is outside the state of this run "
            + "(0.." + (run.nx - 1) + ", nx = " + run.nx + ")");
      }
    }
  }

  /** Every figure the directory allows, in report order, drawn in parallel (one figure per task). */
  static List<Figure> figures(RunOutput run, List<Integer> coordinates) throws IOException {
    List<Pending> out = new ArrayList<>();
    boolean states = run.nx > 0 && run.nStates > 0;
    if (states) {
      add(out, run, "data.png", () -> Heatmaps.data(run));
      add(out, run, "mean_error.png", () -> Heatmaps.meanError(run));
      add(out, run, "std.png", () -> Heatmaps.std(run));
      for (int i : coordinates(run, coordinates)) {
        add(out, run, "trajectory_x" + i + ".png", () -> Trajectories.of(run, i));
      }
      Set<Integer> ks = new TreeSet<>();
      for (MethodOutput m : run.withPrior()) {
        ks.addAll(m.covariances.keySet());
      }
      if (ks.isEmpty() && !run.methods.isEmpty()) {
        run.notes.add("covariance figures: no method has a cov_t<k>.csv");
      }
      for (int k : ks) {
        add(out, run, "covariance_t" + k + ".png", () -> Heatmaps.covariance(run, k));
      }
    }
    add(out, run, "opt_map_starts.png", () -> Optimisation.map(run));
    add(out, run, "opt_abc_distances.png", () -> Optimisation.abc(run));
    add(out, run, "opt_ensemble_costs.png", () -> Optimisation.ensemble(run));
    add(out, run, "opt_vi_elbo.png", () -> Optimisation.vi(run));
    add(out, run, "rank_histograms.png", () -> RankHistograms.of(run));
    List<Figure> drawn = new ArrayList<>();
    for (Figure f : parallel(out, p -> draw(run, p))) {
      if (f != null) {
        drawn.add(f);
      }
    }
    return drawn;
  }

  /** A figure to draw: its file name and how. */
  private record Pending(String name, Supplier<Figure> make) {
  }

  /** Threads that draw and encode figures (JFreeChart charts are independent objects). */
  private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /** {@code f} applied to every element, on {@link #THREADS} threads; results in input order. */
  private static <A, B> List<B> parallel(List<A> in, IoFunction<A, B> f) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "vi4dvar-report");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<B>> futures = new ArrayList<>();
      for (A a : in) {
        futures.add(pool.submit(() -> f.apply(a)));
      }
      List<B> out = new ArrayList<>();
      for (Future<B> fu : futures) {
        try {
          out.add(fu.get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while drawing the report", e);
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof IOException) {
            throw (IOException) c;
          }
          if (c instanceof RuntimeException) {
            throw (RuntimeException) c;
          }
          throw new IOException(c);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A function that may throw {@link IOException}. */
  private interface IoFunction<A, B> {
    B apply(A a) throws IOException;
  }

  /** The valid coordinates of the request, or 0, nx/2, nx − 1. */
  static List<Integer> coordinates(RunOutput run, List<Integer> requested) {
    Set<Integer> out = new LinkedHashSet<>();
    if (requested == null || requested.isEmpty()) {
      out.add(0);
      out.add(run.nx / 2);
      out.add(run.nx - 1);
    } else {
      for (Integer i : requested) {
        if (i != null && i >= 0 && i < run.nx) {
          out.add(i);
        } else {
          run.notes.add("trajectory of coordinate " + i + " requested, but the state has " + run.nx
              + " components: left out");
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Adds a figure; a failure to draw it becomes a note, never an exception: the run that calls this has
   * finished its estimators, and a plotting problem must not lose their output. Java2D's own failures (no
   * font, no native library on a bare image) are errors, so those are caught too.
   */
  private static void add(List<Pending> out, RunOutput run, String name, Supplier<Figure> make) {
    out.add(new Pending(name, make));
  }

  private static Figure draw(RunOutput run, Pending p) {
    try {
      return p.make().get();
    } catch (RuntimeException | LinkageError | AWTError e) {
      notDrawn(run.notes, p.name(), e);
      return null;
    }
  }

  /** A figure that failed: a note for the page, or under {@link #STRICT} the failure itself. */
  static void notDrawn(List<String> notes, String name, Throwable e) {
    if (Boolean.getBoolean(STRICT)) {
      throw new IllegalStateException(name + " could not be drawn", e);
    }
    notes.add(name + " could not be drawn (" + e + ")");
  }

  /**
   * System property: a figure that throws fails the report instead of becoming a note. The tests set it (see the
   * driver's pom): an exception while drawing is a defect of the report's code, which the note would hide.
   */
  static final String STRICT = "vi4dvar.report.strict";

  /** The PNG bytes of a figure (of the run's report and of calibrate's), encoded in memory by {@link Png}. */
  static byte[] encode(Figure f) {
    // nothing here goes through ImageIO; should anything ever do, without this it buffers in java.io.tmpdir
    // (imageio*.tmp), which a signal during encoding leaves behind
    ImageIO.setUseCache(false);
    return Png.encode(f.image());
  }
}
