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
import org.vi4dvar.kernels.map.FourDVarObjective;
import org.vi4dvar.kernels.map.LaplaceConfig;
import org.vi4dvar.kernels.map.LaplaceResult;
import org.vi4dvar.kernels.map.MapLaplace;
import org.vi4dvar.kernels.mcmc.ChainResult;
import org.vi4dvar.kernels.mcmc.McmcConfig;
import org.vi4dvar.kernels.mcmc.McmcSampler;
import org.vi4dvar.kernels.mcmc.SamplerKind;
import org.vi4dvar.kernels.mcmc.WarmupResult;
import org.vi4dvar.kernels.mcmc.WhitenedTarget;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * MCMC on the talk's own data ({@code conf/data/l96-talk}: nx 16, 16 states of which 12 assimilated, y = x²), one
 * thread: the whitened target's gradient (the sampler's unit of work) and the sampling phase of one chain, 1000
 * draws with the step size and dense metric frozen by a default warm-up (1000 iterations) from the MAP found from
 * the best of 10⁵ ABC trials. The gradients a sampling phase evaluates are printed at setup (a function of the
 * seed), so the time per gradient inside the sampler is the time per 1000 draws over that count.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2)
@Threads(1)
public class McmcBench {

  /** The MAP of the talk's posterior in v, and the whitened target. */
  static double[] mapInV(FourDVarProblem p) {
    AbcResult abc = new AbcSampler(p, AbcConfig.of(1, 100_000, 100)).runBlocks(new long[] {0, 1}, null);
    LaplaceResult map = new MapLaplace(p, LaplaceConfig.defaults()).run(abc.keptX(abc.keptByCost()[0]));
    double[] v = new double[16];
    for (int i = 0; i < 16; i++) {
      v[i] = (map.x0[i] - p.xb(i)) / p.bStd(i);
    }
    return v;
  }

  /** The target at the MAP. */
  @State(Scope.Thread)
  public static class Target {
    WhitenedTarget f;
    double[] v;
    double[] grad;

    @Setup(Level.Trial)
    public void setUp() {
      FourDVarProblem p = TalkData.load().problem();
      v = mapInV(p);
      grad = new double[16];
      f = new WhitenedTarget(new FourDVarObjective(new FourDVarCost(p)), p.background());
    }
  }

  /** A warmed-up chain. */
  @State(Scope.Thread)
  public static class Chain {
    /** The transition kernel. */
    @Param({"nuts", "hmc", "mala"})
    public String sampler;

    McmcSampler chain;
    WarmupResult warm;

    @Setup(Level.Trial)
    public void setUp() {
      FourDVarProblem p = TalkData.load().problem();
      McmcConfig cfg = McmcConfig.defaults(7).withSampler(SamplerKind.parse(sampler));
      chain = new McmcSampler(new WhitenedTarget(new FourDVarObjective(new FourDVarCost(p)), p.background()),
          cfg);
      warm = chain.warmup(0, mapInV(p));
      ChainResult r = chain.sample(warm);
      System.out.printf("%n[McmcBench %s] 1000 draws: %d gradients (%.1f per draw), step size %.4f, accept stat "
          + "%.3f, divergences %d%n", sampler, r.gradientEvaluations - r.warmupGradientEvaluations, r.meanSteps,
          r.stepSize, r.meanAcceptStat, r.divergences);
    }
  }

  /** One evaluation of f(v) = J(x_b + B½ v) and its gradient (forward + adjoint sweep + transform). */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public double gradient(Target t) {
    return t.f.valueAndGradient(t.v, t.grad);
  }

  /** The sampling phase of chain 0: 1000 draws (adaptation frozen). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public ChainResult thousandDraws(Chain c) {
    return c.chain.sample(c.warm);
  }
}
