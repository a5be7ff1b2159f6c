/**
 * The run's figures and HTML report: {@link org.vi4dvar.driver.report.Report#build} reads an output directory
 * (summary.json and the CSVs the run wrote, see the output-format document), draws every figure to
 * {@code figures/*.png} with JFreeChart (headless) and writes one self-contained {@code report.html}.
 *
 * <p>The package only reads and displays: every score (RMSE, spread, CRPS, coverage, rank histograms) comes
 * from summary.json, where the kernel's {@code scores} package put it. It has no Spark dependency, so it runs
 * in the driver JVM after the estimators and standalone on an existing directory. Reading is lenient: a method
 * folder or a file may be missing or malformed (an older or partial run), and the figure that needs it is then
 * left out with a note in the report; nothing in the directory makes it fail.
 *
 * <p>Not thread-safe; one build at a time per directory.
 */
package org.vi4dvar.driver.report;
