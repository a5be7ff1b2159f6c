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
 */
public record CommandContext(PrintStream out, PrintStream err, SparkProvider spark) {

  /** A progress line on {@link #err()}, {@code vi4dvar: <message>}. */
  public void progress(String message) {
    err.println("vi4dvar: " + message);
    err.flush();
  }
}
