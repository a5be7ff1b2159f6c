package org.vi4dvar.driver.spark;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * A running Spark context and whether this command owns it: an owned context is stopped by {@link #close()};
 * a shared one (tests share one context per JVM) is left running.
 */
public final class SparkHandle implements AutoCloseable {

  private final JavaSparkContext sc;
  private final boolean owned;
  private final double startSeconds;

  /**
   * @param sc the context
   * @param owned whether {@link #close()} stops it
   * @param startSeconds how long it took to start (0 for a shared one)
   */
  public SparkHandle(JavaSparkContext sc, boolean owned, double startSeconds) {
    this.sc = sc;
    this.owned = owned;
    this.startSeconds = startSeconds;
  }

  /** The context. */
  public JavaSparkContext sc() {
    return sc;
  }

  /** Seconds the context took to start. */
  public double startSeconds() {
    return startSeconds;
  }

  /** Stops the context if owned (idempotent; safe from a shutdown hook). */
  @Override
  public void close() {
    if (owned) {
      sc.stop();
    }
  }
}
