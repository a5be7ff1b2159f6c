/**
 * MCMC convergence diagnostics after Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner (2021):
 * rank-normalised split-R̂ (bulk and folded), bulk and tail ESS with Geyer's initial monotone sequence over
 * FFT autocovariances, MCSE of mean and sd ({@link org.vi4dvar.kernels.diagnostics.Convergence}), their
 * per-component summary ({@link org.vi4dvar.kernels.diagnostics.ConvergenceSummary}), and the building blocks
 * ({@link org.vi4dvar.kernels.diagnostics.Autocovariance}, {@link org.vi4dvar.kernels.diagnostics.NormalQuantile}).
 *
 * <p>A package of its own rather than part of {@code stats}: {@code stats} holds mergeable summaries that tasks
 * compute on parts of a sample and fold in a fixed order; these diagnostics need every chain whole (ranks over
 * all draws, autocorrelations along each chain), run once after sampling, and serve any sampler (MCMC today; the
 * same functions apply to a trajectory's states or to the log density of the draws).
 */
package org.vi4dvar.kernels.diagnostics;
