package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.twin.TwinConfig;

/**
 * Not a check: writes synthetic runs and their reports under {@code -Dreport.preview=DIR} to look at (images,
 * browser screenshot): {@code DIR} the full run, {@code DIR/threshold} ABC in threshold mode with methods the
 * report does not know and one without a posterior, {@code DIR/large} a state larger than the figures show.
 * Skipped unless the property is set.
 */
class ReportPreviewTest {

  @Test
  @EnabledIfSystemProperty(named = "report.preview", matches = ".+")
  void writesPreview() throws Exception {
    Path dir = Path.of(System.getProperty("report.preview"));
    Files.createDirectories(dir);
    SyntheticRun.full(dir);
    Report.build(dir);
    assertTrue(Files.isRegularFile(dir.resolve("report.html")));

    Path other = Files.createDirectories(dir.resolve("threshold"));
    SyntheticRun r = new SyntheticRun(other);
    r.writeData(true);
    r.writeMethod("prior", r.problem.xb(), 1.0, 0.0);
    r.writeMap();
    r.writeAbc(200.0);
    r.writeOther("mcmc");
    r.writeUnavailable("vi-is", "the importance weights degenerated (ESS 1.0 of 1000)");
    r.writeSummary();
    Report.build(other);

    Path large = Files.createDirectories(dir.resolve("large"));
    SyntheticRun l = new SyntheticRun(large, new TwinConfig(3, 200, 8.0, 0.1, 64, 16, 12, 4, Nonlinearity.SQUARE,
        0.5, 1, 0.05, 0.1, 0.1, 0.2, 1.0));
    l.writeData(true);
    l.writeMethod("prior", l.problem.xb(), 1.0, 0.0);
    l.writeAbc();
    l.writeVi();
    l.writeSummary();
    Report.build(large);
  }
}
