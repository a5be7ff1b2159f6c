/**
 * The Spark jobs of a run: each wraps one kernel estimator as RDD tasks (one kernel instance per partition,
 * built from the broadcast inputs) and gathers the results in index order. No numerics of their own: every
 * number comes from {@code org.vi4dvar.kernels}. Every random number depends only on (seed, index), and results
 * are ordered by index (or merged exactly), so a run gives bit-identical outputs on any master, with any number
 * of partitions, and after task retries.
 */
package org.vi4dvar.driver.tasks;
