package org.vi4dvar.driver.cli;

import java.io.PrintStream;
import org.vi4dvar.driver.spark.SparkProvider;

/**
 * What a command writes to and how it gets Spark; {@code main} passes the process streams and a new context,
 * tests pass buffers and a shared context.
 *
 * @param out results (tables)
 * @param err progress lines and the one-line errors
 * @param spark the Spark context provider
 * @param provenance version, commit, command line and start time of this command
 */
public record CommandContext(PrintStream out, PrintStream err, SparkProvider spark, Provenance provenance) {

  /** A context whose provenance has no arguments (tests that build commands directly). */
  public CommandContext(PrintStream out, PrintStream err, SparkProvider spark) {
    this(out, err, spark, Provenance.start());
  }

  /** A progress line on {@link #err()}, {@code vi4dvar: <message>}. */
  public void progress(String message) {
    err.println("vi4dvar: " + message);
    err.flush();
  }
}
