package org.vi4dvar.driver.testing;

import org.apache.spark.api.java.JavaSparkContext;
import org.vi4dvar.driver.spark.SparkHandle;
import org.vi4dvar.driver.spark.SparkProvider;
import org.vi4dvar.driver.spark.SparkSetup;

/**
 * One {@code local[2]} Spark context for every Spark test of the JVM (Spark allows one active context per JVM;
 * surefire runs the test classes one after the other in one fork). Configured exactly like a run
 * ({@link SparkSetup#conf}: Kryo with registration required). Started on first use, stopped by Spark's own
 * shutdown hook when the fork exits.
 */
public abstract class SharedSpark {

  private static JavaSparkContext sc;

  /** The shared context. */
  protected static synchronized JavaSparkContext sc() {
    if (sc == null) {
      sc = new JavaSparkContext(SparkSetup.conf("local[2]"));
    }
    return sc;
  }

  /** A provider that lends the shared context to {@code App.execute} (not stopped at the command's end). */
  protected static SparkProvider sharedProvider() {
    return conf -> new SparkHandle(sc(), false, 0.0);
  }
}
