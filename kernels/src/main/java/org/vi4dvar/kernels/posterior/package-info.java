/**
 * The one posterior type every estimator returns: {@link org.vi4dvar.kernels.posterior.Posterior} — draws by
 * index (possibly importance-weighted), a log density where the family has one, exact moments where the family
 * knows them, and its {@link org.vi4dvar.kernels.posterior.Diagnostics}. Families:
 * {@link org.vi4dvar.kernels.posterior.GaussianPosterior} (the prior, Laplace, Gaussian VI; held in the whitened
 * control variable), {@link org.vi4dvar.kernels.posterior.EmpiricalPosterior} (ABC, the ensemble, MCMC,
 * importance-weighted draws), {@link org.vi4dvar.kernels.posterior.MixturePosterior}; flows implement the same
 * interface.
 */
package org.vi4dvar.kernels.posterior;
