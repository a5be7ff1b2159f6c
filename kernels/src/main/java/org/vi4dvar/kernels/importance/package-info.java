/**
 * Importance correction of approximate posteriors: raw log weights of a proposal's draws for the target
 * {@code exp(−J)} by index ranges ({@link org.vi4dvar.kernels.importance.ImportanceWeights}, task-friendly),
 * Pareto-smoothed importance sampling with k̂ and the weights' ESS
 * ({@link org.vi4dvar.kernels.importance.Psis}, Vehtari, Simpson, Gelman, Yao &amp; Gabry 2024), and the
 * corrected posterior ({@link org.vi4dvar.kernels.importance.ImportancePosterior}) with its reliability
 * ({@link org.vi4dvar.kernels.importance.Reliability}).
 */
package org.vi4dvar.kernels.importance;
