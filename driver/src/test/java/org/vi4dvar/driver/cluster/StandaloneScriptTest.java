package org.vi4dvar.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.spark.SparkProvider;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;

/**
 * {@code submit/cluster-local.sh} end to end: a real standalone cluster (Master and two Workers as separate JVMs on
 * 127.0.0.1, from the Maven jars), the packaged application jar submitted to it with {@code submit/standalone.sh}
 * and Spark's own launcher, the talk's experiment at reduced sizes; the outputs are the same bits as on
 * {@code local[2]}, and every process the script started is gone afterwards.
 *
 * <p>Runs after {@code package} (the cluster-tests execution): it needs the shaded jar and Spark's classpath file in
 * driver/target. Skipped, saying why, where bash, {@code ps} or {@code timeout} is missing.
 */
class StandaloneScriptTest {

  /** Bound on the whole script (cluster start ~15–25 s, run ~25 s on a busy 2-core machine). */
  static final int SCRIPT_SECONDS = 420;

  @TempDir
  Path tmp;

  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  void theLoopbackStandaloneClusterScriptGivesTheSameBitsAsLocal() throws Exception {
    Path root = Path.of(System.getProperty("vi4dvar.root", "..")).toAbsolutePath().normalize();
    Path script = root.resolve("submit/cluster-local.sh");
    Path jar = Path.of(System.getProperty("vi4dvar.app-jar", "target/none.jar")).toAbsolutePath();
    assumeTrue(Files.isRegularFile(jar) && Files.isRegularFile(root.resolve("driver/target/spark-classpath.txt")),
        "needs the packaged application jar and driver/target/spark-classpath.txt (run `mvn -B verify`): " + jar);
    assumeTrue(onPath("bash") && onPath("ps") && onPath("timeout"),
        "needs bash, ps and timeout to run submit/cluster-local.sh");

    Path ref = tmp.resolve("ref");
    List<String> refArgs = new ArrayList<>(List.of("run", "--out", ref.toString(), "--master", "local[2]"));
    refArgs.addAll(Arrays.asList(LocalClusterTest.SMALL));
    Cli r = Cli.run(SparkProvider.NEW_CONTEXT, refArgs.toArray(new String[0]));
    assertEquals(ExitCode.OK, r.code(), r.err());

    Path out = tmp.resolve("standalone");
    Path log = tmp.resolve("cluster-local.log");
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "--out", out.toString(), "--timeout",
        String.valueOf(SCRIPT_SECONDS - 60), "--"));
    cmd.addAll(Arrays.asList(LocalClusterTest.SMALL));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("VI4DVAR_JAR", jar.toString()); // never a build from inside the test
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    boolean finished;
    try {
      finished = p.waitFor(SCRIPT_SECONDS, TimeUnit.SECONDS);
    } finally {
      if (p.isAlive()) {
        p.destroy(); // SIGTERM: the script's trap stops its cluster
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
    }
    String text = Files.readString(log);
    System.err.println(text);
    assertTrue(finished, "cluster-local.sh did not finish within " + SCRIPT_SECONDS + " s");
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("cluster-local: ok:"), text);

    List<Long> pids = startedPids(text);
    assertTrue(pids.size() >= 3, "the master and two workers: " + pids);
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "PID " + pid + " still runs");
    }
    assertTrue(Outputs.summary(out).get("spark").get("master").asText().startsWith("spark://127.0.0.1:"));
    Outputs.assertSameResults(ref, out);
  }

  /** The PIDs the script reports: the master's, the workers' and any executors it stopped. */
  static List<Long> startedPids(String log) {
    List<Long> pids = new ArrayList<>();
    Matcher m = Pattern.compile("cluster stopped \\(PIDs ([0-9 ]+)(?:; executors ([0-9 ]+))?\\)").matcher(log);
    if (m.find()) {
      for (int g = 1; g <= 2; g++) {
        if (m.group(g) != null) {
          for (String s : m.group(g).trim().split(" +")) {
            pids.add(Long.parseLong(s));
          }
        }
      }
    }
    return pids;
  }

  private static boolean onPath(String exe) throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
