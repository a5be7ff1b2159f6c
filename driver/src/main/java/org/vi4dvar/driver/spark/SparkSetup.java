package org.vi4dvar.driver.spark;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.config.SparkSettings;

/**
 * The Spark configuration of a command. Precedence: {@code spark.*} Java system properties (what spark-submit
 * sets from its command line and its {@code spark-defaults.conf}) &gt; the local defaults file named by the system
 * property {@value #DEFAULTS_PROPERTY} ({@code conf/spark-defaults.conf}, set by {@code submit/local.sh}) &gt;
 * built-in local defaults (for local masters: {@code spark.ui.enabled=false}, driver bound to 127.0.0.1). The
 * serializer settings are always forced: Kryo, {@link Vi4dvarKryoRegistrator}, {@code spark.kryo.registrationRequired=true}.
 */
public final class SparkSetup {

  /** System property naming a Spark properties file for runs outside spark-submit. */
  public static final String DEFAULTS_PROPERTY = "vi4dvar.spark-defaults";

  /** The master when nothing names one. */
  public static final String DEFAULT_MASTER = "local[*]";

  private SparkSetup() {
  }

  /**
   * Checks a {@code --master} value.
   *
   * @throws BadInputException if it is not an accepted master URL
   */
  public static void checkMasterOption(String master) {
    if (master != null) {
      String why = MasterUrl.problem(master);
      if (why != null) {
        throw new BadInputException("--master " + why);
      }
    }
  }

  /**
   * The master: {@code --master}, else {@code spark.master} of the configuration, else the one spark-submit
   * set, else {@value #DEFAULT_MASTER}.
   */
  public static String master(String cliMaster, SparkSettings s) {
    if (cliMaster != null) {
      return cliMaster.trim();
    }
    if (s.master() != null) {
      return s.master().trim();
    }
    String submitted = System.getProperty("spark.master");
    if (submitted != null && !submitted.isBlank()) {
      String why = MasterUrl.problem(submitted);
      if (why != null) {
        throw new BadInputException("spark.master (from spark-submit) " + why);
      }
      return submitted.trim();
    }
    return DEFAULT_MASTER;
  }

  /**
   * The Spark configuration for {@code master}.
   *
   * @throws BadInputException if the defaults file named by {@value #DEFAULTS_PROPERTY} cannot be read
   */
  public static SparkConf conf(String master) {
    SparkConf c = new SparkConf(true);
    String file = System.getProperty(DEFAULTS_PROPERTY);
    if (file != null && !file.isBlank()) {
      Properties p = readProperties(Path.of(file));
      for (String k : p.stringPropertyNames()) {
        if (k.startsWith("spark.")) {
          c.setIfMissing(k, p.getProperty(k).trim());
        }
      }
    }
    c.setMaster(master);
    c.setIfMissing("spark.app.name", "vi4dvar");
    if (MasterUrl.isLocal(master)) {
      // everything runs in this JVM: no web UI (start-up time), and no listener beyond the loopback interface
      c.setIfMissing("spark.ui.enabled", "false");
      c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      c.setIfMissing("spark.driver.host", "127.0.0.1");
      // Spark's executor calls System.exit(52) (SparkUncaughtExceptionHandler) when a task throws a fatal error
      // such as OutOfMemoryError; with a local master the executor is this JVM: let the task fail instead, so
      // that the command reports it (one line, exit 1) and the shutdown hook does not take it for a signal
      c.setIfMissing("spark.executor.killOnFatalError.depth", "0");
    }
    // running tasks report their progress (units of work) with the executors' heartbeats: every 3 s
    c.setIfMissing("spark.executor.heartbeatInterval", "3s");
    c.set("spark.serializer", KryoSerializer.class.getName());
    c.set("spark.kryo.registrator", Vi4dvarKryoRegistrator.class.getName());
    c.set("spark.kryo.registrationRequired", "true");
    return c;
  }

  /**
   * The Hadoop properties of the Spark configuration: every {@code spark.hadoop.*} key of the system properties
   * and of the defaults file, without the prefix (what Spark itself copies into its Hadoop configuration); used
   * for a Hadoop file-system {@code --out} before Spark starts.
   */
  public static Map<String, String> hadoopProperties() {
    Map<String, String> m = new TreeMap<>();
    String file = System.getProperty(DEFAULTS_PROPERTY);
    if (file != null && !file.isBlank()) {
      Properties p = readProperties(Path.of(file));
      for (String k : p.stringPropertyNames()) {
        if (k.startsWith(HADOOP_PREFIX)) {
          m.put(k.substring(HADOOP_PREFIX.length()), p.getProperty(k).trim());
        }
      }
    }
    for (String k : System.getProperties().stringPropertyNames()) {
      if (k.startsWith(HADOOP_PREFIX)) {
        m.put(k.substring(HADOOP_PREFIX.length()), System.getProperty(k).trim());
      }
    }
    return m;
  }

  private static final String HADOOP_PREFIX = "spark.hadoop.";

  /**
   * Puts what Spark and the JVM write to temporary files into the run's {@code scratch} directory (inside the
   * output's temporary sibling), so that a killed run leaves them where the next run to the same {@code --out}
   * removes them: when the command owns the JVM, {@code java.io.tmpdir} points there. That is where native
   * libraries are extracted (lz4-java's {@code liblz4-java*.so}) and, unless {@code spark.local.dir} or
   * {@code SPARK_LOCAL_DIRS} says otherwise, where Spark puts its local directories ({@code blockmgr-*},
   * {@code spark-*}). ({@code spark.local.dir} itself is not set: Spark warns whenever it is.) This must run
   * before Spark starts and before anything in the JVM has created a temporary file (the JDK caches the
   * directory at its first use); {@code main} reaches it with nothing created yet.
   *
   * @param scratch the run's scratch directory
   * @param ownJvm whether the JVM-wide {@code java.io.tmpdir} may be changed
   */
  public static void useScratch(Path scratch, boolean ownJvm) throws IOException {
    if (ownJvm) {
      Path tmp = java.nio.file.Files.createDirectories(scratch.resolve("tmp"));
      System.setProperty("java.io.tmpdir", tmp.toString());
    }
  }

  private static Properties readProperties(Path f) {
    if (Files.exists(f) && !Files.isRegularFile(f)) {
      throw new BadInputException("Spark defaults file '" + f + "' (" + DEFAULTS_PROPERTY + ") is not a regular "
          + "file");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new BadInputException("Spark defaults file '" + f + "' (" + DEFAULTS_PROPERTY + ") cannot be read ("
          + e.getClass().getSimpleName() + ")", e);
    }
    return p;
  }
}
