/**
 * Spark: the context ({@link org.vi4dvar.driver.spark.SparkSetup}, {@link org.vi4dvar.driver.spark.SparkProvider}),
 * master-URL checks, Kryo registration, the broadcast payload and the tasks. RDD API only (no SparkSession).
 */
package org.vi4dvar.driver.spark;
