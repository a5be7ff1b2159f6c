package org.vi4dvar.driver.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Which process owns a temporary directory or a lock: its PID, its start time and its host, written as one line
 * {@code vi4dvar pid=<pid> start=<ISO instant> host=<name>} in a marker file. A later run decides from it whether
 * the owner is gone ({@link #gone()}): a process of that PID no longer exists, or exists but started at another
 * time (the PID was reused). An owner on another host cannot be checked and is never taken for gone.
 *
 * @param pid the process id
 * @param start when the process started (epoch milliseconds), or -1 if unknown
 * @param host the host name
 */
public record Owner(long pid, long start, String host) {

  /** Name of the marker file inside a temporary directory. */
  public static final String MARKER = ".vi4dvar-owner";

  /** Start times are compared to this precision (the JDK derives them from clock ticks). */
  private static final long START_TOLERANCE_MS = 1000;

  private static final Owner SELF = self();

  /** This process. */
  public static Owner current() {
    return SELF;
  }

  private static Owner self() {
    ProcessHandle p = ProcessHandle.current();
    long start = p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    return new Owner(p.pid(), start, hostName());
  }

  /** The host name, from the kernel (no DNS lookup: that can take seconds on a misconfigured machine). */
  static String hostName() {
    try {
      Path k = Path.of("/proc/sys/kernel/hostname");
      if (Files.isRegularFile(k)) {
        String h = Files.readString(k, StandardCharsets.UTF_8).strip();
        if (!h.isEmpty()) {
          return h;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The marker line. */
  public String line() {
    return "vi4dvar pid=" + pid + " start=" + (start < 0 ? "unknown" : Instant.ofEpochMilli(start).toString())
        + " host=" + host + "\n";
  }

  /** Parses a marker line; empty if it is not one. */
  public static Optional<Owner> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    if (!t.startsWith("vi4dvar ")) {
      return Optional.empty();
    }
    long pid = -1;
    long start = -1;
    String host = null;
    for (String f : t.substring("vi4dvar ".length()).split(" ")) {
      int eq = f.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String k = f.substring(0, eq);
      String v = f.substring(eq + 1);
      try {
        switch (k) {
          case "pid":
            pid = Long.parseLong(v);
            break;
          case "start":
            start = v.equals("unknown") ? -1 : Instant.parse(v).toEpochMilli();
            break;
          case "host":
            host = v;
            break;
          default:
            break;
        }
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    return pid > 0 && host != null ? Optional.of(new Owner(pid, start, host)) : Optional.empty();
  }

  /** Whether this owner is on this host. */
  public boolean local() {
    return host.equals(SELF.host);
  }

  /**
   * Whether the owner process is known to be gone: on this host, and no process has its PID, or the one that has
   * it started at another time. Never true for this process or for an owner on another host.
   */
  public boolean gone() {
    if (!local()) {
      return false;
    }
    if (pid == SELF.pid && Math.abs(start - SELF.start) <= START_TOLERANCE_MS) {
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return true;
    }
    long s = p.get().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    return start >= 0 && s >= 0 && Math.abs(s - start) > START_TOLERANCE_MS;
  }

  /**
   * The local temporary directories {@code dir/prefix*} left by commands that are gone: those with an owner marker
   * whose owner {@link #gone()} (a directory without the marker is not ours and is never listed; one whose owner
   * may still run is named in {@code notes} and left alone).
   */
  public static java.util.List<Path> staleDirectories(Path dir, String prefix, java.util.function.Consumer<String>
      notes) throws IOException {
    java.util.List<Path> out = new java.util.ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path p : s) {
        Optional<Owner> o = of(p);
        if (o.isEmpty()) {
          continue; // not ours
        }
        if (!o.get().gone()) {
          notes.accept("left " + p + " alone: its owner (" + o.get().describe() + ") may still be running");
          continue;
        }
        out.add(p);
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Creates a new local temporary directory {@code parent/prefix<random>} with this process's marker in it, the
   * form {@link #staleDirectories} recognises after a kill.
   *
   * @throws IOException if it cannot be created (or 100 random names were taken)
   */
  public static Path createMarkedDirectory(Path parent, String prefix) throws IOException {
    Path d = null;
    for (int attempt = 0; d == null; attempt++) {
      try {
        d = Files.createDirectory(parent.resolve(prefix
            + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36)));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
    Files.writeString(d.resolve(MARKER), current().line(), StandardCharsets.UTF_8);
    return d;
  }

  /** The owner of the local temporary directory {@code dir} (its marker), if it has one. */
  public static Optional<Owner> of(Path dir) throws IOException {
    Path marker = dir.resolve(MARKER);
    return Files.isRegularFile(marker, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        ? parse(Files.readString(marker, StandardCharsets.UTF_8)) : Optional.empty();
  }

  /** For messages: {@code pid 123, started 2024-..., on host h}. */
  public String describe() {
    return "pid " + pid + (start < 0 ? "" : ", started " + Instant.ofEpochMilli(start)) + ", on host " + host;
  }
}
