package org.vi4dvar.driver.report;

import java.awt.image.BufferedImage;

/**
 * One figure of the report.
 *
 * @param file file name under {@code figures/} ({@code mean_error.png})
 * @param section the report section it belongs to
 * @param title short title (the image's alt text)
 * @param caption one-line caption (plain text; escaped when written)
 * @param image the rendered image
 * @param panels the methods drawn, by label, in order (for a figure with a panel per method; empty otherwise)
 */
record Figure(String file, Section section, String title, String caption, BufferedImage image,
    java.util.List<String> panels) {

  Figure {
    panels = java.util.List.copyOf(panels);
  }

  /** A figure without per-method panels. */
  Figure(String file, Section section, String title, String caption, BufferedImage image) {
    this(file, section, title, caption, image, java.util.List.of());
  }

  /** The labels of {@code methods}, for {@link #panels}. */
  static java.util.List<String> labels(java.util.List<MethodOutput> methods) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (MethodOutput m : methods) {
      out.add(m.label());
    }
    return out;
  }

  /** Report sections, in page order. */
  enum Section {
    DATA("Data"),
    POSTERIOR("Posterior mean error and spread"),
    TRAJECTORIES("Trajectories"),
    COVARIANCE("Posterior covariances"),
    OPTIMISATION("Optimisation"),
    CALIBRATION("Calibration");

    final String heading;

    Section(String heading) {
      this.heading = heading;
    }

    /** HTML anchor id. */
    String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
