package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.kernels.diagnostics.Convergence;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.stats.ReferenceScore;
import org.vi4dvar.kernels.stats.TrajectorySummary;
import org.vi4dvar.kernels.twin.TwinConfig;

/**
 * End to end: a synthetic run directory (the talk's twin, fake posteriors around the truth) through
 * {@link Report#build}; then partial and broken directories, which must still give a report.
 */
class ReportTest {

  /** Every figure of a full run with the default coordinates (nx = 16, 16 states of which 12 assimilated). */
  static final Set<String> FULL = Set.of("data.png", "mean_error.png", "std.png", "trajectory_x0.png",
      "trajectory_x8.png", "trajectory_x15.png", "covariance_t0.png", "covariance_t11.png", "covariance_t15.png",
      "opt_map_starts.png", "opt_abc_distances.png", "opt_ensemble_costs.png", "opt_vi_elbo.png",
      "rank_histograms.png");

  @TempDir
  static Path shared;
  static Path full;
  static SyntheticRun fullRun;
  static String html;

  @BeforeAll
  static void buildFull() throws IOException {
    full = Files.createDirectories(shared.resolve("full"));
    fullRun = SyntheticRun.full(full);
    Report.build(full);
    html = Files.readString(full.resolve("report.html"), StandardCharsets.UTF_8);
  }

  @Test
  void fullRunHasEveryFigureAsAValidPngOfTheDeclaredSize() throws IOException {
    assertEquals(FULL, pngs(full));
    for (String f : FULL) {
      BufferedImage img = ImageIO.read(full.resolve("figures").resolve(f).toFile());
      assertNotNull(img, f + " does not decode");
      int[] declared = declaredSize(f);
      assertEquals(declared[0], img.getWidth(), f + " width");
      assertEquals(declared[1], img.getHeight(), f + " height");
      assertTrue(img.getWidth() >= 600 && img.getWidth() <= 1700, f + " width " + img.getWidth());
      assertTrue(img.getHeight() >= 300 && img.getHeight() <= 1000, f + " height " + img.getHeight());
      assertFalse(blank(img), f + " is blank");
    }
  }

  @Test
  void heatmapFiguresHaveTheLayoutSize() throws IOException {
    // 5 columns (prior + 4 methods), one shared colour bar, a title and a one-line legend
    BufferedImage img = ImageIO.read(full.resolve("figures/mean_error.png").toFile());
    int w = 2 * PanelFigure.MARGIN + 5 * Heatmaps.panelWidth(5) + ColourBar.WIDTH;
    assertEquals(w, img.getWidth());
    assertEquals(2 * PanelFigure.MARGIN + PanelFigure.TITLE_HEIGHT + Heatmaps.PANEL_HEIGHT + 26, img.getHeight());
  }

