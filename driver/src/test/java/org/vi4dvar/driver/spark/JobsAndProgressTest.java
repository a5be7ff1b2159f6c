package org.vi4dvar.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/**
 * Issue 17 §2: what a run's Spark jobs say of themselves, seen by a listener as the UI, the event log and the
 * history server see them (job group per method, one-line description, stage names that are not call sites),
 * and the progress of a long job in units of work while its first tasks still run.
 */
class JobsAndProgressTest extends SharedSpark {

  @TempDir
  Path tmp;

  /** Records every job's group and description and every stage's name. */
  static final class Jobs extends SparkListener {
    final Map<Integer, String[]> jobs = new ConcurrentHashMap<>();
    final List<String> stages = new CopyOnWriteArrayList<>();

    @Override
    public void onJobStart(SparkListenerJobStart e) {
      java.util.Properties p = e.properties();
      jobs.put(e.jobId(), new String[] {p == null ? null : p.getProperty("spark.jobGroup.id"),
          p == null ? null : p.getProperty("spark.job.description")});
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
      stages.add(e.stageInfo().name());
    }
  }

  @Test
  void everyJobOfARunCarriesItsMethodsGroupAndADescription() throws Exception {
    Jobs l = new Jobs();
    sc().sc().addSparkListener(l);
    try {
      // threshold mode: the sweep is the Parquet write job of Spark SQL
      Cli r = Cli.run(sharedProvider(), "run", "--out", tmp.resolve("o").toString(), "--data",
          TestData.talkDir().toString(), "--methods", "abc,vi", "--set", "abc.trials=20000", "--set",
          "abc.threshold=600", "--set", "vi.restarts=2", "--set", "vi.iterations=300", "--set",
          "posterior.samples=50", "--set", "output.report=false");
      assertEquals(ExitCode.OK, r.code(), r.err());
      sc().sc().listenerBus().waitUntilEmpty();
    } finally {
      sc().sc().removeSparkListener(l);
    }
    assertFalse(l.jobs.isEmpty());
    boolean abc = false;
    boolean vi = false;
    for (String[] j : l.jobs.values()) {
      assertTrue(j[0] != null && !j[0].isBlank() && j[1] != null && !j[1].isBlank(),
          "a job without a group or a description: " + java.util.Arrays.toString(j));
      abc |= j[0].equals("abc") && j[1].equals("abc: trials 0–2.00e+04");
      vi |= j[0].equals("vi") && j[1].startsWith("vi: ") && j[1].contains("restart");
    }
    assertTrue(abc, "the ABC sweep (the Parquet write) is job group abc, 'abc: trials 0–2.00e+04': " + describe(l));
    assertTrue(vi, "VI's restarts are job group vi: " + describe(l));
    for (String s : l.stages) {
      assertFalse(s.contains(".java:") || s.contains(".scala:"), "a stage named after a call site: " + s);
    }
  }

  private static String describe(Jobs l) {
    StringBuilder b = new StringBuilder();
    l.jobs.forEach((k, v) -> b.append(k).append('=').append(java.util.Arrays.toString(v)).append(' '));
    return b.toString();
  }

  /**
   * A 6·10⁷-trial ABC on local[2] evaluated in full (early rejection off: with it, 3·10⁷ trials ended in 4.7 s,
   * before the first 5-second progress tick), with and without a threshold (two tasks of 3·10⁷ trials, each
   * 8–20 s on this machine): its progress
   * lines give trials done, the rate and the time left while no task has finished yet ("0/2 tasks done") —
   * running tasks' counts reach the driver with the executors' heartbeats.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "abc.threshold={0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"null", "300"})
  void aLongAbcPrintsItsRateAndTimeLeftBeforeItsFirstTaskEnds(String threshold) {
    // threshold 300: the sweep is the Parquet write job (about 1 % of the trials accepted)
    Cli r = Cli.run(sharedProvider(), "run", "--out", tmp.resolve("long").toString(), "--data",
        TestData.talkDir().toString(), "--methods", "abc", "--set", "abc.trials=60000000", "--set",
        "abc.early-rejection=false", "--set",
        "abc.keep=1e-5", "--set", "abc.threshold=" + threshold, "--set", "posterior.samples=20", "--set",
        "output.report=false");
    assertEquals(ExitCode.OK, r.code(), r.err());
    Pattern line = Pattern.compile("vi4dvar: abc: ([0-9.e+]+) of 6\\.00e\\+07 trials \\(0/(\\d+) tasks done\\), "
        + "([0-9.e+]+) trials/s, about (.+) left");
    int before = 0;
    for (String l : r.err().split("\\R")) {
      Matcher m = line.matcher(l);
      if (m.matches() && Double.parseDouble(m.group(1)) > 0 && Double.parseDouble(m.group(3)) > 0
          && !m.group(4).contains("unknown")) {
        before++;
      }
    }
    assertFalse(r.err().contains("unknown"), "no 'about unknown left':\n" + r.err());
    assertTrue(before > 0, "a progress line with trials done, rate and time left before any task ended:\n"
        + r.err());
  }
}
