package org.vi4dvar.kernels.experiment;

import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * What every task of an experiment reads: the problem, the true trajectory (scores only; never seen by an
 * estimator; may be null) and the settings. Shared once per executor (a broadcast on Spark). Immutable; a plain
 * final class (Kryo).
 */
public final class ExperimentInputs implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private final FourDVarProblem problem;
  private final double[] truth;
  private final ExperimentSettings settings;

  /**
   * @param problem the 4D-Var problem
   * @param truth the true trajectory {@code truth[t*nx+i]} over the whole window, or null (not copied, never
   *     modified)
   * @param settings the validated configuration
   */
  public ExperimentInputs(FourDVarProblem problem, double[] truth, ExperimentSettings settings) {
    if (truth != null && truth.length != problem.nStates() * problem.nx()) {
      throw new IllegalArgumentException("truth must have " + problem.nStates() + " × " + problem.nx()
          + " values, got " + truth.length);
    }
    if (settings.model().nx() != problem.nx() || settings.window().states() != problem.nStates()
        || settings.window().assimilated() != problem.nAssim()) {
      throw new IllegalArgumentException("the settings (nx " + settings.model().nx() + ", " + settings.window().states()
          + " states, " + settings.window().assimilated() + " assimilated) do not describe the problem (nx "
          + problem.nx() + ", " + problem.nStates() + " states, " + problem.nAssim() + " assimilated)");
    }
    this.problem = problem;
    this.truth = truth;
    this.settings = settings;
  }

  /** The problem. */
  public FourDVarProblem problem() {
    return problem;
  }

  /** Whether the truth is known. */
  public boolean hasTruth() {
    return truth != null;
  }

  /** The true trajectory (a view: do not modify), or null. */
  public double[] truth() {
    return truth;
  }

  /** The true x0 (a copy), or null. */
  public double[] truthX0() {
    return truth == null ? null : java.util.Arrays.copyOf(truth, problem.nx());
  }

  /** The settings. */
  public ExperimentSettings settings() {
    return settings;
  }
}
