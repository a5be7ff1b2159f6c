package org.vi4dvar.driver.tasks;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A periodic progress line for a long job: tasks done, work done, rate and time left, printed every
 * {@link #INTERVAL_SECONDS} s while the job runs (nothing for jobs shorter than that). Counts successful task
 * ends through a Spark listener; a retried task counts once. Progress only: no result depends on it.
 */
final class Progress implements AutoCloseable {

  /** Seconds between progress lines. */
  static final int INTERVAL_SECONDS = 5;

  private final Jobs jobs;
  private final String name;
  private final int tasks;
  private final double units;
  private final String unitName;
  private final long t0 = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private final SparkListener listener;
  private final ScheduledExecutorService timer;

  /**
   * @param jobs the run's jobs
   * @param name the job, e.g. {@code abc}
   * @param tasks tasks of the job
   * @param units work of the job (e.g. trials), spread evenly over the tasks
   * @param unitName e.g. {@code trials}
   */
  Progress(Jobs jobs, String name, int tasks, double units, String unitName) {
    this.jobs = jobs;
    this.name = name;
    this.tasks = tasks;
    this.units = units;
    this.unitName = unitName;
    this.listener = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() == Success$.MODULE$) {
          done.incrementAndGet();
        }
      }
    };
    jobs.sc().sc().addSparkListener(listener);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vi4dvar-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::report, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
  }

  private void report() {
    int d = Math.min(done.get(), tasks);
    double seconds = (System.nanoTime() - t0) * 1e-9;
    double work = units * d / tasks;
    double rate = work / seconds;
    String eta = d == 0 ? "unknown" : duration(seconds * (tasks - d) / d);
    jobs.progress(String.format(Locale.ROOT, "%s: %d/%d tasks, %.3g of %.3g %s, %.3g %s/s, about %s left",
        name, d, tasks, work, units, unitName, rate, unitName, eta));
  }

  static String duration(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    long m = (long) (s / 60);
    return String.format(Locale.ROOT, "%d min %02.0f s", m, s - 60 * m);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    jobs.sc().sc().removeSparkListener(listener);
  }
}
