package org.vi4dvar.kernels.calibrate;

import java.util.ArrayList;
import java.util.List;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.ExperimentListener;
import org.vi4dvar.kernels.experiment.ExperimentResult;
import org.vi4dvar.kernels.experiment.ExperimentRunner;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.LocalParallel;
import org.vi4dvar.kernels.experiment.MethodResult;
import org.vi4dvar.kernels.experiment.Parallel;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinExperiment;

/**
 * Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari &amp; Gelman 2018): N independent twin
 * experiments, each with its own truth, observations, mask and background, each running the selected methods;
 * {@link CalibrationStatistics} then asks of every method whether its intervals are what they claim.
 *
 * <p>Twin k runs the twin settings with the seed {@code seed_k = RandomStream(seed, CALIBRATE_TWIN, k).nextLong()}
 * — for its data and for every random stream of its methods — so twin k depends on neither N nor the
 * partitioning, and {@code twin}/{@code run} with {@code seed = seed_k} and the same settings reproduce it. The
 * twins are the units of one {@link Parallel} job (several per task when they are small); inside its task a twin
 * runs the whole {@link ExperimentRunner} cascade on {@link LocalParallel#sequential()}, and the per-twin results
 * come back in twin order. Each twin is a pure function of (settings, master seed, k): any partitioning and any
 * retry give the same bits (but for the wall-clock seconds).
 */
public final class Calibration {

  /** The job group (Spark UI, progress lines). */
  public static final String GROUP = "calibrate";

  private Calibration() {
  }

  /** The seed of twin k under the master seed. */
  public static long twinSeed(long masterSeed, long k) {
    return RandomStream.of(masterSeed, Domain.CALIBRATE_TWIN, k).nextLong();
  }

  /**
   * Runs twins {@code [0, N)}.
   *
   * @param in the twin settings, master seed, N and extension
   * @param parallel where the twins run (one Spark job: units = twins)
   * @param maxTwinsPerTask the largest number of twins in one task (≥ 1; see {@link #twinsPerTask})
   * @return one result per twin, in twin order
   */
  public static List<TwinResult> run(CalibrationInputs in, Parallel parallel, long maxTwinsPerTask) {
    final long n = in.twins();
    Job job = new Job(GROUP, GROUP + ": " + n + " twin experiments", "twins", 1, Math.max(1, maxTwinsPerTask), 1);
    List<Parallel.Part<ArrayList<TwinResult>>> parts;
    try (Shared<CalibrationInputs> shared = parallel.share(in)) {
      parts = parallel.run(job, shared, n, (ci, lo, hi, progress) -> {
        ArrayList<TwinResult> out = new ArrayList<>((int) (hi - lo));
        for (long k = lo; k < hi; k++) {
          out.add(twin(ci, k));
          progress.add(1);
        }
        return out;
      });
    }
    List<TwinResult> all = new ArrayList<>((int) n);
    for (Parallel.Part<ArrayList<TwinResult>> p : parts) {
      all.addAll(p.value);
    }
    return all;
  }

  /**
   * Twin k in this thread: generated from its seed, every method run on {@link LocalParallel#sequential()}. A
   * twin that cannot be made (no observation, a truth that overflows) or whose run throws is a failed twin, with
   * the reason; a method without a posterior is recorded as unavailable.
   */
  public static TwinResult twin(CalibrationInputs in, long k) {
    final long t0 = System.nanoTime();
    ExperimentSettings s = in.settingsOf(k);
    try {
      Twin tw;
      try {
        tw = TwinExperiment.generate(s.toTwinConfig());
      } catch (IllegalArgumentException e) {
        return TwinResult.failed(k, s.seed(), "the twin cannot be made: " + e.getMessage(), seconds(t0));
      }
      for (double v : tw.truth()) {
        if (!Double.isFinite(v)) {
          return TwinResult.failed(k, s.seed(), "the true trajectory is not finite (RK4 unstable: lower model.dt)",
              seconds(t0));
        }
      }
      if (tw.problem().nObs() == 0) {
        return TwinResult.failed(k, s.seed(), "the twin has no observation (every point dropped)", seconds(t0));
      }
      ExperimentInputs inputs = new ExperimentInputs(s.model().withEstimatedParameters(tw.problem()), tw.truth(),
          s).withControlTruth(tw.modelError(), tw.parameters());
      LocalParallel local = LocalParallel.sequential();
      ExperimentResult r = ExperimentRunner.run(inputs, local, ExperimentListener.NONE, null);
      List<MethodResult> extra = List.of();
      if (in.extension() != null) {
        try (Shared<ExperimentInputs> shared = local.share(inputs)) {
          extra = in.extension().methods(shared, r, local);
        }
      }
      TwinMethod[] ms = new TwinMethod[1 + r.methods.size() + extra.size()];
      int i = 0;
      ms[i++] = TwinMethod.of(r.prior, k);
      for (MethodResult m : r.methods) {
        ms[i++] = TwinMethod.of(m, k);
      }
      for (MethodResult m : extra) {
        ms[i++] = TwinMethod.of(m, k);
      }
      return TwinResult.ran(k, s.seed(), tw.problem().nObs(), r.data, ms, seconds(t0));
    } catch (RuntimeException e) {
      // one pathological twin must not lose a calibration of thousands: it is counted and its reason reported
      return TwinResult.failed(k, s.seed(), e.getClass().getSimpleName() + ": " + e.getMessage(), seconds(t0));
    }
  }

  /**
   * Twins per task so that a task takes about {@code taskSeconds} (amortising a task's overhead and bounding what
   * a retry recomputes), from the time of one twin; at least 1, and no more than an even share of the twins
   * over {@code parallelism} cores.
   */
  public static long twinsPerTask(double secondsPerTwin, double taskSeconds, long twins, int parallelism) {
    long share = Math.max(1, (twins + Math.max(1, parallelism) - 1) / Math.max(1, parallelism));
    if (!(secondsPerTwin > 0) || !Double.isFinite(secondsPerTwin)) {
      return share;
    }
    double per = Math.floor(taskSeconds / secondsPerTwin);
    return Math.max(1, Math.min(share, per >= Long.MAX_VALUE ? share : (long) per));
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) * 1e-9;
  }
}
