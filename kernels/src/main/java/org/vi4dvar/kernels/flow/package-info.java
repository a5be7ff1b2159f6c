/**
 * Normalizing flows for VI-4D-Var (issue 14): {@link org.vi4dvar.kernels.flow.CouplingFlow} (affine coupling
 * layers of RealNVP followed by an affine layer, with explicit inverse, exact log-determinant and hand-written
 * reverse mode), {@link org.vi4dvar.kernels.flow.AffineMap} (the fixed map {@code v = μ0 + P w}) and
 * {@link org.vi4dvar.kernels.flow.FlowPosterior}, the flow as a {@link org.vi4dvar.kernels.posterior.Posterior}.
 * Fitting is in {@link org.vi4dvar.kernels.vi.VariationalInference}.
 */
package org.vi4dvar.kernels.flow;
