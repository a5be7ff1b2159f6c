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
 * @param ownJvm whether the command owns the JVM ({@code main}): it may then point JVM-wide settings such as
 *     {@code java.io.tmpdir} at its own scratch directory; false when run in-process by tests
 */
public record CommandContext(PrintStream out, PrintStream err, SparkProvider spark, Provenance provenance,
    boolean ownJvm) {

  /** A context that does not own the JVM, whose provenance has no arguments (tests, embedding). */
  public CommandContext(PrintStream out, PrintStream err, SparkProvider spark) {
    this(out, err, spark, Provenance.start(), false);
  }

  /** A progress line on {@link #err()}, {@code vi4dvar: <message>}. */
  public void progress(String message) {
    err.println("vi4dvar: " + message);
    err.flush();
  }
}
