/**
 * The experiment: the method cascade as kernel code that runs in one JVM ({@code ExperimentRunner}), written
 * against {@link org.vi4dvar.kernels.experiment.Parallel} — {@link org.vi4dvar.kernels.experiment.LocalParallel}
 * here, Spark tasks in the driver — so that the same posterior comes out of a test, a Spark run and one twin
 * experiment inside a Spark task.
 */
package org.vi4dvar.kernels.experiment;
