package org.vi4dvar.kernels.experiment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link Parallel} in this JVM: the tasks of a job run on {@code threads} threads (1: in the calling thread), each
 * on its contiguous unit range, and their results come back in range order. Used by the kernel's tests, by
 * {@code calibrate} (one twin experiment per Spark task, its methods run here) and by anyone embedding the
 * kernel. {@link #withTasks} forces the number of tasks, to show that results do not depend on it.
 */
public final class LocalParallel implements Parallel {

  private final int threads;
  private final int forcedTasks;

  private LocalParallel(int threads, int forcedTasks) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.forcedTasks = forcedTasks;
  }

  /** Everything in the calling thread. */
  public static LocalParallel sequential() {
    return new LocalParallel(1, 0);
  }

  /** Tasks on {@code threads} threads. */
  public static LocalParallel threads(int threads) {
    return new LocalParallel(threads, 0);
  }

  /** The same, with every job cut into exactly {@code tasks} tasks (fewer if it has fewer units). */
  public LocalParallel withTasks(int tasks) {
    if (tasks < 1) {
      throw new IllegalArgumentException("tasks must be >= 1, got " + tasks);
    }
    return new LocalParallel(threads, tasks);
  }

  @Override
  public int parallelism() {
    return threads;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return Shared.of(value);
  }

  @Override
  public <T, R extends Serializable> List<Part<R>> run(Job job, Shared<T> shared, long units,
      RangeTask<T, R> task) {
    final int tasks = forcedTasks > 0 ? (int) Math.min(units, forcedTasks)
        : Parallel.tasks(units, threads, job.maxUnitsPerTask(), job.minTasks());
    final T in = shared.get();
    List<Part<R>> out = new ArrayList<>(tasks);
    if (threads == 1 || tasks == 1) {
      for (int k = 0; k < tasks; k++) {
        long lo = Parallel.shareStart(units, k, tasks);
        long hi = Parallel.shareStart(units, k + 1, tasks);
        out.add(new Part<>(lo, hi, task.run(in, lo, hi, TaskProgress.NONE)));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks), r -> {
      Thread t = new Thread(r, "vi4dvar-local-task");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> fs = new ArrayList<>(tasks);
      for (int k = 0; k < tasks; k++) {
        final long lo = Parallel.shareStart(units, k, tasks);
        final long hi = Parallel.shareStart(units, k + 1, tasks);
        fs.add(pool.submit(() -> task.run(in, lo, hi, TaskProgress.NONE)));
      }
      for (int k = 0; k < tasks; k++) {
        out.add(new Part<>(Parallel.shareStart(units, k, tasks), Parallel.shareStart(units, k + 1, tasks),
            fs.get(k).get()));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
  }
}
