package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Methods the report does not know (as later issues add: mcmc, map-is, vi-is), written through the run's writer:
 * each gets a colour and a label, appears in every per-method figure and in the tables; one that ran without a
 * posterior shows why.
 */
class GenericMethodsReportTest {

  @TempDir
  static Path dir;
  static String html;
  static RunOutput out;
  static List<Figure> figures;

  static final String REASON = "the importance weights degenerated (ESS 1.0 of 1000)";

  @BeforeAll
  static void build() throws IOException {
    SyntheticRun r = new SyntheticRun(dir);
    r.writeData(true);
    r.writeMethod("prior", r.problem.xb(), 1.0, 0.0);
    r.writeMap();
    r.writeAbc();
    r.writeOther("mcmc");
    r.writeOther("map-is");
    r.writeUnavailable("vi-is", REASON);
    r.writeSummary();
    Report.build(dir);
    html = Files.readString(dir.resolve("report.html"));
    out = RunOutput.load(dir);
    figures = Report.figures(out, List.of());
  }

  @Test
  void unknownMethodsAreReadInTheRunsOrderWithTheirOwnColours() {
    assertEquals(List.of("map", "abc", "mcmc", "map-is", "vi-is"),
        out.methods.stream().map(m -> m.name).toList());
    MethodOutput mcmc = out.method("mcmc");
    MethodOutput mapIs = out.method("map-is");
    assertEquals("mcmc", mcmc.label());
    assertEquals(Style.other(0), mcmc.colour);
    assertEquals(Style.other(1), mapIs.colour);
    assertNotEquals(mcmc.colour, mapIs.colour);
    for (String known : List.of("prior", "map", "abc", "ensemble", "vi")) {
      assertNotEquals(Style.method(known), mcmc.colour, known);
      assertNotEquals(Style.method(known), mapIs.colour, known);
    }
  }

  @Test
  void unknownMethodsAppearInEveryPerMethodFigure() {
    int perMethod = 0;
    for (Figure f : figures) {
      if (f.panels().isEmpty()) {
        continue;
      }
      perMethod++;
      assertTrue(f.panels().containsAll(List.of("mcmc", "map-is")), f.file() + ": " + f.panels());
      assertFalse(f.panels().contains("vi-is"), f.file() + " draws a method without a posterior");
    }
    // mean error, std, 3 trajectories, 3 covariances, rank histograms
    assertEquals(9, perMethod);
  }

  @Test
  void unknownMethodsAppearInTheTables() {
    assertTrue(html.contains("<th>mcmc</th>") && html.contains("<th>map-is</th>"));
    String objective = ReportTest.firstRow(html, "objective");
    assertTrue(objective.contains("J = 48.5 ± 0.7"), objective);
    assertTrue(ReportTest.firstRow(html, "counts: chains").contains("<td>4</td>"));
    // the scores table has a column for each method with scores
    int at = html.indexOf("<table class=\"scores\">");
    String scores = html.substring(at, html.indexOf("</thead>", at));
    assertTrue(scores.contains("<th>mcmc</th>") && scores.contains("<th>map-is</th>"), scores);
  }

  @Test
  void aMethodWithoutAPosteriorSaysWhy() {
    String row = ReportTest.firstRow(html, "posterior");
    assertTrue(row.contains("<td class=\"warn text\">unavailable<span class=\"why\">"
        + HtmlReport.esc(REASON) + "</span></td>"), row);
    assertTrue(html.contains("vi-is has no posterior (" + HtmlReport.esc(REASON) + ")"), "a note");
    assertTrue(ReportTest.firstRow(html, "counts: diverged").contains("<td class=\"warn\">2</td>"));
    Map<String, Object> s = out.method("vi-is").summary;
    assertEquals(Boolean.FALSE, s.get("available"));
  }
}
