package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.twin.TwinConfig;

/**
 * A state larger than the figures show (nx = 200 &gt; {@link RunOutput#GRID_WINDOW} &gt; {@link RunOutput#COV_WINDOW}):
 * the heatmaps and covariances are windows, said in their captions, and only the window of a covariance file (and
 * only the drawn sampled trajectories, and only the scalar columns of kept.csv) is read.
 */
class LargeStateReportTest {

  static final int NX = 200;
  /** More sampled trajectories than a figure draws. */
  static final int SAMPLES_WRITTEN = RunOutput.MAX_SAMPLES + 10;

  @TempDir
  static Path dir;
  static SyntheticRun run;
  static String html;

  @BeforeAll
  static void build() throws IOException {
    run = new SyntheticRun(dir, new TwinConfig(3, NX, 8.0, 0.1, 64, 16, 12, 4, Nonlinearity.SQUARE, 0.5, 1, 0.05,
        0.1, 0.1, 0.2, 1.0), "output.trajectory-samples=" + SAMPLES_WRITTEN);
    run.writeData(true);
    run.writeMethod("prior", run.problem.xb(), 1.0, 0.0);
    run.writeAbc();
    run.writeVi();
    run.writeSummary();
    Report.build(dir);
    html = Files.readString(dir.resolve("report.html"));
  }

  @Test
  void heatmapsAndCovariancesAreWindowsSaidInTheirCaptions() {
    assertTrue(NX > RunOutput.GRID_WINDOW && RunOutput.GRID_WINDOW > RunOutput.COV_WINDOW);
    for (String f : List.of("data.png", "mean_error.png", "std.png")) {
      String cap = ReportTest.caption(html, f);
      assertTrue(cap.contains("Of the nx = 200 grid points the first 128 (i = 0…127) are shown, at full "
          + "resolution: a window, not an average"), f + ": " + cap);
    }
    String cap = ReportTest.caption(html, "covariance_t11.png");
    assertTrue(cap.contains("Of the nx = 200 grid points the first 64 (i, j = 0…63) are shown"), cap);
    assertFalse(html.contains("Left out"), "nothing is missing");
  }

  /**
   * Covariances of fewer points than the window ({@code output.cov-points = 4} of nx = 32 &lt; the window): the
   * figures show the points the files hold (they failed with an ArrayIndexOutOfBoundsException, "could not be
   * drawn").
   */
  @Test
  void covariancesOfTheFirstCovPointsAreDrawn(@TempDir Path small) throws IOException {
    SyntheticRun r = new SyntheticRun(small, new TwinConfig(3, 32, 8.0, 0.1, 64, 16, 12, 4, Nonlinearity.SQUARE, 0.5,
        1, 0.05, 0.1, 0.1, 0.2, 1.0), "output.cov-points=4");
    r.writeData(true);
    r.writeMethod("prior", r.problem.xb(), 1.0, 0.0);
    r.writeAbc();
    r.writeVi();
    r.writeSummary();
    Report.build(small);
    String page = Files.readString(small.resolve("report.html"));
    assertFalse(page.contains("could not be drawn"), "every figure is drawn");
    String cap = ReportTest.caption(page, "covariance_t11.png");
    assertTrue(cap.contains("Of the nx = 32 grid points the first 4 (i, j = 0…3) are shown"), cap);
  }

  @Test
  void theCovarianceWindowIsTheTopLeftBlockOfTheFile() throws IOException {
    RunOutput out = RunOutput.load(dir);
    Grid w = out.method("abc").covariances.get(11);
    assertNotNull(w);
    assertEquals(RunOutput.COV_WINDOW, w.rows);
    assertEquals(RunOutput.COV_WINDOW, w.cols);
    Grid all = Csv.headedGrid(dir.resolve("abc/cov_t11.csv"));
    assertEquals(NX, all.rows);
    for (int i = 0; i < w.rows; i++) {
      for (int j = 0; j < w.cols; j++) {
        assertEquals(all.get(i, j), w.get(i, j));
      }
    }
  }

  @Test
  void onlyWhatIsDrawnIsRead() throws IOException {
    Path copy = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-garbled"));
    copyTree(dir, copy);
    // beyond what is drawn, the files are garbage: a reader that parsed them would say so in the notes
    int w = RunOutput.COV_WINDOW;
    garble(copy.resolve("abc/cov_t11.csv"), 1 + w, Integer.MAX_VALUE, 1);
    garble(copy.resolve("abc/cov_t11.csv"), 1, 1 + w, 1 + w);
    garble(copy.resolve("vi/cov_t0.csv"), 1 + w, Integer.MAX_VALUE, 1);
    int drawnRows = RunOutput.MAX_SAMPLES * run.nStates;
    assertEquals(1 + SAMPLES_WRITTEN * run.nStates, Files.readAllLines(copy.resolve("vi/samples.csv")).size());
    garble(copy.resolve("vi/samples.csv"), 1 + drawnRows, Integer.MAX_VALUE, 1);
    garble(copy.resolve("abc/kept.csv"), 1, Integer.MAX_VALUE, 3);
    RunOutput out = RunOutput.load(copy);
    assertEquals(List.of(), notesAbout(out, "not a number"), "garbage beyond the window was parsed");
    assertEquals(RunOutput.COV_WINDOW, out.method("abc").covariances.get(11).rows);
    assertEquals(RunOutput.COV_WINDOW, out.method("vi").covariances.get(0).rows);
    assertEquals(RunOutput.MAX_SAMPLES, out.method("vi").samples.rows);
    assertEquals(RunOutput.MAX_SAMPLES, Trajectories.drawn(out.method("vi")));
    Table kept = out.method("abc").kept;
    assertTrue(kept.has("distance") && kept.has("cost") && kept.has("trial"));
    assertFalse(kept.has("x0_0"), "the x0 columns of kept.csv are not held");
  }

  private static List<String> notesAbout(RunOutput out, String what) {
    List<String> n = new ArrayList<>();
    for (String s : out.notes) {
      if (s.contains(what)) {
        n.add(s);
      }
    }
    return n;
  }

  /** Replaces the fields from column {@code fromCol} on, of lines {@code fromLine}.. (0-based, header = 0), by "x". */
  private static void garble(Path f, int fromLine, int toLine, int fromCol) throws IOException {
    List<String> lines = Files.readAllLines(f);
    for (int l = fromLine; l < Math.min(toLine, lines.size()); l++) {
      String[] p = lines.get(l).split(",", -1);
      for (int c = fromCol; c < p.length; c++) {
        p[c] = "x";
      }
      lines.set(l, String.join(",", p));
    }
    Files.write(f, lines);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
