package org.vi4dvar.kernels.twin;

import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * A generated twin experiment: the 4D-Var problem and the truth it was drawn from.
 *
 * @param problem the problem an estimator sees (observations, background, model)
 * @param truth the true trajectory, {@code truth[t*nx + i]} for {@code t < nStates}
 */
public record Twin(FourDVarProblem problem, double[] truth) {
}
