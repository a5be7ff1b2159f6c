package org.vi4dvar.kernels.experiment;

/** Where an experiment reports what it is doing: one line per stage and method (the driver prints them). */
@FunctionalInterface
public interface ExperimentListener {

  /** One progress line, e.g. {@code map: 8 starts in 0.31 s, 3 distinct minima, best J 49.2}. */
  void line(String message);

  /** Discards everything. */
  ExperimentListener NONE = m -> { };
}
