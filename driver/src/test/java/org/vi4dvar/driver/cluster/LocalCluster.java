package org.vi4dvar.driver.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.vi4dvar.driver.spark.SparkHandle;
import org.vi4dvar.driver.spark.SparkProvider;

/**
 * A {@code local-cluster[2,1,1024]} Spark context for tests: a standalone Master and two Workers inside this JVM,
 * each Worker running its executor as a separate JVM (a child process of this one), all on 127.0.0.1.
 *
 * <p>Spark launches those executor JVMs with its launcher, which needs {@code SPARK_HOME} with a {@code jars/}
 * directory and {@code SPARK_SCALA_VERSION} (set by the {@code cluster-tests} execution of driver/pom.xml; the
 * directory is created here, empty, with a {@code RELEASE} file); the executors get this JVM's test classpath.
 * One context per JVM: these tests run in their own surefire execution, never beside the shared {@code local[2]}
 * context of the other Spark tests.
 */
final class LocalCluster {

  /** Two workers, one core and 1 GiB each: two executor JVMs. */
  static final String MASTER = "local-cluster[2,1,1024]";

  /** The main class of an executor JVM. */
  static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  private static JavaSparkContext sc;

  private LocalCluster() {
  }

  /** Skips the calling test unless SPARK_HOME and SPARK_SCALA_VERSION are set; creates {@code $SPARK_HOME/jars}. */
  static void requireLauncherEnvironment() {
    String home = System.getenv("SPARK_HOME");
    assumeTrue(home != null && !home.isBlank() && System.getenv("SPARK_SCALA_VERSION") != null,
        "local-cluster needs SPARK_HOME and SPARK_SCALA_VERSION in the environment (set by the cluster-tests "
            + "execution of driver/pom.xml: run `mvn -B verify`)");
    try {
      Files.createDirectories(Path.of(home, "jars"));
      Path release = Path.of(home, "RELEASE");
      if (!Files.exists(release)) {
        Files.writeString(release, "Spark home for local-cluster tests: executors use the test classpath\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare SPARK_HOME=" + home, e);
    }
  }

  /** The test JVM's full classpath (surefire's, not its manifest-only booter jar). */
  static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /**
   * The cluster context, started on first use with {@code conf} (a run's configuration, master
   * {@value #MASTER}) plus what executor JVMs need: the test classpath, loopback addresses, no web UI.
   */
  static synchronized JavaSparkContext context(SparkConf conf) {
    if (sc == null) {
      SparkConf c = conf.clone();
      c.setMaster(MASTER);
      c.set("spark.executor.extraClassPath", testClassPath());
      c.set("spark.driver.host", "127.0.0.1");
      c.set("spark.driver.bindAddress", "127.0.0.1");
      c.set("spark.ui.enabled", "false");
      sc = new JavaSparkContext(c);
    }
    return sc;
  }

  /** A provider that lends the cluster context to {@code App.execute} (not stopped after the command). */
  static SparkProvider provider() {
    return conf -> new SparkHandle(context(conf), false, 0.0);
  }

  /** Whether the cluster context is running. */
  static synchronized boolean running() {
    return sc != null;
  }

  /**
   * Stops the cluster context (its workers stop their executors), then waits up to {@code wait} for every
   * executor JVM to be gone and kills any that is left.
   *
   * @return the executor PIDs that had to be killed (empty when Spark stopped them all)
   */
  static synchronized List<Long> stop(Duration wait) {
    if (sc != null) {
      try {
        sc.stop();
      } finally {
        sc = null;
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (!executors().isEmpty() && System.nanoTime() < deadline) {
      sleep(200);
    }
    List<Long> left = new ArrayList<>();
    for (ProcessHandle p : executors()) {
      left.add(p.pid());
      p.destroyForcibly();
    }
    return left;
  }

  /** The executor JVMs among this JVM's descendants, by PID. */
  static List<ProcessHandle> executors() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.isAlive() && commandLine(p).contains(EXECUTOR_MAIN))
        .sorted(Comparator.comparingLong(ProcessHandle::pid))
        .collect(Collectors.toList());
  }

  /**
   * The whole command line of {@code p}: from /proc on Linux, since {@link ProcessHandle.Info#commandLine()} is cut
   * at 4096 characters there (an executor's classpath alone is longer, and its main class comes after it).
   */
  static String commandLine(ProcessHandle p) {
    Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return new String(Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
      }
    } catch (IOException e) {
      // gone meanwhile
    }
    return p.info().commandLine().orElse("");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
