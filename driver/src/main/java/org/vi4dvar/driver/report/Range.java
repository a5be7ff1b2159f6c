package org.vi4dvar.driver.report;

/** A running finite min/max. */
final class Range {
  double lo = Double.POSITIVE_INFINITY;
  double hi = Double.NEGATIVE_INFINITY;

  Range add(double v) {
    if (Double.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return this;
  }

  Range add(double[] vs) {
    for (double v : vs) {
      add(v);
    }
    return this;
  }

  boolean any() {
    return lo <= hi;
  }

  double absMax() {
    return any() ? Math.max(Math.abs(lo), Math.abs(hi)) : 0;
  }
}
