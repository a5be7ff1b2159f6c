package org.vi4dvar.kernels.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.testing.TalkData;

/**
 * ABC rejection on the talk's dataset: 100 000 prior trials (two blocks of 65 536, evaluated in chunks of
 * {@code chunk} trials), keep the k = 100 best by the observation misfit, with per-block statistics and the
 * histogram; one thread. Issue 3 target: ≤ 50 ms (the talk's code: 295 s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
@Threads(1)
public class AbcBench {

  /** Trials per batched cost call (does not change the result). */
  @Param({"256"})
  public int chunk;

  private AbcSampler sampler;
  private final long[] blocks = {0, 1};

  @Setup(Level.Trial)
  public void setUp() {
    sampler = new AbcSampler(TalkData.load().problem(), AbcConfig.of(1, 100_000, 100).withChunk(chunk));
  }

  /** 100 000 trials, top 100. */
  @Benchmark
  public AbcResult hundredThousandTrials() {
    return sampler.runBlocks(blocks, null);
  }
}
