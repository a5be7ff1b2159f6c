package org.vi4dvar.kernels.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.abc.AbcSharedBound;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * The scenarios of {@link AbcBench} timed by <b>thread CPU time</b> instead of wall time: on this shared 2-core
 * machine a wall-clock benchmark measures the neighbours' load, while CPU time only loses to cache and memory
 * contention (so these rates are lower bounds of the quiet-machine rates, closer to them than wall time under
 * load). Not a JMH benchmark: a main, run with the jmh profile's test classpath
 * ({@code java -cp ... org.vi4dvar.kernels.bench.AbcCpuTime [threads] [repetitions]}). Prints, per scenario, the
 * median and best of the repetitions after two warm-up ones, in trials per CPU-second per thread.
 */
public final class AbcCpuTime {

  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private AbcCpuTime() {
  }

  /** A scenario: a config, the blocks of one call, whether the call shares a bound. */
  private record Scenario(String name, AbcConfig config, long blocksPerCall, boolean shared) {
  }

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    String only = args.length > 2 ? args[2] : "";
    FourDVarProblem p = TalkData.load().problem();
    List<Scenario> all = new ArrayList<>();
    for (boolean er : new boolean[] {true, false}) {
      String tag = er ? "on" : "off";
      all.add(new Scenario("talkRun 1e5 k=100, early rejection " + tag,
          AbcConfig.of(1, 100_000, 100).withEarlyRejection(er), 2, false));
      all.add(new Scenario("sweep 2^22 keep 1e-3, early rejection " + tag,
          AbcConfig.of(1, 1 << 22, 4194).withBlockSize(16384).withEarlyRejection(er), 256, false));
      all.add(new Scenario("sweep 2^22 keep 1e-6, early rejection " + tag,
          AbcConfig.of(1, 1 << 22, 4).withBlockSize(16384).withEarlyRejection(er), 256, false));
      all.add(new Scenario("task1e9 2^24 k=1000, early rejection " + tag,
          AbcConfig.of(1, 1 << 24, 1000).withBlockSize(16384).withEarlyRejection(er), 1024, false));
      all.add(new Scenario("task1e9Shared, early rejection " + tag,
          AbcConfig.of(1, 1_000_000_000L, 1000).withBlockSize(16384).withEarlyRejection(er), 1024, true));
      all.add(new Scenario("threshold 600 2^22 k=42, early rejection " + tag,
          AbcConfig.of(1, 1 << 22, 42).withBlockSize(16384).withThreshold(600.0).withEarlyRejection(er), 256,
          false));
    }
    System.out.println("# " + threads + " thread(s), " + reps + " repetitions, load at start "
        + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    for (Scenario s : all) {
      if (!s.name.contains(only)) {
        continue;
      }
      AbcSharedBound shared = new AbcSharedBound();
      long[] next = {0};
      double[] rates = new double[reps];
      double saved = 0;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      AbcSampler[] samplers = new AbcSampler[threads];
      for (int t = 0; t < threads; t++) {
        samplers[t] = new AbcSampler(p, s.config);
      }
      for (int r = 0; r < reps + 2; r++) {
        List<Future<double[]>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          final AbcSampler sm = samplers[t];
          final long first;
          synchronized (next) {
            first = s.shared ? next[0] % (s.config.blocks() - s.blocksPerCall) : 0;
            next[0] += s.blocksPerCall;
          }
          fs.add(pool.submit(() -> {
            long[] blocks = new long[(int) Math.min(s.blocksPerCall, s.config.blocks())];
            for (int i = 0; i < blocks.length; i++) {
              blocks[i] = first + i;
            }
            long t0 = MX.getCurrentThreadCpuTime();
            AbcResult res = s.shared ? sm.runBlocksShared(blocks, null, shared) : sm.runBlocks(blocks, null);
            double sec = (MX.getCurrentThreadCpuTime() - t0) * 1e-9;
            return new double[] {res.trials / sec, res.stepsSaved()};
          }));
        }
        double sum = 0;
        for (Future<double[]> f : fs) {
          double[] v = f.get();
          sum += v[0];
          saved = v[1];
        }
        if (r >= 2) {
          rates[r - 2] = sum / threads;
        }
      }
      pool.shutdown();
      Arrays.sort(rates);
      System.out.printf(Locale.ROOT, "%-48s median %.3g, best %.3g trials per CPU-s per thread; steps saved %.3f%n",
          s.name, rates[reps / 2], rates[reps - 1], saved);
    }
    System.out.println("# load at end " + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
        .trim());
  }
}
