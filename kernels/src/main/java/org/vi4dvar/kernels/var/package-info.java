/**
 * 4D-Var problems and their costs: {@link org.vi4dvar.kernels.var.FourDVarProblem} (model, observations and the
 * prior of the control), {@link org.vi4dvar.kernels.var.ControlSpace} (the control c = (x0, η, p) and its
 * block-diagonal S: strong or weak constraint, estimated model parameters), the background covariance as an
 * operator ({@link org.vi4dvar.kernels.var.ControlTransform}: {@link org.vi4dvar.kernels.var.DiagonalTransform},
 * {@link org.vi4dvar.kernels.var.DenseTransform} with {@link org.vi4dvar.kernels.var.CorrelationModel}),
 * {@link org.vi4dvar.kernels.var.FourDVarCost} (J, its adjoint gradient over the whole control, the window's
 * tangent and adjoint, the batched strong-constraint cost) and
 * {@link org.vi4dvar.kernels.var.WhitenedObjective} (J in the whitened variable v).
 */
package org.vi4dvar.kernels.var;
