package org.vi4dvar.driver.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.vi4dvar.kernels.experiment.TaskProgress;

/**
 * Turns a task that pushes its rows ({@link RowTask}) into the iterator Spark SQL's file writer pulls from, inside
 * one Spark task: the task function runs on a thread of its own and hands its rows over in batches through a
 * bounded queue (at most {@link #QUEUED} batches of {@link #BATCH} rows wait, whatever the number of rows). Its
 * result goes to {@code onResult} on the Spark task's thread once every row has been pulled; its exception is
 * rethrown there. When the Spark task ends in any way (the writer failed, the task was killed) the task function
 * is stopped at its next row or progress step.
 */
final class RowBridge<R> implements Iterator<Row> {

  /** Rows per batch. */
  static final int BATCH = 4096;
  /** Batches that may wait in the queue. */
  static final int QUEUED = 4;

  private static final long POLL_MS = 100;

  private static final class Done {
    final Object result;
    final Throwable failure;

    Done(Object result, Throwable failure) {
      this.result = result;
      this.failure = failure;
    }
  }

  /** Thrown in the task function's thread when the Spark task has ended. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("the Spark task ended", null, false, false);
    }
  }

  private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
  private final Consumer<R> onResult;
  private final TaskContext context;
  private volatile boolean stopped;
  private List<Row> batch = List.of();
  private int pos;
  private boolean finished;

  <T> RowBridge(RowTask<T, R> task, T shared, long lo, long hi, TaskProgress progress, Consumer<R> onResult) {
    this.onResult = onResult;
    this.context = TaskContext.get();
    if (context != null) {
      context.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> stopped = true);
    }
    Thread t = new Thread(() -> produce(task, shared, lo, hi, progress), "vi4dvar-rows-" + lo + "-" + hi);
    t.setDaemon(true);
    t.start();
  }

  private <T> void produce(RowTask<T, R> task, T shared, long lo, long hi, TaskProgress progress) {
    Done end;
    try {
      List<Row>[] filling = new List[] {new ArrayList<Row>(BATCH)};
      R r = task.run(shared, lo, hi, units -> {
        check();
        progress.add(units);
      }, row -> {
        check();
        filling[0].add(row);
        if (filling[0].size() == BATCH) {
          put(filling[0]);
          filling[0] = new ArrayList<>(BATCH);
        }
      });
      if (!filling[0].isEmpty()) {
        put(filling[0]);
      }
      end = new Done(r, null);
    } catch (Stopped e) {
      return;
    } catch (Throwable e) {
      end = new Done(null, e);
    }
    try {
      put(end);
    } catch (Stopped e) {
      // nobody is waiting any more
    }
  }

  private void check() {
    if (stopped) {
      throw new Stopped();
    }
  }

  private void put(Object o) {
    try {
      while (!queue.offer(o, POLL_MS, TimeUnit.MILLISECONDS)) {
        check();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopped();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean hasNext() {
    while (pos == batch.size()) {
      if (finished) {
        return false;
      }
      Object o;
      try {
        o = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        stopped = true;
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the task's rows", e);
      }
      if (o == null) {
        if (context != null) {
          context.killTaskIfInterrupted();
        }
        continue;
      }
      if (o instanceof Done d) {
        finished = true;
        batch = List.of();
        pos = 0;
        if (d.failure instanceof RuntimeException re) {
          throw re;
        }
        if (d.failure instanceof Error er) {
          throw er;
        }
        if (d.failure != null) {
          throw new IllegalStateException(d.failure);
        }
        onResult.accept((R) d.result);
        return false;
      }
      batch = (List<Row>) o;
      pos = 0;
    }
    return true;
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return batch.get(pos++);
  }
}
