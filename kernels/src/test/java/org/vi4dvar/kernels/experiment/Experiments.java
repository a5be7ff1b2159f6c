package org.vi4dvar.kernels.experiment;

/** Test access to an {@link Experiment} (its constructor is the runner's): one method's stage in isolation. */
public final class Experiments {

  private Experiments() {
  }

  /** An experiment on {@code inputs} without the runner's earlier stages; close {@code shared} after use. */
  public static Experiment of(ExperimentInputs inputs, Shared<ExperimentInputs> shared, Parallel parallel,
      ExperimentListener listener) {
    return new Experiment(inputs, shared, parallel, listener, null);
  }
}
