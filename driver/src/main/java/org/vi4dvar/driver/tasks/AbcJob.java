package org.vi4dvar.driver.tasks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.vi4dvar.driver.spark.RunInputs;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.abc.AbcSharedBound;
import org.vi4dvar.kernels.abc.AbcTrialConsumer;
import org.vi4dvar.kernels.experiment.Parallel;

/**
 * ABC rejection on Spark. The trials are cut into fixed-size blocks (the kernel's unit of randomness:
 * block b draws from stream (seed, ABC_BLOCK, b)), independent of the partitioning; partition p of P evaluates
 * the contiguous blocks {@code [⌊B·p/P⌋, ⌊B·(p+1)/P⌋)} (equal shares, ±1 block) with one {@link AbcSampler}.
 * P is a multiple of {@link Jobs#taskMultiple()} (the default parallelism and {@code spark.partitions}), so that
 * no last task runs alone on a core, with at most {@link #TRIALS_PER_TASK} trials per task
 * ({@link Parallel#tasks}). Each task returns its partial
 * {@link AbcResult} (top-k, prior sample, per-block statistics, histogram); partials merge with
 * {@code treeAggregate} and {@link AbcResult#merge}, which is exact and order-independent. With early rejection,
 * the tasks of a job that run in the same executor JVM share one {@link AbcSharedBound} (a per-JVM registry keyed
 * by a random job key): a task starts from the bound of those before it instead of an empty top-k; the result is
 * the same, only the work changes. The driver holds
 * O(k + blocks) numbers, never the trials.
 *
 * <p>With a threshold, every accepted trial is written by its task to {@code acceptedDir/part-<first
 * block>.csv}: to a file named after the attempt, renamed into place when the task's blocks are done, so a
 * retried or re-run task rewrites the same file with the same content. The directory must be visible to every
 * executor (local and single-host clusters; a shared file system otherwise).
 */
public final class AbcJob {

  /** Trials per task above which a job gets more tasks than the parallelism, for progress and retries. */
  static final long TRIALS_PER_TASK = 1L << 24;

  /** Shared bounds of the last ABC jobs that ran tasks in this JVM, by job key (least recently used dropped). */
  private static final Map<String, AbcSharedBound> SHARED = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, AbcSharedBound> eldest) {
      return size() > 16;
    }
  };

  private AbcJob() {
  }

  /** This JVM's shared bound of the job {@code key} (created by its first task here). */
  static AbcSharedBound sharedBound(String key) {
    synchronized (SHARED) {
      return SHARED.computeIfAbsent(key, k -> new AbcSharedBound());
    }
  }

  /**
   * Runs ABC.
   *
   * @param jobs the run's jobs
   * @param cfg the kernel's ABC settings
   * @param acceptedDir where tasks write accepted trials (threshold mode), or null
   * @param label the job's name in progress lines
   */
  public static AbcResult run(Jobs jobs, AbcConfig cfg, Path acceptedDir, String label) {
    final long blocks = cfg.blocks();
    // a multiple of the parallelism (no last task alone on a core), at most TRIALS_PER_TASK trials per task
    final int parts = Parallel.tasks(blocks, jobs.taskMultiple(), Math.max(1, TRIALS_PER_TASK / cfg.blockSize),
        1);
    final int nx = jobs.in().problem().nx();
    final String dir = acceptedDir == null ? null : acceptedDir.toAbsolutePath().toString();
    if (dir != null) {
      try {
        Files.createDirectories(acceptedDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + acceptedDir, e);
      }
    }
    final var inputs = jobs.inputs();
    // tasks of this job that run in the same executor JVM share their bound (exact: see AbcSharedBound)
    final String boundKey = UUID.randomUUID().toString();
    JavaRDD<AbcResult> partials = jobs.sc().parallelize(Jobs.indices(parts), parts).map(p -> {
      RunInputs in = inputs.value();
      Faults.check(in, "abc");
      long lo = Parallel.shareStart(blocks, p, parts);            // equal shares, ±1 block
      long hi = Parallel.shareStart(blocks, p + 1, parts);
      long[] mine = new long[(int) (hi - lo)];
      for (int i = 0; i < mine.length; i++) {
        mine[i] = lo + i;
      }
      AbcSampler sampler = new AbcSampler(in.problem(), cfg);
      AbcSharedBound shared = sharedBound(boundKey);
      if (dir == null) {
        return sampler.runBlocksShared(mine, null, shared);
      }
      try (AcceptedWriter w = new AcceptedWriter(Path.of(dir), lo, nx)) {
        AbcResult r = sampler.runBlocksShared(mine, w, shared);
        w.commit();
        return r;
      }
    });
    AbcResult result;
    try (Progress progress = new Progress(jobs, label, parts, cfg.trials, "trials")) {
      result = partials.treeAggregate(AbcResult.empty(cfg, nx), AbcResult::merge, AbcResult::merge);
    }
    if (dir != null) {
      AcceptedWriter.removeAttemptFiles(acceptedDir);
    }
    return result;
  }

  /** Writes a task's accepted trials as CSV: {@code trial,distance,cost,x0_0,…}. */
  static final class AcceptedWriter implements AbcTrialConsumer, AutoCloseable {
    private final Path target;
    private final Path temp;
    private final BufferedWriter w;
    private final StringBuilder line = new StringBuilder();
    private boolean committed;

    AcceptedWriter(Path dir, long firstBlock, int nx) {
      TaskContext tc = TaskContext.get();
      String attempt = tc == null ? "local" : tc.stageId() + "-" + tc.partitionId() + "-" + tc.attemptNumber();
      this.target = dir.resolve(String.format(Locale.ROOT, "part-%012d.csv", firstBlock));
      this.temp = dir.resolve(String.format(Locale.ROOT, ".part-%012d.csv.%s", firstBlock, attempt));
      try {
        this.w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("trial,distance,cost");
        for (int i = 0; i < nx; i++) {
          h.append(",x0_").append(i);
        }
        w.write(h.append('\n').toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + temp, e);
      }
    }

    @Override
    public void accept(long trial, double distance, double cost, double[] x0) {
      line.setLength(0);
      line.append(trial).append(',').append(distance).append(',').append(cost);
      for (double v : x0) {
        line.append(',').append(v);
      }
      line.append('\n');
      try {
        w.write(line.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + temp, e);
      }
    }

    /**
     * Deletes the temporary files of attempts that died without cleaning up (an executor JVM killed mid-task leaves
     * its {@code .part-*} file); the job has succeeded, so every {@code part-*.csv} is complete.
     */
    static void removeAttemptFiles(Path dir) {
      try (var files = Files.newDirectoryStream(dir, ".part-*")) {
        for (Path f : files) {
          Files.deleteIfExists(f);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clean " + dir, e);
      }
    }

    void commit() {
      try {
        w.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot commit " + target, e);
      }
    }

    @Override
    public void close() {
      if (!committed) {
        try {
          w.close();
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // the attempt failed anyway; a leftover temp file starts with '.' and is ignored
        }
      }
    }
  }
}
