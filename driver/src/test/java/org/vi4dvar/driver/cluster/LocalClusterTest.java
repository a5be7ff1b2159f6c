package org.vi4dvar.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.spark.SparkProvider;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;

/**
 * The same run on {@code local-cluster[2,1,1024]} (two executor JVMs, tasks and their results crossing process
 * boundaries through Kryo) gives the same bits as on {@code local[2]}: the talk's experiment at reduced sizes
 * (all four methods), the same with every task failing on its first attempt, and an ABC sweep in threshold mode
 * (tasks writing the accepted trials) during which one executor JVM is killed with SIGKILL — Spark reruns the
 * lost tasks, and recomputes the finished ones whose shuffle output died with the executor, so results must not
 * depend on attempts and nothing may be counted twice.
 *
 * <p>The {@code local[2]} references run first, each on its own context; then one cluster context serves every
 * test and is stopped at the end, which must leave no executor JVM behind.
 */
class LocalClusterTest {

  /** The talk's experiment at reduced sizes: the same as RunSparkTest.SMALL (a few seconds per run). */
  static final String[] SMALL = {"--set", "abc.trials=20000", "--set", "abc.block-size=2048", "--set",
      "ensemble.members=12", "--set", "vi.restarts=3", "--set", "vi.iterations=300", "--set", "map.starts=4",
      "--set", "posterior.samples=200", "--set", "output.report=false"};

  /**
   * An ABC sweep long enough to kill an executor in the middle (~5–10 s on two cores): 16 tasks of ~1.5·10⁶
   * trials, threshold mode with ~10³ accepted trials written by the tasks.
   */
  static final String[] ABC_SWEEP = {"--methods", "abc", "--set", "abc.trials=24000000", "--set",
      "spark.partitions=16", "--set", "abc.threshold=120", "--set", "abc.keep=1e-5", "--set",
      "posterior.samples=200", "--set", "output.report=false"};

  @TempDir
  static Path tmp;

  static Path refTalk;
  static Path refSweep;

  @BeforeAll
  static void referencesOnLocal2() {
    LocalCluster.requireLauncherEnvironment();
    refTalk = tmp.resolve("ref-talk");
    refSweep = tmp.resolve("ref-sweep");
    run(SparkProvider.NEW_CONTEXT, refTalk, "--master", "local[2]", SMALL);
    run(SparkProvider.NEW_CONTEXT, refSweep, "--master", "local[2]", ABC_SWEEP);
  }

