package org.vi4dvar.driver;

import org.vi4dvar.driver.spark.SparkProvider;

/**
 * The main class of {@code submit/local.sh} (embedded Spark, one JVM): runs the command line and exits the JVM
 * with its exit code ({@link ExitCode}). Under spark-submit use {@link App}, which never calls
 * {@code System.exit}.
 */
public final class LocalMain {

  private LocalMain() {
  }

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    int code = App.execute(args, System.out, System.err, SparkProvider.NEW_CONTEXT, true);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }
}
