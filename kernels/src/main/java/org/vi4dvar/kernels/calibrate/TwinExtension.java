package org.vi4dvar.kernels.calibrate;

import java.util.List;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.ExperimentResult;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.Parallel;
import org.vi4dvar.kernels.experiment.Shared;

/**
 * Posteriors of one's own, added to every twin after the registered methods ran (e.g. a test's deliberately
 * miscalibrated variant of a method, to show that calibrate detects it). Runs inside the twin's task, so it must
 * be a pure function of its arguments and serializable.
 */
@FunctionalInterface
public interface TwinExtension extends java.io.Serializable {

  /**
   * The extra methods of one twin, each with its statistics ({@code ExperimentRunner.summarise}).
   *
   * @param inputs the twin's inputs (problem, truth, settings), shared
   * @param result what the registered methods found
   * @param parallel where the twin's tasks run (this thread)
   */
  List<MethodResult> methods(Shared<ExperimentInputs> inputs, ExperimentResult result, Parallel parallel);
}
