/**
 * Tests on multi-JVM Spark clusters, all on 127.0.0.1: {@code local-cluster[2,1,1024]} (two executor JVMs) against
 * {@code local[2]} bit for bit, with retried tasks and with an executor JVM killed mid-sweep, and a real standalone
 * cluster started by {@code submit/cluster-local.sh}.
 *
 * <p>They run in their own surefire execution ({@code cluster-tests} in driver/pom.xml, after {@code package},
 * its own JVM with SPARK_HOME and SPARK_SCALA_VERSION set), part of {@code mvn -B verify}. One of them alone:
 * {@code mvn -B -pl driver verify -Dtest=LocalClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
package org.vi4dvar.driver.cluster;
