package org.vi4dvar.driver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Where a run's results come from, for {@code summary.json} and the global attributes of {@code posterior.nc}:
 * vi4dvar's version, the source commit it was built from, the command line, the start time (ISO-8601, UTC) and
 * the Spark application id.
 *
 * <p>The commit is captured at build time: the git-commit-id plugin (driver/pom.xml) runs {@code git} on the
 * source tree, and resource filtering writes {@code git.commit.id} (the full hash) and {@code git.dirty} into
 * {@code vi4dvar-version.properties}. A build without git (a source tarball) leaves the placeholders unfilled,
 * which read as {@code "unknown"} here.
 */
public final class Provenance {

  /** What an unknown version, commit or application id reads as. */
  public static final String UNKNOWN = "unknown";

  private static final String RESOURCE = "vi4dvar-version.properties";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

  private final List<String> args;
  private final Instant start;
  private final String version;
  private final String commit;
  private final String dirty;

  private Provenance(List<String> args, Instant start, Properties build) {
    this.args = List.copyOf(args);
    this.start = start.truncatedTo(ChronoUnit.MILLIS);
    this.version = value(build, "version");
    this.commit = value(build, "commit");
    this.dirty = value(build, "dirty");
  }

  /** The provenance of a command started now with {@code args} (its command line after the program name). */
  public static Provenance start(String... args) {
    return new Provenance(List.of(args), Instant.now(), buildProperties());
  }

  private static Properties buildProperties() {
    Properties p = new Properties();
    try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // unknown
    }
    return p;
  }

  /** A property's value, or {@link #UNKNOWN} when missing, empty or an unfilled {@code ${...}} placeholder. */
  static String value(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank() || v.contains("${")) {
      return UNKNOWN;
    }
    return v.trim();
  }

  /** vi4dvar's version (the Maven project version), or {@value #UNKNOWN}. */
  public String version() {
    return version;
  }

  /** The full hash of the source commit the jar was built from, or {@value #UNKNOWN}. */
  public String commit() {
    return commit;
  }

  /** Whether the working tree had uncommitted changes at build time: "true", "false" or {@value #UNKNOWN}. */
  public String dirty() {
    return dirty;
  }

  /** The arguments of the command line. */
  public List<String> arguments() {
    return args;
  }

  /** The command line, {@code vi4dvar ARG...}, each argument quoted for a POSIX shell where it needs it. */
  public String commandLine() {
    List<String> parts = new ArrayList<>();
    parts.add("vi4dvar");
    for (String a : args) {
      parts.add(SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return String.join(" ", parts);
  }

  /** The start time, ISO-8601 in UTC with milliseconds, e.g. {@code 2026-01-02T03:04:05.678Z}. */
  public String startTime() {
    return DateTimeFormatter.ISO_INSTANT.format(start);
  }

  /** The start instant. */
  public Instant startInstant() {
    return start;
  }

  /** The application id of {@code sc} ({@code local-...}, {@code app-...}, {@code application_...}). */
  public static String applicationId(SparkContext sc) {
    String id = sc == null ? null : sc.applicationId();
    return id == null || id.isBlank() ? UNKNOWN : id;
  }

  /** {@link #applicationId(SparkContext)} of a Java context. */
  public static String applicationId(JavaSparkContext sc) {
    return applicationId(sc == null ? null : sc.sc());
  }

  /**
   * The entries for {@code summary.json}: version, commit, commit_dirty, command_line, start_time and (with a
   * context) spark_application_id.
   */
  public Map<String, Object> toTree(JavaSparkContext sc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("commit", commit);
    m.put("commit_dirty", dirty);
    m.put("command_line", commandLine());
    m.put("start_time", startTime());
    if (sc != null) {
      m.put("spark_application_id", applicationId(sc));
    }
    return m;
  }

  /** The same facts as global text attributes of {@code posterior.nc}, named {@code vi4dvar_*}. */
  public Map<String, String> attributes(JavaSparkContext sc) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : toTree(sc).entrySet()) {
      m.put("vi4dvar_" + e.getKey(), String.valueOf(e.getValue()));
    }
    return m;
  }
}
