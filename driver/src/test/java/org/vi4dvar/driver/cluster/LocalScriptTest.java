package org.vi4dvar.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit/local.sh}'s spark-submit options: {@code --conf KEY=VALUE} (repeatable, anywhere on the line)
 * becomes a {@code -D} system property, which SparkConf reads; {@code --driver-memory SIZE} becomes {@code -Xmx};
 * a bad one is one line and exit 2 before anything starts. First with a stand-in {@code java} that prints its
 * arguments, then end to end: a real run whose Spark event log (turned on and placed by {@code --conf}) records the
 * properties the SparkContext ran with.
 *
 * <p>Runs after {@code package} (the cluster-tests execution): it runs the packaged jar
 * ({@code VI4DVAR_SKIP_BUILD=1}: never a build from a test).
 */
class LocalScriptTest {

  @TempDir
  Path tmp;

  Path root;
  Path fakeJavaHome;

  /** exit code, stdout, stderr. */
  record Result(int code, String out, String err) {
  }

  @BeforeEach
  void setUp() throws IOException {
    root = Path.of(System.getProperty("vi4dvar.root", "..")).toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(root.resolve("driver/target/spark-classpath.txt"))
        && Files.isRegularFile(root.resolve("driver/target/jvm-flags.txt")),
        "needs the packaged application (run `mvn -B verify`)");
    fakeJavaHome = tmp.resolve("fake-jdk");
    Path bin = Files.createDirectories(fakeJavaHome.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("submit/local.sh").toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().put("VI4DVAR_SKIP_BUILD", "1");
    pb.environment().put("VI4DVAR_CDS", "0");
    pb.environment().remove("VI4DVAR_JAVA_OPTS");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "local.sh did not finish");
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Result fake(String... args) throws Exception {
    return run(Map.of("JAVA_HOME", fakeJavaHome.toString()), args);
  }

  @Test
  void confAndDriverMemoryBecomeSystemPropertiesAndTheHeapWhereverTheyAre() throws Exception {
    Result r = fake("--conf", "spark.ui.enabled=true", "run", "--out", "o", "--conf=spark.eventLog.dir=file:/x y",
        "--driver-memory", "2g", "--set", "--conf", "--set", "abc.trials=10");
    assertEquals(0, r.code(), r.err());
    List<String> a = r.out().lines().toList();
    int main = a.indexOf("org.vi4dvar.driver.LocalMain");
    assertTrue(main > 0, "LocalMain (exits with the code), not App: " + a);
    assertEquals(List.of("run", "--out", "o", "--set", "--conf", "--set", "abc.trials=10"),
        a.subList(main + 1, a.size()), "vi4dvar gets everything else, --set's value included");
    List<String> jvm = a.subList(0, main);
    assertTrue(jvm.contains("-Dspark.ui.enabled=true"), jvm.toString());
    assertTrue(jvm.contains("-Dspark.eventLog.dir=file:/x y"), jvm.toString());
    assertTrue(jvm.contains("-Xmx2g") && jvm.contains("-Dspark.driver.memory=2g"), jvm.toString());
    assertTrue(jvm.indexOf("-Xmx2g") > jvm.indexOf("-Dlog4j2.configurationFile=" + root.resolve(
        "conf/log4j2.properties")), "after the defaults");

    Result gb = fake("--driver-memory=512mb", "twin", "--out", "o");
    assertEquals(0, gb.code(), gb.err());
    assertTrue(gb.out().lines().anyMatch("-Xmx512m"::equals), gb.out());
  }

  @Test
  void aBadConfOrDriverMemoryIsOneLineAndExit2BeforeAnythingStarts() throws Exception {
    String[][] bad = {{"--conf", "spark.ui.enabled", "run", "--out", "o"}, {"run", "--out", "o", "--conf"},
        {"--conf", "ui.enabled=true", "run", "--out", "o"}, {"--conf=", "run"},
        {"--driver-memory", "lots", "run", "--out", "o"}, {"run", "--driver-memory"}};
    String[] expected = {"is not KEY=VALUE", "--conf needs KEY=VALUE", "is not a Spark property",
        "is not KEY=VALUE", "is not a size", "--driver-memory needs a size"};
    for (int i = 0; i < bad.length; i++) {
      Result r = fake(bad[i]);
      assertEquals(2, r.code(), Arrays.toString(bad[i]) + ": " + r.err());
      assertEquals("", r.out(), "java must not start: " + r.out());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("local.sh: error: ") && r.err().contains(expected[i]), r.err());
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("o")
          || p.getFileName().toString().startsWith(".o.")), "nothing left");
    }
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aConfValueReachesTheSparkConfOfARealRun() throws Exception {
    Path events = Files.createDirectories(tmp.resolve("events"));
    Path out = tmp.resolve("run");
    // plain JSON: Spark 4 compresses (zstd) event logs by default
    Result r = run(Map.of(), "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=file:"
        + events, "--conf", "spark.eventLog.compress=false", "--conf", "spark.app.name=vi4dvar-conf-check", "--driver-memory", "700m", "run", "--out",
        out.toString(), "--master", "local[2]", "--methods", "map", "--set", "map.starts=2", "--set",
        "posterior.samples=20", "--set", "output.report=false", "--set", "abc.trials=2000");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("summary.json")));
    List<Path> logs;
    try (Stream<Path> s = Files.list(events)) {
      logs = s.toList();
    }
    assertEquals(1, logs.size(), "one event log: " + logs);
    // Spark 4 rolls event logs by default: a directory eventlog_v2_<app id>/ of events_<n>_<app id> files
    StringBuilder text = new StringBuilder();
    try (Stream<Path> s = Files.walk(logs.get(0))) {
      for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
        text.append(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    String log = text.toString();
    assertTrue(log.contains("\"spark.app.name\":\"vi4dvar-conf-check\""), "the --conf value in SparkConf");
    assertTrue(log.contains("\"spark.driver.memory\":\"700m\""), "--driver-memory in SparkConf");
    assertTrue(log.contains("\"spark.kryo.registrationRequired\":\"true\""), "vi4dvar's own settings too");
    assertTrue(log.contains("\"spark.eventLog.compress\":\"false\""));
  }
}