  @AfterAll
  static void noExecutorJvmLeft() {
    List<Long> killed = LocalCluster.stop(Duration.ofSeconds(30));
    assertEquals(List.of(), killed, "executor JVMs still running 30 s after the cluster context stopped");
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void theTalkOnTwoExecutorJvmsGivesTheSameBitsAsLocal() {
    Path out = tmp.resolve("cluster-talk");
    Cli r = run(LocalCluster.provider(), out, "--master", LocalCluster.MASTER, SMALL);
    assertEquals(LocalCluster.MASTER, Outputs.summary(out).get("spark").get("master").asText());
    Outputs.assertSameResults(refTalk, out);
    for (String m : new String[] {"map", "abc", "ensemble", "vi"}) {
      assertTrue(r.out().contains(m), m + " in the table");
    }
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void everyTaskFailingOnItsFirstAttemptGivesTheSameBits() {
    Path out = tmp.resolve("cluster-retried");
    TaskWatch watch = TaskWatch.on(null);
    try {
      run(LocalCluster.provider(), out, "--master", LocalCluster.MASTER, concat(SMALL, "--set",
          "debug.fail-first-attempt=true"));
    } finally {
      watch.close();
    }
    assertTrue(watch.failures.stream().anyMatch(f -> f.contains("injected fault")), "tasks failed: "
        + watch.failures);
    Outputs.assertSameResults(refTalk, out, "config");
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void anExecutorJvmKilledMidSweepGivesTheSameBits() throws Exception {
    Path out = tmp.resolve("cluster-killed");
    // start the cluster (and its executors) before the sweep, so that the watch sees the sweep from its start
    LocalCluster.context(org.vi4dvar.driver.spark.SparkSetup.conf(LocalCluster.MASTER));
    TaskWatch watch = TaskWatch.on("abc: trials");
    ExecutorService killer = Executors.newSingleThreadExecutor();
    try {
      Future<Long> killed = killer.submit(() -> {
        watch.awaitMidStage(Duration.ofSeconds(240));
        List<ProcessHandle> executors = LocalCluster.executors();
        assertEquals(2, executors.size(), "two executor JVMs");
        ProcessHandle victim = executors.get(0);
        int doneAtKill = watch.succeeded.get();
        victim.destroyForcibly(); // SIGKILL
        System.err.printf("killed executor JVM %d with %d ABC tasks done and %d running%n", victim.pid(),
            doneAtKill, watch.running.get());
        return victim.pid();
      });
      run(LocalCluster.provider(), out, "--master", LocalCluster.MASTER, ABC_SWEEP);
      long pid = killed.get(10, TimeUnit.SECONDS);
      assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "executor " + pid + " is dead");
    } finally {
      killer.shutdownNow();
      watch.close();
    }
    assertTrue(watch.executorsRemoved.get() >= 1, "the cluster lost an executor");
    assertTrue(!watch.failures.isEmpty(), "the sweep lost tasks");
    System.err.println("ABC task failures after the kill: " + watch.failures);
    Outputs.assertSameResults(refSweep, out);
    JsonNode abc = Outputs.summary(out).get("methods").get("abc");
    assertEquals(24_000_000L, abc.get("counts").get("trials").asLong(), "every trial counted once");
    long accepted = abc.get("counts").get("accepted").asLong();
    assertEquals(accepted, acceptedRows(out), "every accepted trial written once");
    assertTrue(accepted > 0);
  }

  // ------------------------------------------------------------------------------------------------------

  private static Cli run(SparkProvider spark, Path out, String masterFlag, String master, String... rest) {
    List<String> a = new ArrayList<>(List.of("run", "--out", out.toString(), masterFlag, master));
    a.addAll(Arrays.asList(rest));
    Cli r = Cli.run(spark, a.toArray(new String[0]));
    assertEquals(ExitCode.OK, r.code(), master + ": " + r.err());
    return r;
  }

  private static String[] concat(String[] a, String... b) {
    String[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /**
   * Rows of the Parquet table abc/accepted (its part-NNNNN.parquet files and Spark's _SUCCESS only: no attempt's
   * leftovers, no _temporary), each trial once.
   */
  private static long acceptedRows(Path out) throws IOException {
    long rows = 0;
    java.util.Set<String> trials = new java.util.HashSet<>();
    try (Stream<Path> s = Files.list(out.resolve("abc/accepted"))) {
      for (Path f : (Iterable<Path>) s::iterator) {
        String name = f.getFileName().toString();
        if (name.equals("_SUCCESS")) {
          continue;
        }
        assertTrue(name.matches("part-\\d{5}\\.parquet"), "no attempt leftovers: " + name);
        for (String row : Outputs.parquetRows(f).split("\n")) {
          if (row.startsWith("trial: ")) {
            assertTrue(trials.add(row.substring(0, row.indexOf(' ', 7))), "a trial written twice: " + row);
            rows++;
          }
        }
      }
    }
    return rows;
  }

  /**
   * Watches the tasks of the cluster context's stages whose name (call site) contains a marker (all stages if
   * null): successes, running tasks, failure reasons, lost executors.
   */
  static final class TaskWatch extends SparkListener implements AutoCloseable {
    final String marker;
    final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger executorsRemoved = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();

    private TaskWatch(String marker) {
      this.marker = marker;
    }

    static TaskWatch on(String marker) {
      TaskWatch w = new TaskWatch(marker);
      LocalCluster.context(org.vi4dvar.driver.spark.SparkSetup.conf(LocalCluster.MASTER)).sc().addSparkListener(w);
      return w;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
      if (marker == null || e.stageInfo().name().contains(marker)) {
        stages.add(e.stageInfo().stageId());
      }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart e) {
      if (stages.contains(e.stageId())) {
        running.incrementAndGet();
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      if (stages.contains(e.stageId())) {
        running.decrementAndGet();
        if (e.reason() == Success$.MODULE$) {
          succeeded.incrementAndGet();
        } else {
          failures.add(e.reason().toString());
        }
      }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
      executorsRemoved.incrementAndGet();
    }

    /** Waits until at least two tasks of a watched stage succeeded while others still run. */
    void awaitMidStage(Duration limit) {
      long deadline = System.nanoTime() + limit.toNanos();
      while (!(succeeded.get() >= 2 && running.get() >= 1)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the ABC stage did not reach its middle within " + limit);
        }
        LocalCluster.sleep(20);
      }
    }

    @Override
    public void close() {
      if (LocalCluster.running()) {
        LocalCluster.context(null).sc().removeSparkListener(this);
      }
    }
  }
}
