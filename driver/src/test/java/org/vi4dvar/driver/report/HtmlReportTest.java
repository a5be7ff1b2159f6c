package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlReportTest {

  private static HtmlReport.ScoreRow row(String key) {
    return HtmlReport.SCORES.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
  }

  @Test
  void bestHasTheRightSensePerScore() {
    assertArrayEquals(new boolean[] {false, true, false},
        HtmlReport.best(new Double[] {0.5, 0.2, null}, row("rmse")));
    // spread/skill: closest to 1, from either side
    assertArrayEquals(new boolean[] {false, true}, HtmlReport.best(new Double[] {0.5, 1.3}, row("spread_skill")));
    // coverage: closest to the nominal level, over- or under-covering
    assertArrayEquals(new boolean[] {true, false}, HtmlReport.best(new Double[] {0.85, 0.97}, row("coverage90")));
    assertArrayEquals(new boolean[] {false, true}, HtmlReport.best(new Double[] {0.2, 0.6}, row("coverage50")));
    // ties are all marked; spread is not ranked; one value alone is not "best"
    assertArrayEquals(new boolean[] {true, true}, HtmlReport.best(new Double[] {0.3, 0.3}, row("crps")));
    assertArrayEquals(new boolean[] {false, false}, HtmlReport.best(new Double[] {0.3, 0.1}, row("spread")));
    assertArrayEquals(new boolean[] {false, false}, HtmlReport.best(new Double[] {0.3, null}, row("crps")));
  }

  @Test
  void escapesMarkup() {
    assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", HtmlReport.esc("<a href=\"x\">&'"));
  }

  @Test
  void formatsNumbersCompactly() {
    assertEquals("12", HtmlReport.fmt(12.0));
    assertEquals("0.1235", HtmlReport.fmt(0.123456));
    assertEquals("1235", HtmlReport.fmt(1234.5));
    // 10⁴ … 10⁵: no decimals beyond the four significant digits
    assertEquals("64967", HtmlReport.fmt(64967.4951));
    assertEquals("-11464", HtmlReport.fmt(-11464.0897));
    assertEquals("18", HtmlReport.fmtErr(17.93));
    assertEquals("0.17", HtmlReport.fmtErr(0.17346652644409552));
    assertEquals("1.23e-5", HtmlReport.fmt(1.234e-5));
    assertEquals("47.9 %", HtmlReport.pct(0.479));
  }
}
