package org.vi4dvar.driver.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.spark.SparkProvider;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;
import org.vi4dvar.driver.testing.TestData;

/**
 * vi4dvar on a real YARN: Hadoop's MiniYARNCluster (ResourceManager and one NodeManager in this JVM; the
 * ApplicationMaster, the executors and, in cluster mode, the driver run as YARN containers, child processes of
 * this JVM), every listener on 127.0.0.1. The packaged application jar is submitted with Spark's own
 * {@code SparkSubmit} (a child JVM, as {@code submit/yarn.sh} would run it), in client and in cluster deploy
 * mode: the talk's experiment at reduced sizes gives the same bits as {@code local[2]}. In cluster mode the driver
 * returns normally from {@code App.main} (the application SUCCEEDED on its first attempt), and a bad input ends
 * it FAILED with vi4dvar's exit code 2, not re-attempted, nothing written.
 *
 * <p>As Spark's own YarnClusterSuite: the containers get this JVM's classpath (the Spark and Hadoop jars from
 * ~/.m2; {@code spark.yarn.jars} points to a placeholder), plus the application jar that spark-submit ships.
 * Profile {@code -Pyarn} (driver/pom.xml).
 */
class YarnClusterTest {

  /** The talk's experiment at reduced sizes. */
  static final String[] SMALL = {"--set", "abc.trials=2000", "--set", "ensemble.members=4", "--set",
      "vi.iterations=300", "--set", "vi.restarts=2", "--set", "posterior.samples=50", "--set", "output.report=false"};

  /** Bound on one spark-submit (container starts on a loaded 2-core machine). */
  static final int SUBMIT_SECONDS = 600;

  @TempDir
  static Path tmp;

  static MiniYARNCluster yarn;
  static Path confDir;
  static Path ref;
  static Path appJar;
  static long startMillis;

  @BeforeAll
  static void startYarnAndTheReference() throws Exception {
    appJar = Path.of(System.getProperty("vi4dvar.app-jar", "target/none.jar")).toAbsolutePath();
    assumeTrue(Files.isRegularFile(appJar), "needs the packaged application jar (mvn -B -Pyarn verify): " + appJar);
    long t0 = System.nanoTime();
    YarnConfiguration conf = new YarnConfiguration();
    // as Spark's BaseYarnClusterSuite: no disk-full check; capacity-scheduler.xml is missing in the minicluster
    conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
    conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    // loopback only: every service binds 127.0.0.1 and advertises it
    conf.set("yarn.resourcemanager.hostname", "127.0.0.1");
    conf.set("yarn.resourcemanager.bind-host", "127.0.0.1");
    conf.set("yarn.nodemanager.hostname", "127.0.0.1");
    conf.set("yarn.nodemanager.bind-host", "127.0.0.1");
    conf.set("yarn.timeline-service.bind-host", "127.0.0.1");
    // room for an AM, a cluster-mode driver and two executors; JVMs exceed YARN's virtual-memory estimate
    conf.setInt("yarn.nodemanager.resource.memory-mb", 8192);
    conf.setInt("yarn.nodemanager.resource.cpu-vcores", 8);
    conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
    conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
    conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
    conf.setInt("yarn.resourcemanager.am.max-attempts", 2); // a System.exit would show as a second attempt
    yarn = new MiniYARNCluster("vi4dvar-yarn", 1, 1, 1);
    yarn.init(conf);
    yarn.start();
    assertTrue(yarn.waitForNodeManagersToConnect(60_000), "the NodeManager did not register within 60 s");
    Configuration c = yarn.getConfig();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (c.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) { // MiniYARNCluster sets the port late
      assertTrue(System.nanoTime() < deadline, "the ResourceManager address was not set");
      Thread.sleep(100);
    }
    confDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
    try (OutputStream o = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
      c.writeXml(o);
    }
    Files.writeString(confDir.resolve("core-site.xml"), "<?xml version=\"1.0\"?>\n<configuration>\n"
        + "  <property><name>fs.defaultFS</name><value>file:///</value></property>\n</configuration>\n");
    System.err.printf("YarnClusterTest: MiniYARNCluster up in %.1f s, ResourceManager %s%n",
        (System.nanoTime() - t0) * 1e-9, c.get(YarnConfiguration.RM_ADDRESS));
    assertLoopbackOnly();

    ref = tmp.resolve("ref-local2");
    Cli r = Cli.run(SparkProvider.NEW_CONTEXT, concat(new String[] {"run", "--out", ref.toString(), "--master",
        "local[2]"}, SMALL));
    assertEquals(ExitCode.OK, r.code(), r.err());
    startMillis = System.currentTimeMillis();
  }

