package org.vi4dvar.kernels.bench;

import java.util.Arrays;
import java.util.Locale;
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
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.ViStarts;
import org.vi4dvar.kernels.testing.WhitenedCost;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.vi.VariationalConfig;
import org.vi4dvar.kernels.vi.VariationalFamily;
import org.vi4dvar.kernels.vi.VariationalInference;
import org.vi4dvar.kernels.vi.VariationalResult;
import org.vi4dvar.kernels.vi.ViStart;

/**
 * Issue 12: one VI restart to convergence with the defaults of {@link VariationalConfig} (path-derivative
 * gradients, 8 samples per step in antithetic pairs, plateau levels, averaging, the ELBO-window test, 4000 final
 * samples) on the talk's data, from the Laplace approximation at the minimum L-BFGS reaches from the truth
 * ({@code laplace}) or from a tenth of the prior's scale at the same point ({@code fraction}); one thread. The
 * restart index varies (mod 64), so the time averages over the iteration counts of 64 restarts. {@link #main}
 * prints those counts, stop reasons and ELBOs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
@Threads(1)
public class ViConvergenceBench {

  /** The family. */
  @Param({"MEAN_FIELD", "FULL_RANK"})
  public VariationalFamily family;

  /** The start: laplace or fraction. */
  @Param({"laplace", "fraction"})
  public String start;

  private VariationalInference vi;
  private ViStart st;
  private long restart;

  /** The Laplace start at the minimum reached from the truth (as in TalkViTest). */
  static ViStart laplaceStart(WhitenedCost f) {
    Twin tw = TalkData.load();
    double[] vt = new double[16];
    f.transform().toWhitened(Arrays.copyOf(tw.truth(), 16), new double[16], vt);
    return ViStarts.laplace(f, vt);
  }

  @Setup(Level.Trial)
  public void setUp() {
    WhitenedCost f = new WhitenedCost(TalkData.load().problem());
    ViStart lap = laplaceStart(f);
    st = "laplace".equals(start) ? lap : ViStart.isotropic(lap.mean(), 0.1);
    vi = new VariationalInference(f, f.transform(), VariationalConfig.builder(1).family(family).build());
  }

  /** One restart to convergence and its final ELBO. */
  @Benchmark
  public VariationalResult restart() {
    return vi.run(restart++ & 63, st);
  }

  /**
   * Iterations, stop reasons and ELBOs of restarts 0–63 for each family and start. (The "before" rows of
   * BENCHMARKS.md came from the talk's VI, {@code Vi4dVar}, removed after commit 2886da8.)
   */
  public static void main(String[] args) {
    if (args.length > 0 && "cpu".equals(args[0])) {
      cpuTimes();
      return;
    }
    WhitenedCost f = new WhitenedCost(TalkData.load().problem());
    ViStart lap = laplaceStart(f);
    for (String s : new String[] {"laplace", "fraction"}) {
      ViStart st = "laplace".equals(s) ? lap : ViStart.isotropic(lap.mean(), 0.1);
      for (VariationalFamily fam : new VariationalFamily[] {VariationalFamily.MEAN_FIELD,
          VariationalFamily.FULL_RANK}) {
        VariationalInference vi = new VariationalInference(f, f.transform(),
            VariationalConfig.builder(1).family(fam).build());
        int[] it = new int[64];
        double[] elbo = new double[64];
        int converged = 0;
        double se = 0;
        for (int r = 0; r < 64; r++) {
          VariationalResult res = vi.run(r, st);
          it[r] = res.iterations;
          elbo[r] = res.elbo;
          se += res.elboStdErr / 64;
          converged += res.converged() ? 1 : 0;
        }
        int[] sorted = it.clone();
        Arrays.sort(sorted);
        double[] es = elbo.clone();
        Arrays.sort(es);
        System.out.printf(Locale.ROOT, "%-8s %-10s converged %d/64, iterations median %d (min %d, max %d), "
            + "ELBO median %.3f (min %.3f, max %.3f), mean s.e. %.3f%n", s, fam.configName(), converged,
            sorted[32], sorted[0], sorted[63], es[32], es[0], es[63], se);
      }
    }
  }

  /**
   * CPU time per restart (this thread's, so time slices lost to other processes on a loaded machine do not count;
   * shared caches and turbo still do): warm-up restarts, then restarts 0–63 (0–7 for flows) of the engine from the
   * laplace start. Run with the argument {@code cpu}.
   */
  static void cpuTimes() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    WhitenedCost f = new WhitenedCost(TalkData.load().problem());
    ViStart lap = laplaceStart(f);
    for (VariationalFamily fam : new VariationalFamily[] {VariationalFamily.MEAN_FIELD,
        VariationalFamily.FULL_RANK, VariationalFamily.FLOW}) {
      VariationalInference vi = new VariationalInference(f, f.transform(),
          VariationalConfig.builder(1).family(fam).build());
      int reps = fam == VariationalFamily.FLOW ? 8 : 64;
      for (int r = 0; r < reps / 2; r++) {
        vi.run(100 + r, lap);
      }
      long t0 = mx.getCurrentThreadCpuTime();
      long it = 0;
      for (int r = 0; r < reps; r++) {
        it += vi.run(r, lap).iterations;
      }
      double ms = (mx.getCurrentThreadCpuTime() - t0) / (reps * 1e6);
      System.out.printf(Locale.ROOT, "after  %-15s %.1f ms CPU per restart (%d restarts, %.0f iterations on "
          + "average, %.1f µs per iteration)%n", fam.configName(), ms, reps, (double) it / reps,
          ms * 1e3 * reps / it);
    }
  }
}
