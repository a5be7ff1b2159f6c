package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a check: writes the synthetic full run and its report to {@code -Dreport.preview=DIR} to look at (images,
 * browser screenshot). Skipped unless the property is set.
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
  }
}
