/**
 * Ensemble of 4D-Var (randomised maximum likelihood; Jardak &amp; Talagrand 2018): each member minimises J with a
 * perturbed background and perturbed observations. {@link org.vi4dvar.kernels.ensemble.EnsembleMember} runs one
 * member (the unit of work of one Spark task element) and returns an
 * {@link org.vi4dvar.kernels.ensemble.EnsembleResult}.
 */
package org.vi4dvar.kernels.ensemble;
