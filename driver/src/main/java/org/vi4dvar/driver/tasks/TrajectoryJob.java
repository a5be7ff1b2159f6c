package org.vi4dvar.driver.tasks;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.vi4dvar.driver.spark.RunInputs;
import org.vi4dvar.kernels.stats.PosteriorSampler;
import org.vi4dvar.kernels.stats.PosteriorTrajectories;

/**
 * Posterior trajectories on Spark: samples are cut into chunks of {@link #CHUNK}; a task draws its samples'
 * x0 ({@link PosteriorSampler}: sample s from its own stream) or takes given x0 (shipped as an MLlib
 * {@link DenseMatrix}, one row per sample), and propagates them through
 * the whole window (assimilated and forecast states) with {@link PosteriorTrajectories}. The driver assembles
 * the chunks in sample order.
 */
public final class TrajectoryJob {

  /** Samples per chunk (task element). */
  static final int CHUNK = 64;

  private TrajectoryJob() {
  }

  /** Draws samples {@code 0..count−1} from {@code sampler} and propagates them: sample-major trajectories. */
  public static double[] sample(Jobs jobs, PosteriorSampler sampler, int count) {
    return run(jobs, sampler, null, count);
  }

  /** Propagates the given x0 ({@code x0[s*nx + i]}, {@code count} of them): sample-major trajectories. */
  public static double[] propagate(Jobs jobs, double[] x0, int count) {
    return run(jobs, null, x0, count);
  }

  private static double[] run(Jobs jobs, PosteriorSampler sampler, double[] x0s, int count) {
    final int chunks = (count + CHUNK - 1) / CHUNK;
    final int parts = jobs.partitions(chunks);
    final var inputs = jobs.inputs();
    RunInputs top = jobs.in();
    final int nx = top.problem().nx();
    final int nStates = top.problem().nStates();
    final int len = nx * nStates;
    // given x0 go out with the tasks as an MLlib matrix, one row per sample (row-major: isTransposed)
    final DenseMatrix given = x0s == null ? null : new DenseMatrix(count, nx, x0s, true);
    JavaRDD<TrajectoryChunk> rdd = jobs.sc().parallelize(Jobs.indices(chunks), parts).map(c -> {
      RunInputs in = inputs.value();
      Faults.check(in, "trajectories");
      int first = c * CHUNK;
      int n = Math.min(CHUNK, count - first);
      double[] x0 = new double[n * nx];
      if (sampler != null) {
        sampler.sample(first, n, x0);
      } else {
        System.arraycopy(given.values(), first * nx, x0, 0, n * nx);
      }
      PosteriorTrajectories p = new PosteriorTrajectories(in.problem().model(), nStates);
      return new TrajectoryChunk(first, n, p.propagate(x0, n));
    });
    List<TrajectoryChunk> got = rdd.collect();
    double[] out = new double[count * len];
    for (TrajectoryChunk ch : got) {
      System.arraycopy(ch.traj, 0, out, (int) ch.first * len, ch.count * len);
    }
    return out;
  }
}
