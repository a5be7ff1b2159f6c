/**
 * VI-4D-Var: a Gaussian {@code q(x0)} fitted to the 4D-Var posterior by maximising the ELBO with
 * reparameterised stochastic gradients through the 4D-Var adjoint and Adam (Filoche &amp; Béréziat, the talk).
 * Two families ({@link org.vi4dvar.kernels.vi.ViFamily}): mean-field (the talk's) and full covariance.
 * {@link org.vi4dvar.kernels.vi.Vi4dVar} runs one restart (the unit of work of one Spark task) and returns a
 * {@link org.vi4dvar.kernels.vi.ViResult}.
 */
package org.vi4dvar.kernels.vi;
