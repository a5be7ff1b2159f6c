package org.vi4dvar.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit wrappers ({@code submit/standalone.sh}, {@code yarn.sh}, {@code k8s.sh}) without a cluster: an
 * unusable environment is one line on stderr and exit 2; otherwise they run {@code $SPARK_HOME/bin/spark-submit}
 * (here a stand-in that prints its arguments) with the main class, conf/spark-defaults.conf, the jar and the
 * vi4dvar command, the user's spark-submit options after the wrapper's.
 */
class SubmitScriptsTest {

  @TempDir
  Path tmp;

  Path root;
  Path fakeHome;

  /** The result of a script: exit code, stdout, stderr. */
  record Result(int code, String out, String err) {
    /** The arguments the stand-in spark-submit received, one per line. */
    List<String> args() {
      return out.lines().toList();
    }
  }

  @BeforeEach
  void fakeSparkHome() throws IOException {
    root = Path.of(System.getProperty("vi4dvar.root", "..")).toAbsolutePath().normalize();
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
        "needs bash");
    fakeHome = tmp.resolve("spark");
    Path bin = Files.createDirectories(fakeHome.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Result run(Map<String, String> env, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("submit").resolve(script).toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().remove("SPARK_HOME");
    pb.environment().remove("HADOOP_CONF_DIR");
    pb.environment().remove("YARN_CONF_DIR");
    pb.environment().remove("VI4DVAR_IMAGE");
    pb.environment().put("VI4DVAR_JAR", "/opt/vi4dvar.jar"); // never a build from a test
    pb.environment().putAll(env);
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void assertOneLineError(Result r, String script, String what) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith(script + ": error: ") && r.err().contains(what), r.err());
    assertEquals("", r.out());
  }

  @Test
  void withoutAUsableSparkHomeEveryWrapperSaysSoInOneLineAndExits2() throws Exception {
    String[][] calls = {{"standalone.sh", "spark://h:7077"}, {"yarn.sh"}, {"k8s.sh", "k8s://https://h:6443"}};
    for (String[] c : calls) {
      List<String> a = new ArrayList<>(Arrays.asList(c).subList(1, c.length));
      a.addAll(List.of("--", "run", "--out", "o"));
      String[] args = a.toArray(new String[0]);
      assertOneLineError(run(Map.of(), c[0], args), c[0], "SPARK_HOME is not set");
      assertOneLineError(run(Map.of("SPARK_HOME", tmp.resolve("nothing").toString()), c[0], args), c[0],
          "is not a Spark installation");
    }
  }

  @Test
  void standaloneSubmitsTheJarWithTheProjectsDefaultsAndTheUsersOptionsAfter() throws Exception {
    Result r = run(Map.of("SPARK_HOME", fakeHome.toString()), "standalone.sh", "spark://h:7077", "--executor-memory",
        "2g", "--driver-java-options", "-Xss4m", "--", "run", "--out", "/o", "--set", "abc.trials=10");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("--master", "spark://h:7077", "--class", "org.vi4dvar.driver.App",
        "--extra-properties-file", root.resolve("conf/spark-defaults.conf").toString(), "--conf",
        "spark.vi4dvar.program=" + root.resolve("submit/standalone.sh") + " spark://h:7077 --",
        "--driver-java-options",
        "-Dlog4j2.configurationFile=file:" + root.resolve("conf/log4j2.properties") + " -Xss4m",
        "--executor-memory", "2g", "/opt/vi4dvar.jar", "run", "--out", "/o", "--set", "abc.trials=10"), r.args());
    assertOneLineError(run(Map.of("SPARK_HOME", fakeHome.toString()), "standalone.sh", "--", "run"),
        "standalone.sh", "spark://HOST:PORT");
  }

  @Test
  void yarnNeedsTheHadoopConfigurationAndTakesBothDeployModes() throws Exception {
    Map<String, String> home = Map.of("SPARK_HOME", fakeHome.toString());
    assertOneLineError(run(home, "yarn.sh", "--", "run", "--out", "/o"), "yarn.sh", "HADOOP_CONF_DIR");
    Map<String, String> env = Map.of("SPARK_HOME", fakeHome.toString(), "HADOOP_CONF_DIR", tmp.toString());
    assertOneLineError(run(env, "yarn.sh", "--deploy-mode", "nowhere", "--", "run", "--out", "/o"), "yarn.sh",
        "--deploy-mode is client or cluster");
    Result c = run(env, "yarn.sh", "--deploy-mode", "cluster", "--", "run", "--out", "/o");
    assertEquals(0, c.code(), c.err());
    assertEquals(List.of("--master", "yarn", "--class", "org.vi4dvar.driver.App"), c.args().subList(0, 4));
    assertEquals(List.of("--deploy-mode", "cluster", "/opt/vi4dvar.jar", "run", "--out", "/o"),
        c.args().subList(c.args().size() - 6, c.args().size()));
    int at = c.args().indexOf("spark.yarn.maxAppAttempts=1");
    assertTrue(at > 0 && c.args().get(at - 1).equals("--conf") && at < c.args().indexOf("--deploy-mode"),
        "one attempt in cluster mode, before the user's options: " + c.args());
    assertTrue(c.args().stream().noneMatch(a -> a.contains("log4j2")), "no client-side log configuration for a "
        + "driver on a cluster node: " + c.args());
    Result r = run(env, "yarn.sh", "--queue", "q", "--", "run", "--out", "/o");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("--master", "yarn"), r.args().subList(0, 2));
    assertEquals(List.of("--queue", "q", "/opt/vi4dvar.jar", "run", "--out", "/o"),
        r.args().subList(r.args().size() - 6, r.args().size()));
  }

  @Test
  void kubernetesNeedsAnImage() throws Exception {
    Map<String, String> home = Map.of("SPARK_HOME", fakeHome.toString());
    assertOneLineError(run(home, "k8s.sh", "k8s://https://h:6443", "--", "run", "--out", "/o"), "k8s.sh",
        "VI4DVAR_IMAGE");
    Result r = run(Map.of("SPARK_HOME", fakeHome.toString(), "VI4DVAR_IMAGE", "img:1"), "k8s.sh",
        "k8s://https://h:6443", "--deploy-mode", "cluster", "--", "run", "--out", "/out/talk");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.args().contains("spark.kubernetes.container.image=img:1"), r.out());
    assertEquals(List.of("--deploy-mode", "cluster", "/opt/vi4dvar.jar", "run", "--out", "/out/talk"),
        r.args().subList(r.args().size() - 6, r.args().size()));
  }
}
