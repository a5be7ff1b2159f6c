package org.vi4dvar.driver.run;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vi4dvar.driver.io.DatasetWriter;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.kernels.scores.PosteriorScores;
import org.vi4dvar.kernels.stats.PosteriorSummary;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Writes a method's outcome into the output directory — {@code <name>/mean.csv}, {@code std.csv},
 * {@code q05..q95.csv}, {@code cov_t<k>.csv}, {@code samples.csv} and its extra files — and returns its entry of
 * {@code summary.json}. The statistics and scores are the kernel's ({@link PosteriorSummary}); this class only
 * formats them. Every CSV: comma-separated, no header unless stated, doubles by {@link Double#toString}.
 */
public final class RunWriter {

  private final OutputDirectory out;
  private final FourDVarProblem p;
  private final double[] truth;
  private final int[] covTimes;
  private final int trajectorySamples;

  /**
   * @param out the output directory being assembled
   * @param p the problem
   * @param truth the true trajectory or null
   * @param covTimes states whose covariance is written
   * @param trajectorySamples sampled trajectories written per method
   */
  public RunWriter(OutputDirectory out, FourDVarProblem p, double[] truth, List<Integer> covTimes,
      int trajectorySamples) {
    this.out = out;
    this.p = p;
    this.truth = truth;
    this.covTimes = covTimes.stream().mapToInt(Integer::intValue).toArray();
    this.trajectorySamples = trajectorySamples;
  }

  /** Writes the dataset into {@code data/}. */
  public void writeData() throws IOException {
    DatasetWriter.write(out, "data/", p, truth);
  }

  /** Writes one outcome and returns its summary entry. */
  public Map<String, Object> write(MethodOutcome o) throws IOException {
    final int nx = p.nx();
    final int nStates = p.nStates();
    final int dim = nx * nStates;
    PosteriorSummary sm = PosteriorSummary.of(o.traj, o.count, nx, nStates, p.nAssim(), covTimes, truth);
    String d = o.name + "/";
    out.writeString(d + "mean.csv", grid(sm.mean, nStates, nx));
    out.writeString(d + "std.csv", grid(sm.std, nStates, nx));
    for (int q = 0; q < PosteriorSummary.PROBS.length; q++) {
      String f = String.format(Locale.ROOT, "q%02d.csv", Math.round(PosteriorSummary.PROBS[q] * 100));
      out.writeString(d + f, grid(Arrays.copyOfRange(sm.quantiles, q * dim, (q + 1) * dim), nStates, nx));
    }
    for (int c = 0; c < covTimes.length; c++) {
      out.writeString(d + "cov_t" + covTimes[c] + ".csv", grid(sm.covariances[c], nx, nx));
    }
    int ns = Math.min(trajectorySamples, o.count);
    out.writeString(d + "samples.csv", grid(Arrays.copyOf(o.traj, ns * dim), ns, dim));
    for (Map.Entry<String, String> f : o.files.entrySet()) {
      out.writeString(f.getKey(), f.getValue());
    }

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", Math.round(o.seconds * 1000.0) / 1000.0);
    m.put("samples", o.count);
    m.put("counts", o.counts);
    if (o.finalCosts.length > 0) {
      m.put("final_cost", distribution(o.finalCosts));
    }
    if (sm.scores != null) {
      PosteriorScores sc = sm.scores;
      m.put("rmse_assim", sc.assim.rmse);
      m.put("rmse_forecast", sc.forecast.rmse);
      m.put("spread_assim", sc.assim.spread);
      m.put("spread_forecast", sc.forecast.spread);
      Map<String, Object> s = new LinkedHashMap<>();
      part(s, "assim", sc.assim);
      part(s, "forecast", sc.forecast);
      m.put("scores", s);
    } else {
      m.put("spread_assim", sm.spreadAssim);
      m.put("spread_forecast", sm.spreadForecast);
    }
    m.putAll(o.extra);
    return m;
  }

  private static void part(Map<String, Object> s, String suffix, PosteriorScores.Part p) {
    s.put("rmse_" + suffix, p.rmse);
    s.put("spread_" + suffix, p.spread);
    s.put("spread_skill_" + suffix, p.spreadSkill);
    s.put("crps_" + suffix, p.crps);
    s.put("coverage50_" + suffix, p.coverage50);
    s.put("coverage90_" + suffix, p.coverage90);
    long[] h = p.rankHistogram;
    Long[] boxed = new Long[h.length];
    for (int i = 0; i < h.length; i++) {
      boxed[i] = h[i];
    }
    s.put("rank_histogram_" + suffix, List.of(boxed));
  }

  /** min, median, mean, max of finite values (in index order; the median of the sorted copy). */
  static Map<String, Object> distribution(double[] v) {
    double[] a = v.clone();
    Arrays.sort(a);
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    int n = a.length;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", n);
    m.put("min", a[0]);
    m.put("median", n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]));
    m.put("mean", sum / n);
    m.put("max", a[n - 1]);
    return m;
  }

  private static String grid(double[] a, int rows, int cols) {
    return DatasetWriter.csv(a, rows, cols);
  }
}
