package org.vi4dvar.driver.spark;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.vi4dvar.kernels.experiment.Job;
import scala.Tuple4;
import scala.collection.Iterator;

/**
 * Progress of a long job in units of work (trials, members, restarts, chains, twins), while its tasks run: each
 * task adds its finished units to an accumulator; running tasks' values reach the driver with the executors'
 * heartbeats ({@code spark.executor.heartbeatInterval}, set to a few seconds by {@link SparkSetup}) and are seen
 * here by a listener, finished tasks' values with their end. A line every {@link #INTERVAL_SECONDS} s (nothing
 * for shorter jobs): units done, rate, time left. A failed attempt's units are dropped (its retry counts them
 * again). Progress only: no result depends on it; the reporter stops before the job's result is returned.
 */
final class JobProgress extends SparkListener implements AutoCloseable {

  /** Seconds between progress lines. */
  static final int INTERVAL_SECONDS = 5;

  private final JavaSparkContext sc;
  private final Job job;
  private final double total;
  private final int tasks;
  private final long accumulatorId;
  private final Consumer<String> out;
  private final long t0 = System.nanoTime();
  private final Map<Long, Long> running = new ConcurrentHashMap<>();
  private final Map<Long, Long> finished = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  JobProgress(JavaSparkContext sc, Job job, long units, int tasks, LongAccumulator acc, Consumer<String> out) {
    this.sc = sc;
    this.job = job;
    this.total = job.itemsOf(units);
    this.tasks = tasks;
    this.accumulatorId = acc.id();
    this.out = out;
    sc.sc().addSparkListener(this);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vi4dvar-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::report, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
  }

  private Long value(scala.collection.Iterable<AccumulableInfo> infos) {
    Iterator<AccumulableInfo> it = infos.iterator();
    while (it.hasNext()) {
      AccumulableInfo a = it.next();
      if (a.id() == accumulatorId && a.update().isDefined()) {
        Object v = a.update().get();
        if (v instanceof Number) {
          return ((Number) v).longValue();
        }
      }
    }
    return null;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
    Iterator<Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>>> it =
        e.accumUpdates().iterator();
    while (it.hasNext()) {
      Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> u = it.next();
      Long v = value(u._4());
      if (v != null) {
        long taskId = ((Number) u._1()).longValue();
        if (!finished.containsKey(taskId)) {
          running.put(taskId, v);
        }
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    long taskId = end.taskInfo().taskId();
    running.remove(taskId);
    if (end.reason() == Success$.MODULE$) {
      Long v = value(end.taskInfo().accumulables());
      finished.put(taskId, v == null ? 0L : v);
    }
  }

  private void report() {
    long units = 0;
    for (long v : finished.values()) {
      units += v;
    }
    for (long v : running.values()) {
      units += v;
    }
    double work = Math.min(total, (double) units * job.unitsPerUnit());   // the short last unit: see Job.items
    double seconds = (System.nanoTime() - t0) * 1e-9;
    double rate = work / seconds;
    if (work <= 0) {
      // no unit has reached the driver yet (the first heartbeat, or units longer than a heartbeat): no rate yet
      out.accept(String.format(Locale.ROOT, "%s: 0 of %s %s done so far (0/%d tasks done), running for %s",
          job.group(), count(total), job.unitName(), tasks, duration(seconds)));
      return;
    }
    String eta = duration(seconds * (total - work) / work);
    out.accept(String.format(Locale.ROOT, "%s: %s of %s %s (%d/%d tasks done), %.3g %s/s, about %s left",
        job.group(), count(work), count(total), job.unitName(), finished.size(), tasks, rate, job.unitName(), eta));
  }

  /** A count of units: whole numbers below 10⁶ as integers ("16 of 32 restarts"), larger ones as 1.00e+09. */
  static String count(double v) {
    if (v < 1e6 && v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  static String duration(double s) {
    return org.vi4dvar.kernels.experiment.Durations.of(s);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sc.sc().removeSparkListener(this);
  }
}
