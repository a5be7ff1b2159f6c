package org.vi4dvar.driver.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Starts (or lends) the Spark context of a command. */
@FunctionalInterface
public interface SparkProvider {

  /** A new context per command, stopped at its end: what {@code main} uses. */
  SparkProvider NEW_CONTEXT = conf -> {
    long t0 = System.nanoTime();
    JavaSparkContext sc = new JavaSparkContext(conf);
    return new SparkHandle(sc, true, (System.nanoTime() - t0) * 1e-9);
  };

  /** The context for {@code conf} (built by {@link SparkSetup#conf}). */
  SparkHandle start(SparkConf conf);
}
