package org.vi4dvar.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Progress lines count whole units as integers ("16 of 32 units", "0 of 1 matrices"), large counts compactly. */
class JobProgressCountTest {

  @Test
  void wholeCountsAreIntegersAndLargeOnesCompact() {
    assertEquals("0", JobProgress.count(0));
    assertEquals("1", JobProgress.count(1));
    assertEquals("32768", JobProgress.count(32768));
    assertEquals("999999", JobProgress.count(999_999));
    assertEquals("1.00e+06", JobProgress.count(1e6));
    assertEquals("1.00e+09", JobProgress.count(1e9));
    assertEquals("2.50", JobProgress.count(2.5));
  }
}
