package org.vi4dvar.driver.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A separate JVM with the test classpath, Spark's JVM flags and vi4dvar's log configuration (for signals). */
public final class ChildJvm {

  private ChildJvm() {
  }

  /** Starts {@code mainClass args} with {@code jvmOptions}; stdout and stderr go to {@code log}. */
  public static Process start(Path log, List<String> jvmOptions, String mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Dio.netty")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("../conf/log4j2.properties").toAbsolutePath());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_LOCAL_DIRS");
    return pb.start();
  }

  /** Waits until {@code log} contains {@code text}, the process ends, or two minutes pass. */
  public static void await(Process p, Path log, String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.readString(log).contains(text) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /** The names in {@code dir} matching {@code glob} (none if {@code dir} does not exist). */
  public static List<String> names(Path dir, String glob) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var s = Files.newDirectoryStream(dir, glob)) {
      for (Path p : s) {
        out.add(p.getFileName().toString());
      }
    }
    out.sort(null);
    return out;
  }
}
