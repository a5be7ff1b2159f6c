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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Where an ABC trial's time goes on the talk's problem (nx 16), per trial: the 16 Gaussian draws alone, the
 * draws through {@code problem.background()} into the state-major rows (what the sampler does before the cost),
 * and the batched cost of a 512-trial chunk without early rejection. Trials per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
@Threads(1)
public class AbcDrawBench {

  private static final int CHUNK = 512;

  private int nx;
  private ControlTransform background;
  private double[] xb;
  private double[] z;
  private double[][] zRows;
  private double[] sz;
  private double[][] x;
  private double[] jb;
  private double[] jo;
  private FourDVarCost cost;
  private RandomStream stream;

  @Setup(Level.Trial)
  public void setUp() {
    FourDVarProblem p = TalkData.load().problem();
    nx = p.nx();
    background = p.background();
    xb = background.centerVector();
    z = new double[nx];
    zRows = new double[nx][CHUNK];
    sz = new double[nx];
    x = new double[nx][CHUNK];
    jb = new double[CHUNK];
    jo = new double[CHUNK];
    cost = new FourDVarCost(p);
    stream = RandomStream.of(1, Domain.ABC_BLOCK, 0);
    for (int t = 0; t < CHUNK; t++) {
      stream.fillGaussian(z, 0, nx);
      background.apply(z, sz);
      for (int i = 0; i < nx; i++) {
        x[i][t] = xb[i] + sz[i];
      }
    }
  }

  /** 16 standard normals per trial (ziggurat on XoShiRo256++), one call per trial. */
  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public double gaussians() {
    double s = 0;
    for (int t = 0; t < CHUNK; t++) {
      stream.fillGaussian(z, 0, nx);
      s += z[t & 15];
    }
    return s;
  }

  /** The draws of a chunk as the sampler makes them: its Gaussians in one call, x0 = x_b + S z into the rows. */
  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public double[][] drawRows() {
    stream.fillGaussianColumns(zRows, nx, CHUNK);
    background.toControlRows(zRows, CHUNK, x);
    return x;
  }

  /** The same draws one trial at a time through {@code apply} (the sampler before this changes). */
  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public double[][] drawRowsPerTrial() {
    for (int t = 0; t < CHUNK; t++) {
      stream.fillGaussian(z, 0, nx);
      background.apply(z, sz);
      for (int i = 0; i < nx; i++) {
        x[i][t] = xb[i] + sz[i];
      }
    }
    return x;
  }

  /** The full batched cost of a chunk (11 RK4 steps and 12 observation terms per trial). */
  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public double[] costRows() {
    cost.costBatchRows(x, CHUNK, jb, jo);
    return jo;
  }
}
