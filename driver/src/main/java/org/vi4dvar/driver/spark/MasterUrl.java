package org.vi4dvar.driver.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Spark master URL before Spark sees it, so that a typo is a one-line error (exit 2) rather than a
 * Spark stack trace. Accepted: {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]},
 * {@code local[*,F]}, {@code local-cluster[N,C,M]}, {@code spark://host:port[,host:port...]}, {@code yarn},
 * {@code k8s://...}.
 */
public final class MasterUrl {

  /** What the messages list. */
  public static final String ACCEPTED = "local, local[N], local[*], local[N,F], local-cluster[N,C,M], "
      + "spark://host:port, yarn or k8s://...";

  private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d{1,6})(?:,(\\d{1,6}))?]");
  private static final Pattern LOCAL_CLUSTER = Pattern.compile(
      "local-cluster\\[\\s*(\\d{1,4})\\s*,\\s*(\\d{1,4})\\s*,\\s*(\\d{1,7})\\s*]");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-]+:(\\d{1,5})");
  private static final Pattern K8S = Pattern.compile("k8s://(https?://)?[A-Za-z0-9._\\-\\[\\]:]+(:\\d{1,5})?/?");

  /** Most task threads a local master may ask for (each is a thread with its own working memory). */
  public static final int MAX_LOCAL_THREADS = 256;

  /** Most worker JVMs a local-cluster master may start. */
  public static final int MAX_LOCAL_CLUSTER_WORKERS = 64;

  private MasterUrl() {
  }

  /** Null if {@code url} is an accepted master URL, else what is wrong with it (one line). */
  public static String problem(String url) {
    if (url == null) {
      return "must be a Spark master URL (" + ACCEPTED + "), got null";
    }
    String u = url.trim();
    if (u.equals("local") || u.equals("yarn")) {
      return null;
    }
    Matcher m = LOCAL.matcher(u);
    if (m.matches()) {
      if (!m.group(1).equals("*") && Integer.parseInt(m.group(1)) < 1) {
        return "must use at least 1 thread, got '" + u + "'";
      }
      if (!m.group(1).equals("*") && Integer.parseInt(m.group(1)) > MAX_LOCAL_THREADS) {
        return "must use at most " + MAX_LOCAL_THREADS + " threads (this machine has "
            + Runtime.getRuntime().availableProcessors() + " cores; local[*] uses them all), got '" + u + "'";
      }
      if (m.group(2) != null && Integer.parseInt(m.group(2)) < 1) {
        return "must allow at least 1 task failure (local[N,F] with F >= 1), got '" + u + "'";
      }
      return null;
    }
    m = LOCAL_CLUSTER.matcher(u);
    if (m.matches()) {
      if (Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1
          || Integer.parseInt(m.group(3)) < 1) {
        return "must be local-cluster[workers, cores per worker, memory MiB per worker], each >= 1, got '"
            + u + "'";
      }
      long workers = Long.parseLong(m.group(1));
      long cores = Long.parseLong(m.group(2));
      if (workers > MAX_LOCAL_CLUSTER_WORKERS || workers * cores > MAX_LOCAL_THREADS) {
        return "must start at most " + MAX_LOCAL_CLUSTER_WORKERS + " worker JVMs and " + MAX_LOCAL_THREADS
            + " cores in all on this machine, got '" + u + "'";
      }
      return null;
    }
    if (u.startsWith("spark://")) {
      String rest = u.substring("spark://".length());
      if (rest.isEmpty()) {
        return "must name host:port after spark://, got '" + u + "'";
      }
      for (String hp : rest.split(",", -1)) {
        Matcher h = HOST_PORT.matcher(hp);
        if (!h.matches() || Integer.parseInt(h.group(1)) < 1 || Integer.parseInt(h.group(1)) > 65535) {
          return "must be spark://host:port with a port in 1..65535, got '" + u + "'";
        }
      }
      return null;
    }
    if (u.startsWith("k8s://")) {
      return K8S.matcher(u).matches() ? null : "must be k8s://[https://]host[:port], got '" + u + "'";
    }
    return "must be a Spark master URL (" + ACCEPTED + "), got '" + u + "'";
  }

  /**
   * The task threads of a local master in this JVM ({@code local} 1, {@code local[N]} N, {@code local[*]} the
   * cores), or 0 for a master whose tasks run elsewhere.
   */
  public static int localThreads(String url) {
    String u = url.trim();
    if (u.equals("local")) {
      return 1;
    }
    java.util.regex.Matcher m = LOCAL.matcher(u);
    if (m.matches()) {
      return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }
    return 0;
  }

  /**
   * A warning for an accepted master that asks for more task threads than 4 × the cores of this machine (each
   * thread holds a task's working memory, and more threads than cores only add memory), or null.
   */
  public static String warning(String url) {
    Matcher m = LOCAL.matcher(url.trim());
    int cores = Runtime.getRuntime().availableProcessors();
    if (m.matches() && !m.group(1).equals("*") && Integer.parseInt(m.group(1)) > 4 * cores) {
      return "warning: " + url.trim() + " runs " + m.group(1) + " task threads on " + cores + " cores: more "
          + "threads than cores do not run faster and each holds a task's memory; local[*] uses every core";
    }
    return null;
  }

  /** Whether the master runs everything in this JVM ({@code local...} but not {@code local-cluster}). */
  public static boolean isLocal(String url) {
    String u = url.trim();
    return u.equals("local") || u.startsWith("local[");
  }
}