  @Test
  void reportEmbedsEveryFigureAsADataUri() throws IOException {
    for (String f : FULL) {
      byte[] png = Files.readAllBytes(full.resolve("figures").resolve(f));
      assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\""),
          f + " is not embedded");
    }
    assertEquals(FULL.size(), count(html, "data:image/png;base64,"));
    assertEquals(FULL.size(), count(html, "<figcaption>"));
  }

  @Test
  void reportIsSelfContained() {
    assertFalse(html.contains("http://"), "external reference");
    assertFalse(html.contains("https://"), "external reference");
    assertFalse(html.contains("<script"), "script");
    assertFalse(html.contains("<link"), "external stylesheet");
    assertFalse(html.contains("@import"), "external stylesheet");
    assertFalse(html.contains("url("), "external resource in CSS");
  }

  @Test
  void scoreTableMarksTheLowestRmseAsBest() {
    assertTrue(html.contains("<table class=\"scores\">"));
    String row = firstRow(html, "RMSE of the mean");
    // the synthetic run's lowest assimilated RMSE
    String best = null;
    double min = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, Object> e : fullRun.methods.entrySet()) {
      double v = JsonReader.number(e.getValue(), "scores", "assim", "rmse");
      if (v < min) {
        min = v;
        best = e.getKey();
      }
    }
    assertNotNull(best);
    Matcher m = Pattern.compile("<td class=\"best\"[^>]*>([^<]*) ★</td>").matcher(row);
    assertTrue(m.find(), "no best cell in " + row);
    assertEquals(HtmlReport.fmt(min), m.group(1));
    assertFalse(m.find(), "two best cells in " + row);
    // the header lists every method, side by side
    for (String method : List.of("MAP (4D-Var)", "ABC-r", "Ens. 4D-Var", "VI-4D-Var")) {
      assertTrue(html.contains("<th>" + method + "</th>"), method);
    }
  }

  @Test
  void methodTableShowsConvergedAndDivergedCounts() {
    assertTrue(firstRow(html, "counts: converged").contains("<td>37</td>"));
    assertTrue(firstRow(html, "counts: diverged").contains("<td class=\"warn\">1</td>"));
  }

  @Test
  void partialRunWithOnlyAbcAndViStillGivesAReport() throws IOException {
    Path dir = Files.createDirectories(shared.resolve("partial"));
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(true);
    r.writeAbc();
    r.writeVi();
    r.writeSummary();
    // an older run: vi without its ELBO trace, abc without covariances and quantiles, a summary entry
    // for a method whose folder is gone
    Files.delete(dir.resolve("vi/elbo_trace.csv"));
    for (String f : List.of("cov_t0.csv", "cov_t11.csv", "cov_t15.csv", "q05.csv", "q25.csv")) {
      Files.delete(dir.resolve("abc").resolve(f));
    }
    String summary = Files.readString(dir.resolve("summary.json"));
    Files.writeString(dir.resolve("summary.json"), summary.replace("\"methods\": {", "\"methods\": {\n"
        + "    \"ensemble\": {\"seconds\": 1.0, \"counts\": {\"members\": 10, \"converged\": 9}},"));

    Report.build(dir);

    Set<String> figs = pngs(dir);
    assertTrue(figs.containsAll(Set.of("data.png", "mean_error.png", "std.png", "trajectory_x0.png",
        "covariance_t0.png", "opt_abc_distances.png", "rank_histograms.png")), figs.toString());
    assertFalse(figs.contains("opt_vi_elbo.png"));
    assertFalse(figs.contains("opt_ensemble_costs.png"));
    assertFalse(figs.contains("opt_map_starts.png"));
    String page = Files.readString(dir.resolve("report.html"));
    assertTrue(page.contains("Left out"));
    assertTrue(page.contains("vi/elbo_trace.csv is missing"), "note for the missing ELBO trace");
    assertTrue(page.contains("Ens. 4D-Var: no folder ensemble/"), "note for the missing folder");
    assertEquals(figs.size(), count(page, "data:image/png;base64,"));
    for (String f : figs) {
      assertNotNull(ImageIO.read(dir.resolve("figures").resolve(f).toFile()), f);
    }
  }

  @Test
  void runWithoutSummaryOrTruthStillGivesAReport() throws IOException {
    Path dir = Files.createDirectories(shared.resolve("nosummary"));
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(false);
    r.writeMethod("vi", r.problem.xb(), 0.3, 0);
    Report.build(dir);
    Set<String> figs = pngs(dir);
    assertTrue(figs.containsAll(Set.of("data.png", "std.png", "trajectory_x0.png", "covariance_t0.png")),
        figs.toString());
    assertFalse(figs.contains("mean_error.png"), "no truth, no error");
    String page = Files.readString(dir.resolve("report.html"));
    assertTrue(page.contains("no summary.json"));
    assertTrue(page.contains("the truth is not known"));
  }

  @Test
  void emptyOrBrokenDirectoriesGiveAReportWithNotes() throws IOException {
    Path empty = Files.createDirectories(shared.resolve("empty"));
    Report.build(empty);
    assertTrue(Files.readString(empty.resolve("report.html")).contains("state figures are not drawn"));
    assertEquals(Set.of(), pngs(empty));

    Path broken = Files.createDirectories(shared.resolve("broken"));
    SyntheticRun r = new SyntheticRun(broken);
    r.writeData(true);
    r.writeMethod("abc", r.truth, 0.5, 0);
    Files.writeString(broken.resolve("summary.json"), "{\"config\": {\"model\": ");
    Files.writeString(broken.resolve("abc/std.csv"), "t,x_0,x_1,x_2\n0,1,2,x\n");
    Files.writeString(broken.resolve("abc/mean.csv"), "t,x_0,x_1,x_2\n0,1,2,3\n1,4,5,6\n");
    Report.build(broken);
    String page = Files.readString(broken.resolve("report.html"));
    assertTrue(page.contains("summary.json could not be read"), "bad JSON noted");
    assertTrue(page.contains("not a number: &#39;x&#39;"), "bad number noted");
    assertTrue(page.contains("abc/mean.csv is 2 x 3, expected 16 x 16"), "bad shape noted");
    assertTrue(pngs(broken).contains("data.png"));
  }

  @Test
  void pooledCubicObservationsAreDrawnInStateUnits() throws IOException {
    Path dir = Files.createDirectories(shared.resolve("pooled"));
    SyntheticRun r = new SyntheticRun(dir, new TwinConfig(2, 16, 8.0, 0.1, 64, 16, 12, 2, Nonlinearity.CUBE,
        0.3, 1, 0.05, 0.1, 0.1, 0.2, 1.0));
    assertEquals(8, r.ny);
    r.writeData(true);
    r.writeAbc();
    r.writeSummary();
    Report.build(dir, List.of(5));
    assertTrue(pngs(dir).containsAll(Set.of("data.png", "trajectory_x5.png")));
    String page = Files.readString(dir.resolve("report.html"));
    assertTrue(page.contains("the observation of block 2 (the mean x̄ of 2 grid points"), "pooled caption");
    assertTrue(page.contains("drawn at ∛y"), "cube root caption");
    assertFalse(page.contains("Left out"), "nothing should be missing");
  }

  @Test
  void textFromFilesIsEscaped() throws IOException {
    Path dir = Files.createDirectories(shared.resolve("escape"));
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(true);
    r.writeAbc();
    r.method("abc").put("distance", "<script>alert(1)</script>");
    r.writeSummary();
    Report.build(dir);
    String page = Files.readString(dir.resolve("report.html"));
    assertFalse(page.contains("<script>"));
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  }

  @Test
  void rebuildReplacesStaleFiguresAndHonoursCoordinates() throws IOException {
    Path dir = Files.createDirectories(shared.resolve("rebuild"));
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(true);
    r.writeMethod("vi", r.truth, 0.3, 0);
    Files.createDirectories(dir.resolve("figures"));
    Files.writeString(dir.resolve("figures/opt_old.png"), "stale");
    // a coordinate outside the state is refused before anything changes (issue 10 item 13)
    org.junit.jupiter.api.Assertions.assertThrows(Report.BadRequest.class,
        () -> Report.build(dir, List.of(3, 7, 99)));
    assertEquals(Set.of("opt_old.png"), pngs(dir));
    Report.build(dir, List.of(3, 7));
    Set<String> figs = pngs(dir);
    assertFalse(figs.contains("opt_old.png"));
    assertTrue(figs.containsAll(Set.of("trajectory_x3.png", "trajectory_x7.png")));
    assertFalse(figs.contains("trajectory_x0.png"));
  }

  // ---- issue 10, items 15–21: what the report says ----

  @Test
  void abcShowsItsDistanceAndJEachNamed() {
    String cap = caption(html, "opt_abc_distances.png");
    assertTrue(cap.contains("distance Jo (observation term of J)"), cap);
    assertTrue(cap.contains("the 4D-Var cost J = Jb + Jo of each kept trial"), cap);
    // the Methods table: the objective is the distance, J of the draws its own row, from the kept trials' J
    String objective = firstRow(html, "objective");
    assertTrue(objective.contains("distance (observation) = "), objective);
    String j = firstRow(html, "4D-Var cost J");
    double medianJ = JsonReader.number(fullRun.method("abc"), "cost", "median");
    double medianD = JsonReader.number(fullRun.method("abc"), "distance_of_draws", "median");
    assertTrue(j.contains("median " + HtmlReport.fmt(medianJ)), j);
    assertFalse(j.contains(HtmlReport.fmt(medianD)), "J row shows the distance: " + j);
    assertTrue(firstRow(html, "ABC distance").contains("median " + HtmlReport.fmt(medianD)));
  }

  @Test
  void thresholdModeSaysThePosteriorIsEveryAcceptedTrial() throws IOException {
    Path dir = Files.createDirectories(shared.resolve("threshold"));
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(true);
    r.writeAbc(200.0);
    r.writeSummary();
    Report.build(dir);
    String page = Files.readString(dir.resolve("report.html"));
    String cap = caption(page, "opt_abc_distances.png");
    assertTrue(cap.contains("The posterior: all 278 accepted trials (distance &lt;= 200.0)"), cap);
    assertTrue(cap.contains("the rejection threshold abc.threshold: every trial at or below it is accepted"), cap);
    assertTrue(firstRow(page, "what the posterior is").contains("all 278 accepted trials"));
    assertTrue(firstRow(page, "counts: accepted").contains("<td>278</td>"));
    assertTrue(firstRow(page, "ABC distance").contains("threshold 200 (configured)"));
    // without a threshold the same figure names the k smallest distances instead
    assertTrue(caption(html, "opt_abc_distances.png").contains("the 100 trials of smallest distance"));
  }

  @Test
  void ensembleFigureComparesJOnlyWithJ() {
    String cap = caption(html, "opt_ensemble_costs.png");
    assertTrue(cap.contains("J^k, whose background and observations are perturbed for that member"), cap);
    assertTrue(cap.contains("so its values are not comparable with J"), cap);
    assertTrue(cap.contains(HtmlReport.esc("the unperturbed 4D-Var cost J at each member's minimum (members.csv "
        + "final_cost")), cap);
    // the reference values the right panel draws are the summary's
    RunOutput run = load(full);
    assertEquals(JsonReader.number(run.summary, "data", "cost_at_truth"), Optimisation.truthCost(run));
    assertEquals(JsonReader.number(fullRun.method("map"), "best_cost"), Optimisation.mapCost(run));
    assertEquals(Optimisation.mapCost(run) + run.nx / 2.0, Optimisation.drawCost(run), 1e-12);
  }

  @Test
  void rankHistogramsHaveFewBinsAndABinomialBand() throws IOException {
    String cap = caption(html, "rank_histograms.png");
    assertTrue(cap.contains("Binomial(N, p_b)"), cap);
    assertTrue(cap.contains("central 95 % range"), cap);
    RunOutput run = load(full);
    Object a = JsonReader.at(run.method("vi").summary, "scores", "assim", "rank_histogram");
    Object e = JsonReader.at(run.method("vi").summary, "scores", "assim", "rank_expected");
    assertEquals(20, ((List<?>) a).size(), "posterior.rank-bins default");
    RankHistograms.Drawn d = RankHistograms.drawn(a, e);
    // 12 × 16 = 192 assimilated points: 20 bins keep ≥ 5 expected per bin; the 64 forecast points are pooled
    assertEquals(192, d.points);
    assertEquals(20, d.bins());
    RankHistograms.Drawn f = RankHistograms.drawn(
        JsonReader.at(run.method("vi").summary, "scores", "forecast", "rank_histogram"),
        JsonReader.at(run.method("vi").summary, "scores", "forecast", "rank_expected"));
    assertEquals(64, f.points);
    assertEquals(10, f.bins());
    for (RankHistograms.Drawn x : List.of(d, f)) {
      assertEquals(0.0, x.lower[0]);
      assertEquals(1.0, x.upper[x.bins() - 1]);
      for (int b = 0; b < x.bins(); b++) {
        assertTrue(x.bandLo[b] < 1 && 1 < x.bandHi[b], "the band holds the calibrated density 1");
      }
    }
  }

  @Test
  void covariancePanelsEachHaveTheirOwnScale() {
    String cap = caption(html, "covariance_t0.png");
    assertTrue(cap.contains("Each covariance panel has its own symmetric colour scale"), cap);
    RunOutput run = load(full);
    // the scale of each panel is its own largest |cov|: the prior's is not the one of a narrow method
    double prior = Heatmaps.covarianceLimit(run.prior.covariances.get(0));
    double map = Heatmaps.covarianceLimit(run.method("map").covariances.get(0));
    assertTrue(prior > 10 * map, prior + " vs " + map);
    assertEquals(new Range().add(run.method("map").covariances.get(0).values()).absMax(), map);
  }

  @Test
  void meanErrorMarksTheClippedPriorOnTheColourBar() {
    String cap = caption(html, "mean_error.png");
    assertTrue(cap.contains("Prior exceeds it and is clipped to the end colours, marked by the triangles"), cap);
  }

  @Test
  void trajectoryCaptionsSayHowManySamplesAreDrawn() {
    String cap = caption(html, "trajectory_x8.png");
    assertTrue(cap.contains("and " + SyntheticRun.TRAJECTORY_SAMPLES + " sampled trajectories per panel"), cap);
    assertFalse(cap.contains("up to"), cap);
  }

  @Test
  void methodTableIsCuratedWithTheFullSummaryCollapsed() {
    int at = html.indexOf("<table class=\"methods\">");
    String table = html.substring(at, html.indexOf("</table>", at));
    int rows = count(table, "<tr><th");
    assertTrue(rows <= 22, rows + " rows");
    for (String row : List.of("posterior", "draws", "objective", "converged", "4D-Var cost J", "stop reasons",
        "seconds")) {
      assertTrue(table.contains(">" + row + "</th>"), "no row " + row);
    }
    // the VI objective with its standard error, and whether it converged
    assertTrue(firstRow(html, "objective").contains("ELBO = -61.2 ± 0.4"));
    assertTrue(firstRow(html, "stop reasons").contains("gradient-tolerance 1, max-iterations 1"));
    assertTrue(html.contains("<details><summary>Everything summary.json records per method"));
    assertTrue(html.contains("<a href=\"summary.json\">summary.json</a>"));
    assertFalse(table.contains("rank histogram"), "the raw dump is collapsed, not in the table");
  }

  /**
   * A run with mcmc (the default reference) whose chains have not mixed, a map-is whose weights have a heavy
   * tail (k̂ ≈ 1) and a vi-is with a light one (k̂ ≈ 0.3); built once, its report read back.
   */
  static final class Referenced {
    static final Path DIR;
    static final String HTML;
    static final Object SUMMARY;

    static {
      try {
        DIR = Files.createDirectories(shared.resolve("referenced"));
        SyntheticRun r = new SyntheticRun(DIR);
        r.writeData(true);
        r.writeMethod("prior", r.problem.xb(), 1.0, 0.0);
        r.writeMap();
        r.writeAbc();
        r.writeVi();
        r.writeMcmc(false);
        r.writeImportance("map-is", 1.0);
        r.writeImportance("vi-is", 0.3);
        r.writeSummary();
        Report.build(DIR);
        HTML = Files.readString(DIR.resolve("report.html"), StandardCharsets.UTF_8);
        SUMMARY = JsonReader.parse(Files.readString(DIR.resolve("summary.json"), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void referenceTableShowsTheDistancesOfSummaryJson() {
    String page = Referenced.HTML;
    String sec = section(page, "reference");
    assertTrue(sec.contains("<h2>Distance to the reference posterior: mcmc (this run)</h2>"), sec);
    assertTrue(page.contains("<a href=\"#reference\">Reference</a>"), "a link in the navigation");
    Map<String, Object> methods = JsonReader.object(Referenced.SUMMARY, "methods");
    int scored = 0;
    double lowest = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, Object> e : methods.entrySet()) {
      Map<String, Object> ref = JsonReader.object(e.getValue(), "reference");
      String label = MethodOutput.label(e.getKey());
      if (ref.isEmpty()) {
        assertEquals("mcmc", e.getKey(), "only the reference itself is not scored");
        assertFalse(sec.contains("<th>mcmc</th>") || sec.contains("<th>mcmc <"), "a row for the reference");
        continue;
      }
      assertEquals("mcmc (this run)", ref.get("reference"));
      scored++;
      List<String> cells = cells(sec, label);
      assertEquals(7, cells.size(), label + ": " + cells);
      int c = 0;
      for (String part : List.of("assim", "forecast")) {
        for (String key : List.of("mean_error", "std_ratio", "energy_distance")) {
          Double v = JsonReader.number(ref, part, key);
          assertEquals(v == null || !Double.isFinite(v) ? "—" : HtmlReport.fmt(v), cells.get(c++), label + " "
              + part + " " + key);
        }
      }
      Double n = JsonReader.number(ref, "assim", "samples");
      assertEquals(n == 0 ? "—" : SyntheticRun.TRAJECTORY_SAMPLES + " / " + SyntheticRun.TRAJECTORY_SAMPLES,
          cells.get(6), label);
      if (!e.getKey().equals("prior")) {
        lowest = Math.min(lowest, JsonReader.number(ref, "assim", "mean_error"));
      }
    }
    // the prior and every method but mcmc: map, abc, vi, map-is, vi-is
    assertEquals(6, scored);
    // the weighted corrections have no energy distance; the unweighted methods have one
    assertEquals("—", cells(sec, "map-is").get(2));
    assertTrue(Double.isFinite(JsonReader.number(methods, "map", "reference", "assim", "energy_distance")));
    // the lowest assimilated mean error among the methods is starred, and only it
    for (Map.Entry<String, Object> e : methods.entrySet()) {
      Double v = JsonReader.number(e.getValue(), "reference", "assim", "mean_error");
      if (v != null && !e.getKey().equals("prior")) {
        String cell = starredCells(sec, MethodOutput.label(e.getKey())).get(0);
        assertEquals(v == lowest, cell.endsWith(" ★"), e.getKey() + ": " + cell);
      }
    }
    String caption = sec.substring(sec.indexOf("<p class=\"hint\">"));
    for (String words : List.of("0 when the posterior means agree", "1 when the posterior is as wide",
        "0 when they are the same", "slightly negative", "noisy")) {
      assertTrue(caption.contains(words), words);
    }
    // mcmc, the reference, has warnings: said in the caption
    assertTrue(caption.contains("it has warnings"), caption);
  }

  @Test
  void warningsOfTheRunAreListedNearTheTopWithTheirFiguresInTheMethodsTable() {
    String page = Referenced.HTML;
    Map<String, Object> mcmc = JsonReader.object(Referenced.SUMMARY, "methods", "mcmc");
    Map<String, Object> mapIs = JsonReader.object(Referenced.SUMMARY, "methods", "map-is");
    Map<String, Object> viIs = JsonReader.object(Referenced.SUMMARY, "methods", "vi-is");
    // the fixture is what it says: unmixed chains, a heavy and a light tail
    assertTrue(JsonReader.number(mcmc, "max_rhat") > Convergence.RHAT_WARN, mcmc.toString());
    assertEquals("unreliable", mapIs.get("reliability"));
    assertEquals("good", viIs.get("reliability"));
    assertTrue(((List<?>) viIs.get("warnings")).isEmpty());

    String box = section(page, "warnings");
    assertTrue(page.indexOf("<section id=\"warnings\"") < page.indexOf("<section id=\"settings\""),
        "before the settings");
    List<Object> all = new java.util.ArrayList<>((List<?>) mcmc.get("warnings"));
    all.addAll((List<?>) mapIs.get("warnings"));
    assertFalse(all.isEmpty());
    for (Object w : all) {
      assertTrue(box.contains(HtmlReport.esc((String) w)), w + " not in " + box);
    }
    assertEquals(all.size(), count(box, "<li>"), box);
    assertTrue(box.contains("<li><b>map-is</b>: Pareto k-hat "), box);
    assertTrue(box.contains("<li><b>mcmc</b>: x0: max R-hat "), box);
    assertFalse(box.contains("vi-is"), "no warning for a good k-hat");

    // the figures, in the Methods table: a warning cell for the bad ones
    String k = firstRow(page, "Pareto k̂");
    assertTrue(k.contains("<td class=\"warn\">" + HtmlReport.fmt(JsonReader.number(mapIs, "pareto_k"))
        + "<span class=\"why\">unreliable (k̂ &gt; " + HtmlReport.fmt(JsonReader.number(mapIs, "pareto_k_threshold"))
        + ")"), k);
    assertTrue(k.contains("<td>" + HtmlReport.fmt(JsonReader.number(viIs, "pareto_k"))
        + "<span class=\"why\">good (k̂ ≤ 0.5)"), k);
    String r = firstRow(page, "max R̂");
    assertTrue(r.contains("<td class=\"warn\">" + String.format(Locale.ROOT, "%.4f",
        JsonReader.number(mcmc, "max_rhat")) + "</td>"), r);
    assertTrue(firstRow(page, "min ESS (bulk / tail)").contains("<span class=\"why\">of 1000 draws</span>"));
    // and a mark on the methods with warnings in the reference table
    assertTrue(section(page, "reference").contains("<th>map-is <a href=\"#warnings\" class=\"warnmark\""));
  }

  @Test
  void aGivenReferenceIsNamedAndAConvergedRunHasNoWarnings() throws IOException {
    Path dir = Files.createDirectories(shared.resolve("given-reference"));
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(true);
    r.writeMethod("prior", r.problem.xb(), 1.0, 0.0);
    r.writeMap();
    TrajectorySummary mc = r.writeMcmc(true);
    r.writeSummary(ReferenceScore.Trajectories.of(mc, false), "out/ref/<mcmc>");
    Report.build(dir);
    String page = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    String sec = section(page, "reference");
    assertTrue(sec.contains("<h2>Distance to the reference posterior: out/ref/&lt;mcmc&gt;</h2>"), sec);
    // a given reference scores this run's mcmc too: against itself, exactly 0 and 1
    List<String> own = cells(sec, "mcmc");
    assertEquals(List.of("0", "1"), own.subList(0, 2), own.toString());
    assertFalse(page.contains("id=\"warnings\""), "a mixed run with ESS above 400 has no warnings");
    assertTrue(firstRow(page, "max R̂").matches(".*<td>1\\.00\\d\\d</td>.*"), firstRow(page, "max R̂"));
  }

  @Test
  void runWithoutReferenceShowsNoReferenceTableNorWarnings() {
    assertTrue(JsonReader.object(fullRun.method("map"), "reference").isEmpty(), "no mcmc, no --reference");
    assertFalse(html.contains("Distance to the reference posterior"));
    assertFalse(html.contains("id=\"reference\""));
    assertFalse(html.contains("#reference"));
    assertFalse(html.contains("id=\"warnings\""));
  }

  /** The {@code <section id="...">} of a page. */
  static String section(String page, String id) {
    int at = page.indexOf("<section id=\"" + id + "\"");
    assertTrue(at >= 0, "no section " + id);
    return page.substring(at, page.indexOf("</section>", at));
  }

  /** The cell texts of the row of {@code label} (its header cell may carry a warning mark), without the ★. */
  static List<String> cells(String table, String label) {
    List<String> out = starredCells(table, label);
    out.replaceAll(c -> c.replace(" ★", ""));
    return out;
  }

  /** As {@link #cells}, with the ★ of the best. */
  static List<String> starredCells(String table, String label) {
    Matcher m = Pattern.compile("<tr><th(?: [^>]*)?>" + Pattern.quote(label) + "(?: <a [^>]*>⚠</a>)?</th>")
        .matcher(table);
    assertTrue(m.find(), "no row " + label);
    String row = table.substring(m.end(), table.indexOf("</tr>", m.end()));
    List<String> out = new java.util.ArrayList<>();
    Matcher c = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(row);
    while (c.find()) {
      out.add(c.group(1));
    }
    return out;
  }

  private static RunOutput load(Path dir) {
    try {
      return RunOutput.load(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The caption of a figure in a page. */
  static String caption(String page, String file) {
    int end = page.indexOf("<span class=\"file\">figures/" + file + "</span>");
    assertTrue(end > 0, file + " has no caption");
    int start = page.lastIndexOf("<figcaption>", end);
    return page.substring(start, end);
  }

  static Set<String> pngs(Path dir) throws IOException {
    Path f = dir.resolve("figures");
    if (!Files.isDirectory(f)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.list(f)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The width and height attributes report.html gives the figure. */
  private static int[] declaredSize(String file) {
    int at = html.indexOf("<span class=\"file\">figures/" + file + "</span>");
    assertTrue(at > 0, file + " has no caption");
    int img = html.lastIndexOf("<img ", at);
    Matcher m = Pattern.compile("width=\"(\\d+)\" height=\"(\\d+)\"").matcher(html.substring(img, at));
    assertTrue(m.find(), file);
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  private static boolean blank(BufferedImage img) {
    int first = img.getRGB(0, 0);
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        if (img.getRGB(x, y) != first) {
          return false;
        }
      }
    }
    return true;
  }

  /** The first table row whose header cell is {@code header} (the cell may have attributes, e.g. a title). */
  static String firstRow(String page, String header) {
    Matcher m = Pattern.compile("<tr><th(?: [^>]*)?>" + Pattern.quote(header) + "</th>").matcher(page);
    assertTrue(m.find(), "no row " + header);
    int at = m.start();
    return page.substring(at, page.indexOf("</tr>", at));
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
