/**
 * Gradient-based minimisers on flat {@code double[]}: {@link org.vi4dvar.kernels.optim.Lbfgs} (limited-memory
 * BFGS with a strong-Wolfe line search, for 4D-Var MAP and ensemble members) and
 * {@link org.vi4dvar.kernels.optim.Adam} (for the stochastic VI-4D-Var objective). Both implement
 * {@link org.vi4dvar.kernels.optim.Minimizer} over a {@link org.vi4dvar.kernels.optim.DifferentiableFunction},
 * minimise in place, report an {@link org.vi4dvar.kernels.optim.OptimResult} with its
 * {@link org.vi4dvar.kernels.optim.StopReason}, and never leave a non-finite iterate: a non-finite function value
 * or gradient is backtracked from (L-BFGS) or stops the run at the last finite iterate ({@code DIVERGED}).
 *
 * <p>Configurations ({@link org.vi4dvar.kernels.optim.LbfgsConfig}, {@link org.vi4dvar.kernels.optim.AdamConfig})
 * and results are plain final classes, not records: Spark's Kryo 4 {@code FieldSerializer} cannot set the
 * fields of a Java record, and these objects travel in broadcasts and task results.
 */
package org.vi4dvar.kernels.optim;
