package org.vi4dvar.kernels.experiment;

import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * What every task of an experiment reads: the problem, the true trajectory (scores only; never seen by an
 * estimator; may be null) and the settings, and, when known, the rest of the truth's control: the model errors
 * η_t it drew and its model parameters ({@link #withControlTruth}), so that J can be evaluated at the true control
 * ({@link #truthControl}). Shared once per executor (a broadcast on Spark). Immutable; a plain final class (Kryo).
 */
public final class ExperimentInputs implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private final FourDVarProblem problem;
  private final double[] truth;
  private final ExperimentSettings settings;
  private final double[] modelErrorTruth;
  private final double[] parameterTruth;

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
    this.modelErrorTruth = null;
    this.parameterTruth = null;
  }

  private ExperimentInputs(ExperimentInputs in, double[] modelErrorTruth, double[] parameterTruth) {
    this.problem = in.problem;
    this.truth = in.truth;
    this.settings = in.settings;
    this.modelErrorTruth = modelErrorTruth;
    this.parameterTruth = parameterTruth;
  }

  /**
   * The same inputs with the rest of the truth's control: the model errors the truth drew and its model
   * parameters (each may be null: unknown). Only with a truth; not copied, never modified.
   *
   * @param modelError {@code η[t·nx + i]}, {@code t < nAssim − 1} (the full layout, whatever the problem's q)
   * @param parameters the truth's value of every model parameter, by model parameter index
   *     ({@code ModelSpec.parameterNames()} order)
   * @throws IllegalArgumentException for a wrong length, a non-finite value, or no truth
   */
  public ExperimentInputs withControlTruth(double[] modelError, double[] parameters) {
    if ((modelError != null || parameters != null) && truth == null) {
      throw new IllegalArgumentException("the truth's model errors or parameters need the true trajectory");
    }
    final int nx = problem.nx();
    if (modelError != null) {
      int len = Math.max(0, problem.nAssim() - 1) * nx;
      if (modelError.length != len) {
        throw new IllegalArgumentException("the true model errors must have (nAssim − 1) × nx = " + len
            + " values, got " + modelError.length);
      }
      requireFinite(modelError, "true model error");
    }
    if (parameters != null) {
      int len = problem.model().parameterNames().length;
      if (parameters.length != len) {
        throw new IllegalArgumentException("the true model parameters must have " + len + " values ("
            + String.join(", ", problem.model().parameterNames()) + "), got " + parameters.length);
      }
      requireFinite(parameters, "true model parameter");
    }
    return new ExperimentInputs(this, modelError, parameters);
  }

  private static void requireFinite(double[] a, String what) {
    for (int k = 0; k < a.length; k++) {
      if (!Double.isFinite(a[k])) {
        throw new IllegalArgumentException(what + " [" + k + "] is not finite: " + a[k]);
      }
    }
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

  /** The model errors the truth drew, {@code (nAssim − 1) × nx} (a view: do not modify), or null when unknown. */
  public double[] modelErrorTruth() {
    return modelErrorTruth;
  }

  /** The truth's model parameters by model parameter index (a view: do not modify), or null when unknown. */
  public double[] parameterTruth() {
    return parameterTruth;
  }

  /**
   * The true control c = (x0, η, p) in the problem's layout (new array), or null without a truth: x0 the truth's
   * first state; the η slots from {@link #modelErrorTruth} (0, their prior mean, when it is unknown; components with
   * q = 0 are not in the control); the estimated parameters from {@link #parameterTruth} (their prior mean when
   * unknown).
   */
  public double[] truthControl() {
    if (truth == null) {
      return null;
    }
    var cs = problem.control();
    double[] c = cs.centerVector();
    System.arraycopy(truth, 0, c, 0, problem.nx());
    if (modelErrorTruth != null) {
      cs.setModelErrors(modelErrorTruth, c);
    }
    if (parameterTruth != null) {
      for (int k = 0; k < cs.nParameters(); k++) {
        c[cs.parameterOffset() + k] = parameterTruth[cs.parameterModelIndex(k)];
      }
    }
    return c;
  }

  /** What {@link #truthControl} holds beyond x0, in words (null when the control is x0 alone or no truth). */
  public String truthControlSource() {
    if (truth == null || problem.dimension() == problem.nx()) {
      return null;
    }
    StringBuilder b = new StringBuilder("x0 of the truth");
    if (problem.weakConstraint()) {
      b.append(modelErrorTruth != null ? ", the model errors η_t it drew" : ", η = 0 (the true model errors are not "
          + "known)");
    }
    for (String name : problem.estimatedParameters()) {
      b.append(parameterTruth != null ? ", its " + name : ", " + name + " at its prior mean (the true value is not "
          + "known)");
    }
    return b.toString();
  }

  /** The settings. */
  public ExperimentSettings settings() {
    return settings;
  }
}
