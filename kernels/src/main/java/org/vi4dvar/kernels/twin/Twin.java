package org.vi4dvar.kernels.twin;

import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * A generated twin experiment: the 4D-Var problem and the truth it was drawn from.
 *
 * @param problem the problem an estimator sees (observations, background, model)
 * @param truth the true trajectory, {@code truth[t*nx + i]} for {@code t < nStates}
 * @param modelError the model errors the truth drew, {@code η[t*nx + i]} for {@code t < nAssim − 1}
 *     ({@code truth_{t+1} = M(truth_t) + η_t}), or null when the twin has none
 * @param parameters the truth's model parameters by model parameter index ({@code {F_true}} for Lorenz96; null:
 *     unknown)
 */
public record Twin(FourDVarProblem problem, double[] truth, double[] modelError, double[] parameters) {

  /** A twin without model error whose truth's parameters are not recorded. */
  public Twin(FourDVarProblem problem, double[] truth) {
    this(problem, truth, null, null);
  }
}
