/**
 * A run's output directory: its layout ({@link org.vi4dvar.driver.output.OutputLayout}, shared by the writer, the
 * report and the tests), the writer of a method's result ({@link org.vi4dvar.driver.output.RunWriter}) and the
 * task-side writer of ABC's accepted trials ({@link org.vi4dvar.driver.output.ParquetTrialSink}, a Parquet table). Formatting only.
 */
package org.vi4dvar.driver.output;
