/**
 * 4D-Var MAP estimation and the Laplace approximation of the posterior of x0:
 * {@link org.vi4dvar.kernels.map.MapLaplace} minimises J by L-BFGS from any start, takes the Hessian at the
 * minimum (central differences of the adjoint gradient, or Gauss–Newton), and returns a
 * {@link org.vi4dvar.kernels.map.LaplaceResult}: {@code N(x*, H⁻¹)} with its Cholesky factor and a sampler.
 * {@link org.vi4dvar.kernels.map.FourDVarObjective} adapts a {@code FourDVarCost} to the minimisers.
 */
package org.vi4dvar.kernels.map;
