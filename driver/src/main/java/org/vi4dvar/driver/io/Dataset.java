package org.vi4dvar.driver.io;

import java.util.List;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * A dataset: the 4D-Var problem an estimator sees and, when known, the truth used for scores only.
 *
 * @param problem observations, background and model
 * @param truth the true trajectory {@code truth[t*nx + i]}, {@code t < nStates}, or null when not known
 * @param modelErrorTruth the model errors the truth drew, {@code (assimilated − 1) × nx}, or null when not known
 *     ({@link DatasetFiles#MODEL_ERROR_TRUTH})
 * @param parameterTruth the truth's model parameters in the model's order, or null when not known
 *     ({@link DatasetFiles#PARAMETERS_TRUTH})
 * @param source where it came from (a directory, or {@code twin seed=...})
 */
public record Dataset(FourDVarProblem problem, double[] truth, double[] modelErrorTruth, double[] parameterTruth,
    String source) {

  /** The experiment's inputs of this dataset under the settings {@code s} (the truth's whole control with it). */
  public ExperimentInputs inputs(ExperimentSettings s) {
    return new ExperimentInputs(problem, truth, s).withControlTruth(modelErrorTruth, parameterTruth);
  }

  /** Whether the truth is known. */
  public boolean hasTruth() {
    return truth != null;
  }

  /**
   * Generates the twin experiment of the configuration (the kernel's {@link TwinExperiment}).
   *
   * @throws BadInputException if the configuration gives a twin that cannot be used: a truth that blows up,
   *     observations without spread, no observation at all, or a prior whose typical draws diverge
   */
  public static Dataset twin(ExperimentSettings s) {
    Twin tw;
    try {
      tw = TwinExperiment.generate(s.toTwinConfig());
    } catch (IllegalArgumentException e) {
      throw new BadInputException("twin experiment of this configuration: " + e.getMessage() + " (" + truthKeys(s)
          + ")", e);
    }
    for (double v : tw.truth()) {
      if (!Double.isFinite(v)) {
        throw new BadInputException("twin experiment: the true trajectory is not finite (" + truthKeys(s)
            + ", twin.spinup = " + s.twin().spinup() + "): RK4 is unstable for this step; lower model.dt");
      }
    }
    if (tw.problem().nObs() == 0) {
      throw new BadInputException("twin experiment has no observation (window.assimilated = "
          + s.window().assimilated() + ", obs.time-stride = " + s.obs().timeStride() + ", obs.drop = "
          + s.obs().drop() + "; state t = 0 is never observed): raise window.assimilated or lower obs.drop");
    }
    FourDVarProblem p = tw.problem();
    DatasetReader.checkPriorDraws(p, "twin experiment: config key 'background.noise' = ["
        + s.background().noise().min() + ", " + s.background().noise().max() + "]", "background standard "
        + "deviations it gives");
    DatasetReader.checkPriorDraws(p, p.nx(), p.control().parameterOffset(), "twin experiment: config key "
        + "'model.error-std'", "model-error standard deviations");
    return new Dataset(DatasetReader.checkParameterPrior(s, s.model().withEstimatedParameters(p)), tw.truth(),
        tw.modelError(), tw.parameters(), "twin seed=" + s.seed());
  }

  /**
   * The keys that make the twin's true trajectory, for a message when it cannot be made: the forcing it uses
   * ({@code twin.forcing} when set), the step and the model error when there is one.
   */
  private static String truthKeys(ExperimentSettings s) {
    String f = s.twin().forcing() != null ? "twin.forcing = " + s.twin().forcing() + " (the truth's forcing)"
        : "model.forcing = " + s.model().forcing();
    List<Double> q = s.model().errorStd();
    return f + ", model.dt = " + s.model().dt() + (s.model().hasModelError() ? ", model.error-std = "
        + (q.size() == 1 ? q.get(0).toString() : q.toString()) + " (the truth's model error)" : "");
  }
}
