package org.vi4dvar.kernels.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.abc.AbcSharedBound;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * ABC rejection on the talk's dataset, one task on one thread (run with {@code -t 2} for two threads, each on its
 * own sampler), with and without exact early rejection ({@code earlyRejection}); the scores are <b>trials per
 * second</b> (the whole sampler: prior draws, costs, selection, statistics subsample).
 * <ul>
 *   <li>{@link #talkRun}: the driver's default run, 100 000 trials keeping k = 100 (keep 10⁻³), in blocks of
 *       65 536 — the issue-3 figure (≤ 50 ms, i.e. ≥ 2·10⁶ trials/s), with its statistics subsample of 65 536
 *       trials evaluated in full;</li>
 *   <li>{@link #sweep}: a sweep of 2²² trials (blocks of 16 384, as the driver) keeping the fraction {@code keep}
 *       of them (k = 4194 at 10⁻³, k = 4 at 10⁻⁶): what one core does in a run where the bound is the run's own
 *       k-th best;</li>
 *   <li>{@link #task1e9}: one task of the driver's 10⁹-trial, keep-10⁻⁶ run: 2²⁴ trials keeping k = 1000, i.e. its
 *       own bound at the 6·10⁻⁵ quantile;</li>
 *   <li>{@link #task1e9Shared}: the same tasks in the driver's steady state, sharing one bound (see there);</li>
 *   <li>{@link #threshold}: threshold mode, 2²² trials, threshold 600 (≈ 10 % accepted, counted) and k = 42
 *       (keep 10⁻⁵), the BENCHMARKS threshold run.</li>
 * </ul>
 * The fraction of model steps saved is printed at the end of each trial ({@code # steps saved}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
@Threads(1)
public class AbcBench {

  private static final int SWEEP = 1 << 22;
  private static final int TASK = 1 << 24;
  private static final int TALK = 100_000;
  private static final int TASK_BLOCKS = TASK / 16384;
  private static final AbcConfig RUN_1E9 = AbcConfig.of(1, 1_000_000_000L, 1000).withBlockSize(16384);
  private static final AtomicLong NEXT_TASK = new AtomicLong();
  private static final AbcSharedBound SHARED = new AbcSharedBound();

  /** Exact early rejection on or off (the results are the same). */
  @Param({"true", "false"})
  public boolean earlyRejection;

  /** Kept fraction of {@link #sweep}. */
  @Param({"1e-3", "1e-6"})
  public double keep;

  /** Trials per batched cost call (does not change the result). */
  @Param({"512"})
  public int chunk;

  private AbcSampler talk;
  private AbcSampler sweep;
  private AbcSampler task;
  private AbcSampler thresh;
  private long[] talkBlocks;
  private long[] sweepBlocks;
  private long[] taskBlocks;
  private AbcSampler run1e9;
  private final long[] taskBlocksShared = new long[TASK_BLOCKS];
  private AbcResult last;

  private static long[] all(AbcConfig c) {
    long[] b = new long[(int) c.blocks()];
    for (int i = 0; i < b.length; i++) {
      b[i] = i;
    }
    return b;
  }

  @Setup(Level.Trial)
  public void setUp() {
    FourDVarProblem p = TalkData.load().problem();
    AbcConfig t = AbcConfig.of(1, TALK, 100).withChunk(chunk).withEarlyRejection(earlyRejection);
    talk = new AbcSampler(p, t);
    talkBlocks = all(t);
    AbcConfig s = AbcConfig.of(1, SWEEP, AbcConfig.keepCount(keep, SWEEP)).withBlockSize(16384).withChunk(chunk)
        .withEarlyRejection(earlyRejection);
    sweep = new AbcSampler(p, s);
    sweepBlocks = all(s);
    AbcConfig k = AbcConfig.of(1, TASK, 1000).withBlockSize(16384).withChunk(chunk)
        .withEarlyRejection(earlyRejection);
    task = new AbcSampler(p, k);
    taskBlocks = all(k);
    thresh = new AbcSampler(p, s.withKeep(AbcConfig.keepCount(1e-5, SWEEP)).withThreshold(600.0));
    run1e9 = new AbcSampler(p, RUN_1E9.withChunk(chunk).withEarlyRejection(earlyRejection));
  }

  @TearDown(Level.Trial)
  public void report() {
    if (last != null) {
      System.out.printf("%n# steps saved %.4f (%d of %d model steps computed), kept %d, k-th distance %.6g%n",
          last.stepsSaved(), last.stepsDone, last.stepsFull, last.kept(),
          last.kept() > 0 ? last.topDistance[last.kept() - 1] : Double.NaN);
    }
  }

  /** 100 000 trials, top 100 (the driver's defaults; independent of {@link #keep}). */
  @Benchmark
  @OperationsPerInvocation(TALK)
  public AbcResult talkRun() {
    return last = talk.runBlocks(talkBlocks, null);
  }

  /** 2²² trials keeping the fraction {@link #keep}. */
  @Benchmark
  @OperationsPerInvocation(SWEEP)
  public AbcResult sweep() {
    return last = sweep.runBlocks(sweepBlocks, null);
  }

  /** 2²⁴ trials keeping 1000 (one task of the 10⁹-trial driver run; independent of {@link #keep}). */
  @Benchmark
  @OperationsPerInvocation(TASK)
  public AbcResult task1e9() {
    return last = task.runBlocks(taskBlocks, null);
  }

  /**
   * The driver's 10⁹-trial, keep-10⁻⁶ run in its steady state: each call is the next task of 2²⁴ trials (1024
   * blocks of 16 384) of that run, and all tasks of the JVM — on every thread — share one bound, as the driver's
   * tasks do in one executor (after a first pass through the 61 036 blocks it starts again: the bound is then the
   * run's own k-th best). Independent of {@link #keep}.
   */
  @Benchmark
  @OperationsPerInvocation(TASK)
  public AbcResult task1e9Shared() {
    long first = NEXT_TASK.getAndAdd(TASK_BLOCKS) % (RUN_1E9.blocks() - TASK_BLOCKS);
    for (int i = 0; i < TASK_BLOCKS; i++) {
      taskBlocksShared[i] = first + i;
    }
    return last = run1e9.runBlocksShared(taskBlocksShared, null, SHARED);
  }

  /** Threshold 600 and k = 42 over 2²² trials (independent of {@link #keep}). */
  @Benchmark
  @OperationsPerInvocation(SWEEP)
  public AbcResult threshold() {
    return last = thresh.runBlocks(sweepBlocks, null);
  }
}
