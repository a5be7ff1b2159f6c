package org.vi4dvar.kernels.experiment;

import java.util.Locale;

/** Durations for progress lines: 42 s, 3 min 07 s, 5 h 12 min, 12 days, 4.7 years. */
public final class Durations {

  private Durations() {
  }

  /** {@code s} seconds, rounded to what a reader needs. */
  public static String of(double s) {
    if (!Double.isFinite(s)) {
      return "unknown";
    }
    if (s < 60) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    if (s < 3600) {
      long m = (long) (s / 60);
      return String.format(Locale.ROOT, "%d min %02.0f s", m, s - 60 * m);
    }
    if (s < 86400 * 2) {
      long h = (long) (s / 3600);
      return String.format(Locale.ROOT, "%d h %02d min", h, (long) ((s - 3600 * h) / 60));
    }
    double days = s / 86400;
    return days < 3650 ? String.format(Locale.ROOT, "%.0f days", days)
        : String.format(Locale.ROOT, "%.3g years", days / 365.25);
  }
}
