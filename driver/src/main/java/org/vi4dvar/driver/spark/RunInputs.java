package org.vi4dvar.driver.spark;

import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * What every task of a run reads: the problem, the truth (scores only; may be null) and the settings. Shipped
 * once per executor as a Spark broadcast, serialized by Kryo: this class and the kernel's problem classes by
 * Kryo's field serializer, the settings records by Java serialization (see {@link Vi4dvarKryoRegistrator}).
 * Immutable; a plain final class rather than a record because Kryo 4 cannot build records.
 */
public final class RunInputs {

  private final FourDVarProblem problem;
  private final double[] truth;
  private final Vi4dvarSettings settings;

  /**
   * @param problem the 4D-Var problem
   * @param truth the true trajectory {@code truth[t*nx+i]}, or null; not copied, never modified
   * @param settings the validated configuration
   */
  public RunInputs(FourDVarProblem problem, double[] truth, Vi4dvarSettings settings) {
    if (truth != null && truth.length != problem.nStates() * problem.nx()) {
      throw new IllegalArgumentException("truth must have " + problem.nStates() + " × " + problem.nx()
          + " values, got " + truth.length);
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

  /** The true x0 (a copy), or null. */
  public double[] truthX0() {
    return truth == null ? null : java.util.Arrays.copyOf(truth, problem.nx());
  }

  /** The true trajectory (a view: do not modify), or null. */
  public double[] truth() {
    return truth;
  }

  /** The settings. */
  public Vi4dvarSettings settings() {
    return settings;
  }
}
