package org.vi4dvar.driver.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Parallel;
import org.vi4dvar.kernels.experiment.RangeTask;
import org.vi4dvar.kernels.experiment.Shared;

/**
 * The kernel's {@link Parallel} on Spark: every {@link #run} is one Spark job of
 * {@link Parallel#tasks}{@code (units, parallelism, …)} tasks — a multiple of the parallelism, so no last task
 * runs alone on a core — task k computing its contiguous unit range, results collected in task order. Shared
 * values are broadcasts. Each job carries its method's job group and a description ({@code abc: trials
 * 0–1e+08}), so the Spark UI, event logs and the history server say what runs, and reports its progress in units
 * of work while its tasks run ({@link JobProgress}). With {@code debug.fail-first-attempt} every task throws on
 * its first attempt (a master that retries must then give the same bits).
 *
 * <p>No numerics here: the tasks are the kernel's.
 */
public final class SparkParallel implements Parallel {

  private final JavaSparkContext sc;
  private final int parallelism;
  private final boolean failFirstAttempt;
  private final Consumer<String> progress;

  /**
   * @param sc the context
   * @param parallelism tasks that run at once ({@code spark.partitions}, else Spark's default parallelism)
   * @param failFirstAttempt fault injection ({@code debug.fail-first-attempt})
   * @param progress receives the periodic progress lines of long jobs
   */
  public SparkParallel(JavaSparkContext sc, int parallelism, boolean failFirstAttempt, Consumer<String> progress) {
    this.sc = sc;
    this.parallelism = Math.max(1, parallelism);
    this.failFirstAttempt = failFirstAttempt;
    this.progress = progress;
  }

  @Override
  public int parallelism() {
    return parallelism;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return new BroadcastShared<>(sc.broadcast(value));
  }

  @Override
  public <T, R extends Serializable> List<Part<R>> run(Job job, Shared<T> shared, long units,
      RangeTask<T, R> task) {
    return execute(job, shared, units, task, null);
  }

  /** Merged with Spark's {@code reduce}: task results come to the driver one by one and are merged at once. */
  @Override
  public <T, R extends Serializable> R runAndMerge(Job job, Shared<T> shared, long units, RangeTask<T, R> task,
      Merge<R> merge) {
    return execute(job, shared, units, task, merge).get(0).value;
  }

  /**
   * Runs units {@code [0, units)} as {@link #runAndMerge} does (one Spark job, the same tasks), and the rows the
   * tasks hand over are written by those tasks as one Parquet table at {@code uri}, through Spark SQL's
   * DataFrame writer — so through Hadoop's FileSystem, on whatever file system {@code uri} names, under Spark's
   * file commit protocol: each task attempt writes into its own temporary directory, a task's files are moved
   * in when it succeeds, the job's when every task has, so a failed, retried or lost attempt leaves nothing;
   * nothing is at {@code uri} unless the job succeeded. Afterwards task k's file is {@code part-<k>.parquet}
   * (5 digits; a task without rows has none), beside Spark's empty {@code _SUCCESS}. The tasks' results are
   * merged on the driver as they end ({@link MergeAccumulator}: each partition's successful attempt once).
   *
   * @param schema the table's columns
   * @param uri a directory that must not exist yet (a URI, e.g. {@code file:/...}, {@code hdfs://...})
   */
  public <T, R extends Serializable> R runAndMergeWriting(Job job, Shared<T> shared, long units,
      RowTask<T, R> task, Merge<R> merge, StructType schema, String uri) {
    final int tasks = Parallel.tasks(units, parallelism, job.maxUnitsPerTask(), job.minTasks());
    final long n = units;
    final boolean fail = failFirstAttempt;
    final String name = job.group();
    List<Integer> idx = taskIndices(tasks);
    LongAccumulator done = sc.sc().longAccumulator(name + ": " + job.unitName() + " done");
    MergeAccumulator<R> results = new MergeAccumulator<>(merge);
    sc.sc().register(results);
    sc.setJobGroup(job.group(), job.description(), false);
    sc.setCallSite(job.description());
    try {
      JavaRDD<Row> rows = sc.parallelize(idx, tasks).mapPartitions(it -> {
        int k = it.next();
        failFirstAttemptIf(fail, name);
        long lo = Parallel.shareStart(n, k, tasks);
        long hi = Parallel.shareStart(n, k + 1, tasks);
        return new RowBridge<R>(task, shared.get(), lo, hi, done::add, r -> results.add(new Part<>(lo, hi, r)));
      });
      SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
      try (JobProgress p = new JobProgress(sc, job, units, tasks, done, progress)) {
        spark.createDataFrame(rows, schema).write().mode(SaveMode.ErrorIfExists)
            // the doubles of random trials do not compress; no codec means no native library either
            .option("compression", "none")
            // file:// without Hadoop's .crc side files (as HadoopTree), on the driver and the executors
            .option("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem")
            .option("fs.file.impl.disable.cache", "true")
            .parquet(uri);
      }
      Part<R> all = results.value();
      if (all == null || all.lo != 0 || all.hi != units) {
        throw new IllegalStateException(name + ": the tasks' results cover units " + (all == null ? "none"
            : "[" + all.lo + ", " + all.hi + ")") + " of [0, " + units + ")");
      }
      renameParts(uri);
      return all.value;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot name the files of " + uri, e);
    } finally {
      sc.clearCallSite();
      sc.clearJobGroup();
    }
  }

