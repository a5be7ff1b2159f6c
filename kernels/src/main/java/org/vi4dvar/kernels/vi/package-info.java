/**
 * VI-4D-Var: q fitted to the 4D-Var posterior by maximising the ELBO with reparameterised stochastic gradients
 * through the adjoint (Filoche &amp; Béréziat, the talk).
 * <ul>
 *   <li>{@link org.vi4dvar.kernels.vi.VariationalInference}: the engine (issues 12 and 14) — q in the whitened
 *       control v of a {@link org.vi4dvar.kernels.var.ControlTransform}, families
 *       {@link org.vi4dvar.kernels.vi.VariationalFamily} mean-field, full-rank, flow
 *       ({@link org.vi4dvar.kernels.flow.CouplingFlow}) and Gaussian mixture; path-derivative gradients, plateau
 *       step sizes, iterate averaging and the ELBO-window convergence test
 *       ({@link org.vi4dvar.kernels.vi.ElboConvergenceTest}); one restart per call, from a
 *       {@link org.vi4dvar.kernels.vi.ViStart}, giving a {@link org.vi4dvar.kernels.vi.VariationalResult} with a
 *       {@link org.vi4dvar.kernels.posterior.Posterior} and its diagnostics. Settings:
 *       {@link org.vi4dvar.kernels.vi.VariationalConfig}.</li>
 *   <li>{@link org.vi4dvar.kernels.vi.RestartMixture}: the ELBO-weighted mixture of independent restarts.</li>
 * </ul>
 */
package org.vi4dvar.kernels.vi;
