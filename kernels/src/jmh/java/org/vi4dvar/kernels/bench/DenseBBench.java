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
import org.openjdk.jmh.infra.Blackhole;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.var.CorrelationModel;
import org.vi4dvar.kernels.var.DenseTransform;

/**
 * Issue 12: the dense B½ at large nx. {@code factorise}: the Cholesky factorisation of a SOAR (L = 2)
 * correlation matrix of order n (single shot: each is seconds); {@code applyAndSolves}: one {@code B½ v},
 * one {@code B½ᵀ w}, and the two triangular solves of ∇Jb (what one cost-and-gradient evaluation adds).
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
public class DenseBBench {

  /** Order n = nx. */
  @Param({"1024", "2048", "4096"})
  public int n;

  private double[] c;
  private double[] l;
  private DenseTransform s;
  private double[] v;
  private double[] w;

  @Setup(Level.Trial)
  public void setUp() {
    c = CorrelationModel.SOAR.matrix(n, 2.0);
    l = new double[n * n];
    double[] std = new double[n];
    java.util.Arrays.fill(std, 1.0);
    s = DenseTransform.correlated(new double[n], std, CorrelationModel.SOAR, 2.0);
    v = new double[n];
    w = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.sin(i);
    }
  }

  /** Factorises C (n³/3 flops). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public int factorise() {
    return Cholesky.decomposeAt(n, c, l);
  }

  /** B½ v, B½ᵀ w, U⁻¹ d and U⁻ᵀ g (4 n² flops). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 2)
  public void applyAndSolves(Blackhole bh) {
    s.apply(v, w);
    bh.consume(w);
    s.applyTranspose(v, w);
    bh.consume(w);
    s.solve(v, w);
    bh.consume(w);
    s.solveTranspose(v, w);
    bh.consume(w);
  }
}
