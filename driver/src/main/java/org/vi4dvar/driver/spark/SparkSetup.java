package org.vi4dvar.driver.spark;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
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
    }
    // running tasks report their progress (units of work) with the executors' heartbeats: every 3 s
    c.setIfMissing("spark.executor.heartbeatInterval", "3s");
    c.set("spark.serializer", KryoSerializer.class.getName());
    c.set("spark.kryo.registrator", Vi4dvarKryoRegistrator.class.getName());
    c.set("spark.kryo.registrationRequired", "true");
    return c;
  }

  private static Properties readProperties(Path f) {
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
