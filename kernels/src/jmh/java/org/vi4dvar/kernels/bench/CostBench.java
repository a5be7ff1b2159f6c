package org.vi4dvar.kernels.bench;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarCost;

/**
 * 4D-Var cost throughput on the talk's problem (nx 16, 16 states, 12 assimilated, y = x², drop 0.5), one
 * thread. Scores are per cost evaluation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2)
@Threads(1)
public class CostBench {

  /** Batch width of the batched evaluation. */
  @Param({"256"})
  public int nb;

  private FourDVarCost cost;
  private double[] x0;
  private double[] batch;
  private double[] jb;
  private double[] jo;
  private double[] grad;

  @Setup(Level.Trial)
  public void setUp() {
    Twin tw = TwinExperiment.generate(TwinConfig.talk(1));
    cost = new FourDVarCost(tw.problem());
    int nx = tw.problem().nx();
    RandomStream r = RandomStream.of(2, RandomStream.Domain.OTHER, 0);
    x0 = tw.problem().xb();
    batch = new double[nx * nb];
    for (int i = 0; i < nx; i++) {
      for (int b = 0; b < nb; b++) {
        batch[i * nb + b] = tw.problem().xb(i) + tw.problem().bStd(i) * r.nextGaussian();
      }
    }
    jb = new double[nb];
    jo = new double[nb];
    grad = new double[nx];
  }

  /** Batched cost: one invocation evaluates nb trials (scored per trial). */
  @Benchmark
  @OperationsPerInvocation(256)
  public void costBatch(Blackhole bh) {
    cost.costBatch(batch, nb, jb, jo);
    bh.consume(jo[nb - 1]);
  }

  /** One cost and gradient (forward + adjoint sweep). */
  @Benchmark
  public double costAndGradient() {
    return cost.costAndGradient(x0, grad);
  }

  /** One scalar cost (forward only). */
  @Benchmark
  public double cost() {
    return cost.cost(x0);
  }
}
