/**
 * A run of the estimators: {@link org.vi4dvar.driver.run.Pipeline} orders the Spark jobs (ABC first, its
 * lowest-J trials being the starts of the others, then MAP, the ensemble and VI) into one
 * {@link org.vi4dvar.driver.run.MethodOutcome} per method, and {@link org.vi4dvar.driver.run.RunWriter} writes
 * them (statistics, scores, CSVs, {@code summary.json}).
 */
package org.vi4dvar.driver.run;
