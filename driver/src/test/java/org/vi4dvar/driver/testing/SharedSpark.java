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

  /** The shared {@code local[2]} context. */
  protected static JavaSparkContext sc() {
    return sc("local[2]");
  }

  /**
   * The shared context on {@code master}: if the current one runs another master it is stopped first (one
   * active context per JVM), so tests that switch masters pay a context start (~0.3 s warm).
   */
  protected static synchronized JavaSparkContext sc(String master) {
    if (sc != null && !sc.master().equals(master)) {
      sc.stop();
      sc = null;
    }
    if (sc == null) {
      sc = new JavaSparkContext(SparkSetup.conf(master));
    }
    return sc;
  }

  /** A provider that lends the shared {@code local[2]} context to {@code App.execute} (not stopped after). */
  protected static SparkProvider sharedProvider() {
    return conf -> new SparkHandle(sc(), false, 0.0);
  }

  /** A provider that lends a shared context on the master the command asked for ({@code --master}). */
  protected static SparkProvider providerForMaster() {
    return conf -> new SparkHandle(sc(conf.get("spark.master")), false, 0.0);
  }
}