  @AfterAll
  static void stopYarnLeavingNoContainer() throws Exception {
    if (yarn == null) {
      return;
    }
    yarn.stop();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<ProcessHandle> left = containers();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      left = containers();
    }
    List<Long> killed = new ArrayList<>();
    for (ProcessHandle p : left) {
      killed.add(p.pid());
      p.destroyForcibly();
    }
    assertEquals(List.of(), killed, "container processes still running 30 s after YARN stopped");
  }

  @Test
  @Timeout(value = 900, unit = TimeUnit.SECONDS)
  void clientModeGivesTheSameBitsAsLocal() throws Exception {
    Path out = tmp.resolve("yarn-client");
    Submit s = submit("client", concat(new String[] {"run", "--out", out.toString()}, SMALL));
    assertEquals(0, s.code(), s.log());
    assertEquals("yarn", Outputs.summary(out).get("spark").get("master").asText());
    Outputs.assertSameResults(ref, out);
    ApplicationReport a = report(s.appId());
    assertEquals(FinalApplicationStatus.SUCCEEDED, a.getFinalApplicationStatus(), a.getDiagnostics());
    assertTrue(s.log().contains("rmse_a"), "the results table on the client's stdout");
  }

  @Test
  @Timeout(value = 900, unit = TimeUnit.SECONDS)
  void clusterModeReturnsNormallyAndGivesTheSameBitsAsLocal() throws Exception {
    Path out = tmp.resolve("yarn-cluster");
    Submit s = submit("cluster", concat(new String[] {"run", "--out", out.toString()}, SMALL));
    assertEquals(0, s.code(), s.log());
    ApplicationReport a = report(s.appId());
    assertEquals(FinalApplicationStatus.SUCCEEDED, a.getFinalApplicationStatus(), a.getDiagnostics());
    assertEquals(1, attempts(s.appId()), "one attempt: the driver did not exit the ApplicationMaster");
    assertEquals("yarn", Outputs.summary(out).get("spark").get("master").asText());
    Outputs.assertSameResults(ref, out);
  }

  @Test
  @Timeout(value = 900, unit = TimeUnit.SECONDS)
  void clusterModeBadInputFailsTheApplicationWithExitCode2OnceAndLeavesNothing() throws Exception {
    Path out = tmp.resolve("yarn-bad");
    Submit s = submit("cluster", "run", "--out", out.toString(), "--set", "model.nx=-3");
    assertTrue(s.code() != 0, "spark-submit reports the failed application: " + s.log());
    ApplicationReport a = report(s.appId());
    assertEquals(FinalApplicationStatus.FAILED, a.getFinalApplicationStatus());
    assertTrue(a.getDiagnostics().contains("exited with status 2"), a.getDiagnostics());
    assertEquals(1, attempts(s.appId()), "a failure with vi4dvar's exit code is final, not re-attempted");
    assertFalse(TestData.outputLeft(out), "nothing left");
  }

  // ------------------------------------------------------------------------------------------------------

  /** What one spark-submit did: exit code, its output, the YARN application it submitted. */
  record Submit(int code, String log, ApplicationId appId) {
  }

  /**
   * Runs {@code SparkSubmit --master yarn --deploy-mode MODE --class org.vi4dvar.driver.App APP_JAR args} in a
   * child JVM with this test's classpath (Spark, spark-yarn, Hadoop) and the MiniYARNCluster's configuration.
   */
  static Submit submit(String mode, String... args) throws Exception {
    Path log = Files.createTempFile(tmp, "submit-" + mode + "-", ".log");
    Path props = Files.createTempFile(tmp, "spark-", ".properties");
    String cp = clusterClassPath();
    Path fakeSparkJar = tmp.resolve("spark-placeholder.jar");
    if (!Files.exists(fakeSparkJar)) {
      Files.write(fakeSparkJar, new byte[0]);
    }
    String log4j = "-Dlog4j2.configurationFile=file:" + Path.of(System.getProperty("vi4dvar.root", ".."))
        .toAbsolutePath().normalize().resolve("conf/log4j2.properties");
    Properties p = new Properties();
    p.setProperty("spark.yarn.jars", "local:" + fakeSparkJar);
    p.setProperty("spark.driver.extraClassPath", cp);
    p.setProperty("spark.executor.extraClassPath", cp);
    p.setProperty("spark.yarn.am.extraClassPath", cp);
    p.setProperty("spark.driver.extraJavaOptions", log4j);
    p.setProperty("spark.executor.extraJavaOptions", log4j);
    p.setProperty("spark.yarn.am.extraJavaOptions", log4j);
    p.setProperty("spark.executor.instances", "2");
    p.setProperty("spark.executor.cores", "1");
    p.setProperty("spark.executor.memory", "768m");
    p.setProperty("spark.driver.memory", "768m");
    p.setProperty("spark.yarn.am.memory", "512m");
    p.setProperty("spark.driver.host", "127.0.0.1");
    p.setProperty("spark.driver.bindAddress", "127.0.0.1");
    p.setProperty("spark.ui.enabled", "false");
    p.setProperty("spark.yarn.appMasterEnv.SPARK_LOCAL_IP", "127.0.0.1");
    p.setProperty("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    p.setProperty("spark.yarn.submit.waitAppCompletion", "true");
    p.setProperty("spark.yarn.report.interval", "2s");
    p.setProperty("spark.yarn.maxAppAttempts", "1"); // what submit/yarn.sh sets in cluster mode
    for (var e : yarn.getConfig()) {
      p.setProperty("spark.hadoop." + e.getKey(), e.getValue());
    }
    if ("cluster".equals(mode)) {
      p.remove("spark.driver.host"); // the driver runs in the AM container: YARN's NodeManager host (127.0.0.1)
      p.remove("spark.driver.bindAddress");
    }
    try (var w = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
      p.store(w, "vi4dvar YarnClusterTest");
    }
    // the conf/spark-defaults.conf that submit/yarn.sh adds (Kryo registration)
    Path defaults = Path.of(System.getProperty("vi4dvar.root", "..")).toAbsolutePath().normalize()
        .resolve("conf/spark-defaults.conf");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(System.getProperty("vi4dvar.spark-jvm-flags", "").trim().split("\\s+")));
    cmd.add("-Xmx512m");
    cmd.add(log4j);
    cmd.addAll(List.of("-cp", confDir + File.pathSeparator + cp, "org.apache.spark.deploy.SparkSubmit",
        "--master", "yarn", "--deploy-mode", mode, "--class", "org.vi4dvar.driver.App", "--properties-file",
        props.toString(), "--extra-properties-file", defaults.toString(), appJar.toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HADOOP_CONF_DIR", confDir.toString());
    pb.environment().put("YARN_CONF_DIR", confDir.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_HOME");
    long t0 = System.nanoTime();
    Process proc = pb.start();
    boolean done = proc.waitFor(SUBMIT_SECONDS, TimeUnit.SECONDS);
    if (!done) {
      proc.descendants().forEach(ProcessHandle::destroyForcibly);
      proc.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    System.err.printf("YarnClusterTest: spark-submit --deploy-mode %s exited %s in %.1f s (load %s)%n", mode,
        done ? proc.exitValue() : "(killed)", (System.nanoTime() - t0) * 1e-9, loadAverage());
    assertTrue(done, "spark-submit did not finish within " + SUBMIT_SECONDS + " s:\n" + text);
    List<ApplicationReport> apps = applications();
    apps.removeIf(a -> seen.contains(a.getApplicationId()));
    assertEquals(1, apps.size(), "one new YARN application: " + apps + "\n" + text);
    ApplicationId id = apps.get(0).getApplicationId();
    seen.add(id);
    return new Submit(proc.exitValue(), text, id);
  }

  /** This JVM's classpath without vi4dvar's own classes (the application jar brings them, as on a cluster). */
  static String clusterClassPath() {
    String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(full.split(File.pathSeparator))
        .filter(e -> e.endsWith(".jar") && !e.contains("vi4dvar") && !e.contains("surefire"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** Applications already looked at. */
  static final java.util.Set<ApplicationId> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static List<ApplicationReport> applications() throws Exception {
    try (YarnClient c = YarnClient.createYarnClient()) {
      c.init(yarn.getConfig());
      c.start();
      return new ArrayList<>(c.getApplications());
    }
  }

  static ApplicationReport report(ApplicationId id) throws Exception {
    try (YarnClient c = YarnClient.createYarnClient()) {
      c.init(yarn.getConfig());
      c.start();
      return c.getApplicationReport(id);
    }
  }

  static int attempts(ApplicationId id) throws Exception {
    try (YarnClient c = YarnClient.createYarnClient()) {
      c.init(yarn.getConfig());
      c.start();
      return c.getApplicationAttempts(id).size();
    }
  }

  /** Container processes (AM, executors, cluster-mode drivers) among this JVM's descendants. */
  static List<ProcessHandle> containers() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> commandLine(p).contains("org.apache.spark.")).collect(Collectors.toList());
  }

  static String commandLine(ProcessHandle p) {
    Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
      }
    } catch (IOException e) {
      // gone
    }
    return p.info().commandLine().orElse("");
  }

  /**
   * Fails if a TCP socket of this JVM or its child processes listens beyond the loopback interface
   * (/proc/net/tcp and tcp6, restricted to the socket inodes among these processes' file descriptors).
   */
  static void assertLoopbackOnly() throws IOException {
    java.util.Set<String> inodes = new java.util.HashSet<>();
    List<ProcessHandle> procs = new ArrayList<>(List.of(ProcessHandle.current()));
    ProcessHandle.current().descendants().forEach(procs::add);
    for (ProcessHandle ph : procs) {
      Path fds = Path.of("/proc", Long.toString(ph.pid()), "fd");
      try (var s = Files.list(fds)) {
        for (Path fd : (Iterable<Path>) s::iterator) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")) {
              inodes.add(target.substring(8, target.length() - 1));
            }
          } catch (IOException e) {
            // closed meanwhile
          }
        }
      } catch (IOException e) {
        // gone, or /proc not available
      }
    }
    int listening = 0;
    for (String f : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path p = Path.of(f);
      if (!Files.isReadable(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p);
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.trim().split("\\s+");
        if (cols.length < 10 || !cols[3].equals("0A") || !inodes.contains(cols[9])) { // 0A: LISTEN
          continue;
        }
        listening++;
        String addr = cols[1].substring(0, cols[1].indexOf(':'));
        boolean loop = addr.equals("0100007F") // 127.0.0.1, little-endian
            || addr.equals("00000000000000000000000001000000") // ::1
            || addr.equals("0000000000000000FFFF00000100007F"); // ::ffff:127.0.0.1
        assertTrue(loop, "a socket of the test listens beyond the loopback interface: " + line.trim());
      }
    }
    System.err.println("YarnClusterTest: " + listening + " listening sockets, all on 127.0.0.1");
    assertTrue(listening >= 3, "the ResourceManager and NodeManager listen: " + listening);
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