  /** Spark's {@code part-00003-<job uuid>-c000.parquet} becomes {@code part-00003.parquet}: the same names every run. */
  private void renameParts(String uri) throws java.io.IOException {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration(sc.hadoopConfiguration());
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.setBoolean("fs.file.impl.disable.cache", true);
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri);
    org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
    java.util.regex.Pattern part = java.util.regex.Pattern.compile("part-(\\d+)-.*\\.parquet");
    for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(dir)) {
      java.util.regex.Matcher m = part.matcher(f.getPath().getName());
      if (m.matches()) {
        String to = String.format(java.util.Locale.ROOT, "part-%05d.parquet", Integer.parseInt(m.group(1)));
        if (!fs.rename(f.getPath(), new org.apache.hadoop.fs.Path(dir, to))) {
          throw new java.io.IOException("cannot rename " + f.getPath() + " to " + to);
        }
      }
    }
  }

  private <T, R extends Serializable> List<Part<R>> execute(Job job, Shared<T> shared, long units,
      RangeTask<T, R> task, Merge<R> merge) {
    final int tasks = Parallel.tasks(units, parallelism, job.maxUnitsPerTask(), job.minTasks());
    final long n = units;
    final boolean fail = failFirstAttempt;
    final String name = job.group();
    List<Integer> idx = taskIndices(tasks);
    LongAccumulator done = sc.sc().longAccumulator(name + ": " + job.unitName() + " done");
    sc.setJobGroup(job.group(), job.description(), false);
    // the stage's name in the UI and event log: the job's description, not "collect at SparkParallel.java"
    sc.setCallSite(job.description());
    try {
      JavaRDD<Part<R>> rdd = sc.parallelize(idx, tasks).map(k -> {
        failFirstAttemptIf(fail, name);
        long lo = Parallel.shareStart(n, k, tasks);
        long hi = Parallel.shareStart(n, k + 1, tasks);
        return new Part<>(lo, hi, task.run(shared.get(), lo, hi, done::add));
      });
      try (JobProgress p = new JobProgress(sc, job, units, tasks, done, progress)) {
        if (merge != null) {
          Part<R> all = rdd.reduce((a, b) -> new Part<>(Math.min(a.lo, b.lo), Math.max(a.hi, b.hi),
              merge.apply(a.value, b.value)));
          return List.of(all);
        }
        // parallelize keeps the list's order across partitions: collect() is in task order
        return rdd.collect();
      }
    } finally {
      sc.clearCallSite();
      sc.clearJobGroup();
    }
  }

  /** The task indices 0 … tasks−1, one per partition. */
  private static List<Integer> taskIndices(int tasks) {
    List<Integer> idx = new ArrayList<>(tasks);
    for (int k = 0; k < tasks; k++) {
      idx.add(k);
    }
    return idx;
  }

  /** In a task: fails its first attempt when {@code debug.fail-first-attempt} is on (tests retries). */
  private static void failFirstAttemptIf(boolean fail, String name) {
    TaskContext tc = TaskContext.get();
    if (fail && tc != null && tc.attemptNumber() == 0) {
      throw new IllegalStateException("injected fault (debug.fail-first-attempt) in " + name + ", partition "
          + tc.partitionId() + ", attempt 0");
    }
  }
}
