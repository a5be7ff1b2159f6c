package org.vi4dvar.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.SparkSettings;

class SparkSetupTest {

  @TempDir
  Path tmp;

  @AfterEach
  void clearProperties() {
    System.clearProperty(SparkSetup.DEFAULTS_PROPERTY);
    System.clearProperty("spark.master");
    System.clearProperty("spark.kryo.registrationRequired");
    System.clearProperty("spark.executor.memory");
  }

  @Test
  void masterUrls() {
    for (String ok : new String[] {"local", "local[1]", "local[*]", "local[4,3]", "local[*,2]",
        "local-cluster[2,1,1024]", "spark://127.0.0.1:7077", "spark://a:7077,b:7078", "yarn",
        "k8s://https://10.0.0.1:6443", "k8s://localhost:8443"}) {
      assertNull(MasterUrl.problem(ok), ok);
    }
    for (String bad : new String[] {"", "local[0]", "local[x]", "local[2,0]", "local-cluster[0,1,1]",
        "spark://host", "spark://host:0", "spark://host:99999", "mesos://h:5050", "yarn-cluster", "k8s://",
        "LOCAL"}) {
      assertTrue(MasterUrl.problem(bad) != null, bad);
    }
    assertThrows(BadInputException.class, () -> SparkSetup.checkMasterOption("locl[2]"));
  }

  @Test
  void masterPrecedence() {
    SparkSettings none = ConfigLoader.defaults().spark();
    assertEquals("local[*]", SparkSetup.master(null, none));
    System.setProperty("spark.master", "spark://127.0.0.1:7077");
    assertEquals("spark://127.0.0.1:7077", SparkSetup.master(null, none), "spark-submit's");
    assertEquals("local[3]", SparkSetup.master(null, new SparkSettings("local[3]", 0)), "the configuration's");
    assertEquals("local[1]", SparkSetup.master("local[1]", new SparkSettings("local[3]", 0)), "--master");
  }

  @Test
  void kryoIsForcedAndLocalRunsAreLeanAndOnLoopback() throws IOException {
    Path f = tmp.resolve("spark-defaults.conf");
    Files.writeString(f, "# comment\nspark.executor.memory 3g\nspark.kryo.registrationRequired false\n"
        + "spark.ui.enabled true\nnot.spark.key x\n");
    System.setProperty(SparkSetup.DEFAULTS_PROPERTY, f.toString());
    System.setProperty("spark.executor.memory", "5g");
    SparkConf c = SparkSetup.conf("local[2]");
    assertEquals("local[2]", c.get("spark.master"));
    assertEquals("org.apache.spark.serializer.KryoSerializer", c.get("spark.serializer"));
    assertEquals(Vi4dvarKryoRegistrator.class.getName(), c.get("spark.kryo.registrator"));
    assertEquals("true", c.get("spark.kryo.registrationRequired"), "forced whatever the file says");
    assertEquals("5g", c.get("spark.executor.memory"), "system properties (spark-submit) win over the file");
    assertEquals("true", c.get("spark.ui.enabled"), "the file wins over the local defaults");
    assertEquals("127.0.0.1", c.get("spark.driver.bindAddress"));
    assertFalse(c.contains("not.spark.key"));
    SparkConf cluster = SparkSetup.conf("spark://127.0.0.1:7077");
    assertFalse(cluster.contains("spark.driver.bindAddress"), "clusters choose their own addresses");
  }

  @Test
  void aMissingDefaultsFileIsBadInput() {
    System.setProperty(SparkSetup.DEFAULTS_PROPERTY, tmp.resolve("nope.conf").toString());
    BadInputException e = assertThrows(BadInputException.class, () -> SparkSetup.conf("local"));
    assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
  }

  /** Issue 10 item 6: a fatal error in a task of a local master must fail the task, not exit the JVM with 52. */
  @Test
  void aLocalMastersExecutorDoesNotExitTheJvmOnAFatalError() {
    assertEquals("0", SparkSetup.conf("local[2]").get("spark.executor.killOnFatalError.depth"));
    assertFalse(SparkSetup.conf("spark://h:7077").contains("spark.executor.killOnFatalError.depth"),
        "a cluster's executors keep Spark's behaviour (the driver reports the lost executor)");
  }

  /** Issue 10 item 6: thread counts bounded by something sane. */
  @Test
  void threadCountsAreBounded() {
    assertNull(MasterUrl.problem("local[256]"));
    String p = MasterUrl.problem("local[100000]");
    assertTrue(p != null && p.contains("at most 256 threads"), p);
    assertTrue(MasterUrl.problem("local-cluster[100,1,1024]").contains("at most 64 worker JVMs"));
    assertTrue(MasterUrl.problem("local-cluster[8,64,1024]").contains("256 cores"));
    int cores = Runtime.getRuntime().availableProcessors();
    assertNull(MasterUrl.warning("local[" + 4 * cores + "]"));
    assertTrue(MasterUrl.warning("local[" + (4 * cores + 1) + "]").contains("task threads on " + cores + " cores"));
    assertNull(MasterUrl.warning("local[*]"));
  }
}
