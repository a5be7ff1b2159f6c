package org.vi4dvar.kernels.abc;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A pilot bound that the tasks of one ABC run share while they run in the same JVM (Spark tasks of one
 * executor, threads of {@code LocalParallel}): each task reads it before every chunk and, once per block, offers
 * the worst of its k kept pairs when that is better. Every pair ever held is therefore the k-th of k real trials
 * of the run, hence a valid {@link AbcBound}: the complete merged result is the same bit for bit whatever the
 * timing (see {@link AbcSampler#runBlocksShared}); only the work done, {@link AbcResult#stepsDone}, depends on it. A task that
 * starts after others have run begins with their bound instead of an empty top-k, which brings each task's bound
 * close to the run's own k-th best.
 *
 * <p>Must only be shared by samplers of the same run (same {@link AbcConfig} seed, trials, block size, k and
 * distance): a pair from another run is not a bound of this one. Thread-safe (one volatile reference, updated by
 * compare-and-set); never shipped (one per JVM and run).
 */
public final class AbcSharedBound {

  /** The shared bounds of the last sweeps that ran tasks in this JVM, by sweep key (least recently used dropped). */
  private static final java.util.Map<String, AbcSharedBound> SWEEPS = new java.util.LinkedHashMap<>(16, 0.75f,
      true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, AbcSharedBound> eldest) {
      return size() > 16;
    }
  };

  private final AtomicReference<AbcBound> best = new AtomicReference<>();

  /**
   * This JVM's shared bound of the sweep {@code key} (a key unique to one sweep, made where the sweep starts),
   * created by its first task here. A sweep whose entry was dropped (more than 16 sweeps since) only loses work.
   */
  public static AbcSharedBound forSweep(String key) {
    synchronized (SWEEPS) {
      return SWEEPS.computeIfAbsent(key, k -> new AbcSharedBound());
    }
  }

  /** No bound yet. */
  public AbcSharedBound() {
  }

  /** Starting from a pilot bound (may be null). */
  public AbcSharedBound(AbcBound pilot) {
    best.set(pilot);
  }

  /** The best (smallest) bound offered so far, or null. */
  public AbcBound current() {
    return best.get();
  }

  /** Keeps {@code b} if it is smaller than the current bound in the (distance, index) order. */
  public void offer(AbcBound b) {
    if (b == null) {
      return;
    }
    while (true) {
      AbcBound cur = best.get();
      if (cur != null && !TopK.less(b.distance, b.index, cur.distance, cur.index)) {
        return;
      }
      if (best.compareAndSet(cur, b)) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "AbcSharedBound[" + best.get() + "]";
  }
}
