package org.vi4dvar.driver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version, from {@code vi4dvar-version.properties} (filtered by Maven). */
public final class Version implements IVersionProvider {

  /** The project version, or {@code unknown}. */
  public static String get() {
    return property("vi4dvar-version.properties", "version");
  }

  /** The version of Spark on the classpath, or {@code unknown}. */
  public static String spark() {
    return property("spark-version-info.properties", "version");
  }

  private static String property(String resource, String key) {
    try (InputStream in = Version.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty(key, "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"vi4dvar " + get() + " (Spark " + spark() + ", Java " + System.getProperty("java.version")
        + ")"};
  }
}
