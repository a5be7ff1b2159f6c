package org.vi4dvar.kernels.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.kernels.stats.PointSample;

/**
 * Pools the twins' scores per method and part (x0, assimilated, forecast states). Twins are independent; the
 * points of one twin are not (one truth, one background, one set of observations drive all of them), so every
 * interval and test below treats the <em>twin</em> as the unit (Talts et al. 2018 for the ranks; cluster-robust
 * variances as in survey sampling, Cochran 1977 §6.3, 11.8). With k = 1 … N the twins where the method has a
 * posterior, n_k the part's points (the same in every twin), t the Student quantile of the confidence level with
 * N − 1 degrees of freedom:
 * <pre>
 *   coverage at level L:   R = Σ c_k / Σ n_k            (c_k: points of twin k whose truth lies in the interval)
 *     its interval          R ± t·se,  se² = N/(N−1) · Σ (c_k − R n_k)² / (Σ n_k)²   (ratio estimator with the
 *                           cluster-robust, linearised variance; clipped to [0, 1])
 *     calibrated value      L (m_k − 1)/(m_k + 1), averaged over twins with weights n_k: the expected coverage
 *                           of the type-7 central interval of m_k independent draws (order statistics of m
 *                           draws split [0, 1] into m + 1 parts of expected mass 1/(m + 1)); L for weighted draws
 *   rmse, spread, crps      the mean over twins of the twin's value, ± t·sd/√N
 *   spread/skill            Σ spread_k / Σ rmse_k, with the ratio interval above
 *   rank histogram          H_b = Σ_k h_kb (every point of every twin); expected E_b = Σ_k n_k p_kb with p_k the
 *                           bin probabilities of a calibrated posterior with m_k draws
 *     band                  E_b ± t·(Σ n_k)·se_b,  se_b² = N/(N−1) · Σ (h_kb − Ĥ_b n_k)² / (Σ n_k)²,
 *                           Ĥ_b = H_b / Σ n_k  (the twin-clustered spread of the pooled bin share)
 *     p-value (all points)  Pearson's X² of the pooled histogram with Rao &amp; Scott's (1984) second-order
 *                           correction for the clustering, in its F form (R's survey::svychisq): on G groups of
 *                           adjacent bins, p̂ = H/Σn, p₀ = E/Σn, X² = Σn · Σ_g (p̂_g − p₀_g)²/p₀_g; q = G − 1;
 *                           V = N/(N−1) Σ_k e_k e_kᵀ/(Σn)², e_k = (h_kg − p̂_g n_k)_{g&lt;q} (the twins' variance
 *                           of p̂); D = Σn · P₀⁻¹ V with P₀⁻¹ = diag(1/p₀) + 11ᵀ/p₀_G (the multinomial
 *                           variance's inverse); δ = tr D / q, a² = tr D² /(q δ²) − 1;
 *                           p = P(F(q/(1+a²), (N−1) q/(1+a²)) ≥ X²/(q δ)). Simulated with 100 twins of 50
 *                           equicorrelated points (ρ = 0.5) it rejects 4–7 % at 5 %, where Hotelling's T² on
 *                           the twins' histograms rejects 9–12 % and the uncorrected X² most of the time
 *   one point per twin      twin k's rank bin at one point chosen before any data ({@link TwinPart#choose}): N
 *                           independent values, Pearson's χ² on the G
 *                           groups against Σ_k p_kg, G − 1 degrees of freedom; binomial band per bin
 *   groups                  G = min(B, ⌊N/5⌋) (at least 2) so that every group expects ≥ 5 one-point values;
 *                           no p-value below 10 twins
 * </pre>
 * Every sum runs in twin order, so the same twins give the same bits. A method unavailable in a twin is left out
 * of that twin's pooling and counted; leaving twins out can bias a method's scores towards its easier twins,
 * which the counts make visible.
 */
public final class CalibrationStatistics {

  /** The parts of the window, in report order. */
  public static final List<String> PARTS = List.of("x0", "assim", "forecast");
  /** Reasons kept per method and for failed twins. */
  public static final int MAX_REASONS = 10;
  /** Twins below which no uniformity p-value is given. */
  public static final int MIN_TWINS_FOR_TESTS = 10;
  /** One-point values expected per group at least (Pearson's χ² rule of thumb). */
  static final int MIN_EXPECTED_PER_GROUP = 5;

  private CalibrationStatistics() {
  }

  /**
   * The calibration of every method (the prior included) over the twins.
   *
   * @param twins the twins' results, in twin order
   * @param rankBins the rank-histogram bins of the twins ({@code posterior.rank-bins})
   * @param confidence the level of the intervals and bands, in (0, 1)
   */
  public static CalibrationSummary of(List<TwinResult> twins, int rankBins, double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    List<String> names = new ArrayList<>();
    long failed = 0;
    Map<String, Long> failures = new LinkedHashMap<>();
    double[] secs = new double[twins.size()];
    for (int i = 0; i < twins.size(); i++) {
      TwinResult t = twins.get(i);
      secs[i] = t.seconds;
      if (!t.ran()) {
        failed++;
        failures.merge(t.failure, 1L, Long::sum);
        continue;
      }
      for (TwinMethod m : t.methods) {
        if (!names.contains(m.name)) {
          names.add(m.name);
        }
      }
    }
    List<MethodCalibration> methods = new ArrayList<>();
    for (String name : names) {
      methods.add(method(name, twins, rankBins, confidence));
    }
    return new CalibrationSummary(twins.size(), failed, top(failures), confidence, rankBins, summary3(secs),
        methods);
  }

  private static MethodCalibration method(String name, List<TwinResult> twins, int bins, double confidence) {
    List<TwinMethod> ok = new ArrayList<>();
    int unavailable = 0;
    Map<String, Long> reasons = new LinkedHashMap<>();
    long diverged = 0;
    long excluded = 0;
    long nonFinite = 0;
    int unconverged = 0;
    String convergence = null;
    List<Double> secs = new ArrayList<>();
    for (TwinResult t : twins) {
      TwinMethod m = t.ran() ? t.method(name) : null;
      if (m == null) {
        continue;
      }
      diverged += m.diverged;
      excluded += m.excluded;
      nonFinite += m.nonFinite;
      secs.add(m.seconds);
      if (m.available()) {
        ok.add(m);
        unconverged += m.converged ? 0 : 1;
        convergence = convergence == null ? m.convergence : convergence;
      } else {
        unavailable++;
        reasons.merge(m.unavailable, 1L, Long::sum);
      }
    }
    double[] draws = new double[ok.size()];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = ok.get(i).draws;
    }
    double[] s = new double[secs.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = secs.get(i);
    }
    double[] d3 = summary3(draws);
    double[] drawSummary = {min(draws), d3[1], d3[2]};
    PartCalibration[] parts = new PartCalibration[PARTS.size()];
    for (int p = 0; p < parts.length; p++) {
      List<TwinPart> tp = new ArrayList<>();
      List<TwinMethod> owners = new ArrayList<>();
      for (TwinMethod m : ok) {
        TwinPart x = m.part(PARTS.get(p));
        if (x != null) {
          tp.add(x);
          owners.add(m);
        }
      }
      long[] m = new long[tp.size()];
      boolean[] w = new boolean[tp.size()];
      for (int i = 0; i < m.length; i++) {
        m[i] = owners.get(i).draws;
        w[i] = owners.get(i).weighted;
      }
      parts[p] = part(tp, m, w, bins, confidence);
    }
    return new MethodCalibration(name, ok.size(), unavailable, top(reasons), diverged, excluded, nonFinite,
        unconverged, convergence, drawSummary, summary3(s), parts[0], parts[1], parts[2]);
  }

  /**
   * Pools one part over twins (the class comment says how).
   *
   * @param parts the twins' scores of the part, in twin order
   * @param draws each twin's number of draws m_k
   * @param weighted whether each twin's draws are weighted
   * @param bins rank-histogram bins B
   * @param confidence the level of the intervals
   */
  static PartCalibration part(List<TwinPart> parts, long[] draws, boolean[] weighted, int bins,
      double confidence) {
    final int n = parts.size();
    if (n == 0) {
      return PartCalibration.empty(bins);
    }
    double[] points = new double[n];
    double[] c50 = new double[n];
    double[] c90 = new double[n];
    double[] rmse = new double[n];
    double[] spread = new double[n];
    double[] crps = new double[n];
    double[][] expected = new double[n][];
    Map<Long, double[]> cache = new HashMap<>();
    double e50 = 0;
    double e90 = 0;
    double total = 0;
    for (int k = 0; k < n; k++) {
      TwinPart p = parts.get(k);
      if (p.rankHistogram.length != bins) {
        throw new IllegalArgumentException("twin rank histograms have " + p.rankHistogram.length + " bins, expected "
            + bins);
      }
      points[k] = p.points;
      c50[k] = p.covered50;
      c90[k] = p.covered90;
      rmse[k] = p.rmse;
      spread[k] = p.spread;
      crps[k] = p.crps;
      final long m = Math.max(1, draws[k]);
      expected[k] = cache.computeIfAbsent(m, mm -> PointSample.expectedRankBins((int) Math.min(mm,
          Integer.MAX_VALUE - 8), bins));
      double shrink = weighted[k] ? 1.0 : (m - 1.0) / (m + 1.0);
      e50 += p.points * 0.5 * shrink;
      e90 += p.points * 0.9 * shrink;
      total += p.points;
    }
    final double t = n > 1 ? Distributions.tQuantile(1 - 0.5 * (1 - confidence), n - 1) : Double.NaN;
    Estimate cov50 = clip(ratio(c50, points, t));
    Estimate cov90 = clip(ratio(c90, points, t));
    // the rank histogram of every point, its expectation and twin-clustered band
    long[] hist = new long[bins];
    double[] exp = new double[bins];
    for (int k = 0; k < n; k++) {
      for (int b = 0; b < bins; b++) {
        hist[b] += parts.get(k).rankHistogram[b];
        exp[b] += points[k] * expected[k][b];
      }
    }
    double[] lo = new double[bins];
    double[] hi = new double[bins];
    for (int b = 0; b < bins; b++) {
      double share = hist[b] / total;
      double ss = 0;
      for (int k = 0; k < n; k++) {
        double e = parts.get(k).rankHistogram[b] - share * points[k];
        ss += e * e;
      }
      double half = n > 1 ? t * Math.sqrt(n / (n - 1.0) * ss) : Double.NaN;
      lo[b] = Math.max(0, exp[b] - half);
      hi[b] = exp[b] + half;
    }
    // one point per twin
    long[] one = new long[bins];
    double[] oneExp = new double[bins];
    for (int k = 0; k < n; k++) {
      one[parts.get(k).chosenBin]++;
      for (int b = 0; b < bins; b++) {
        oneExp[b] += expected[k][b];
      }
    }
    double[] oneLo = new double[bins];
    double[] oneHi = new double[bins];
    double a = 0.5 * (1 - confidence);
    for (int b = 0; b < bins; b++) {
      double p = Math.min(1, oneExp[b] / n);
      oneLo[b] = Distributions.binomialQuantile(a, n, p);
      oneHi[b] = Distributions.binomialQuantile(1 - a, n, p);
    }
    int groups = groups(n, bins);
    double pAll = Double.NaN;
    double pOne = Double.NaN;
    if (groups >= 2) {
      int[] g = groupOf(bins, groups);
      double[][] hg = new double[n][groups];
      double[] eg = new double[groups];
      long[] og = new long[groups];
      double[] oneEg = new double[groups];
      for (int b = 0; b < bins; b++) {
        for (int k = 0; k < n; k++) {
          hg[k][g[b]] += parts.get(k).rankHistogram[b];
        }
        eg[g[b]] += exp[b];
        og[g[b]] += one[b];
        oneEg[g[b]] += oneExp[b];
      }
      pAll = raoScott(hg, points, eg);
      pOne = chiSquared(og, oneEg);
    }
    return new PartCalibration(n, parts.get(0).points, cov50, cov90, e50 / total, e90 / total, hist, exp, lo, hi,
        pAll, groups >= 2 ? groups : 0, one, oneExp, oneLo, oneHi, pOne, mean(rmse, t), mean(spread, t),
        ratio(spread, rmse, t), mean(crps, t));
  }

  /** The number of bin groups for the tests: {@code min(B, ⌊N/5⌋)}, at least 2; 0 below 10 twins. */
  static int groups(int twins, int bins) {
    if (twins < MIN_TWINS_FOR_TESTS) {
      return 0;
    }
    return Math.max(2, Math.min(bins, twins / MIN_EXPECTED_PER_GROUP));
  }

  /** The group of each of B bins when they are merged into G groups of adjacent bins of nearly equal size. */
  static int[] groupOf(int bins, int groups) {
    int[] g = new int[bins];
    for (int k = 0; k < groups; k++) {
      int from = (int) ((long) k * bins / groups);
      int to = (int) ((long) (k + 1) * bins / groups);
      for (int b = from; b < to; b++) {
        g[b] = k;
      }
    }
    return g;
  }

  /** Σ num / Σ den with its cluster-robust interval of half width {@code t·se} (NaN bounds for one twin). */
  static Estimate ratio(double[] num, double[] den, double t) {
    final int n = num.length;
    double sn = 0;
    double sd = 0;
    for (int k = 0; k < n; k++) {
      sn += num[k];
      sd += den[k];
    }
    double r = sn / sd;
    if (n < 2 || !Double.isFinite(t)) {
      return new Estimate(r, Double.NaN, Double.NaN);
    }
    double ss = 0;
    for (int k = 0; k < n; k++) {
      double e = num[k] - r * den[k];
      ss += e * e;
    }
    double se = Math.sqrt(n / (n - 1.0) * ss) / Math.abs(sd);
    return new Estimate(r, r - t * se, r + t * se);
  }

  /** The mean with its interval ± t·sd/√N (NaN bounds for one value). */
  static Estimate mean(double[] x, double t) {
    final int n = x.length;
    double s = 0;
    for (double v : x) {
      s += v;
    }
    double m = s / n;
    if (n < 2 || !Double.isFinite(t)) {
      return new Estimate(m, Double.NaN, Double.NaN);
    }
    double ss = 0;
    for (double v : x) {
      ss += (v - m) * (v - m);
    }
    double se = Math.sqrt(ss / (n - 1.0) / n);
    return new Estimate(m, m - t * se, m + t * se);
  }

  private static Estimate clip(Estimate e) {
    return new Estimate(e.value(), Math.max(0, e.lo()), Math.min(1, e.hi()));
  }

  /**
   * The Rao–Scott second-order corrected χ² p-value (class comment) of the pooled counts of N clusters.
   * Groups that a calibrated posterior cannot reach (expected 0: few draws leave some rank bins empty) are left
   * out; a count in one of them gives p = 0. When every twin has the same shares (no variance to estimate) the
   * p-value is 1 for a perfect fit, else 0.
   *
   * @param h the clusters' counts per group, {@code h[k][g]}
   * @param n the clusters' sizes n_k = Σ_g h[k][g]
   * @param expected the expected pooled counts per group (summing to Σ n_k)
   * @return the p-value, NaN for fewer than 2 clusters or fewer than 2 reachable groups
   */
  static double raoScott(double[][] h, double[] n, double[] expected) {
    final int nk = h.length;
    int[] keep = new int[expected.length];
    int groups = 0;
    for (int g = 0; g < expected.length; g++) {
      if (expected[g] > 0) {
        keep[groups++] = g;
      } else {
        for (double[] row : h) {
          if (row[g] > 0) {
            return 0.0;
          }
        }
      }
    }
    if (nk < 2 || groups < 2) {
      return Double.NaN;
    }
    double total = 0;
    for (double v : n) {
      total += v;
    }
    final int q = groups - 1;
    double[] ph = new double[groups];
    double[] p0 = new double[groups];
    for (int j = 0; j < groups; j++) {
      for (double[] row : h) {
        ph[j] += row[keep[j]];
      }
      ph[j] /= total;
      p0[j] = expected[keep[j]] / total;
    }
    double x2 = 0;
    for (int j = 0; j < groups; j++) {
      double d = ph[j] - p0[j];
      x2 += d * d / p0[j];
    }
    x2 *= total;
    // V: the twins' (cluster-robust) covariance of the first q shares
    double[] v = new double[q * q];
    double[] e = new double[q];
    for (int k = 0; k < nk; k++) {
      for (int j = 0; j < q; j++) {
        e[j] = h[k][keep[j]] - ph[j] * n[k];
      }
      for (int i = 0; i < q; i++) {
        for (int j = 0; j < q; j++) {
          v[i * q + j] += e[i] * e[j];
        }
      }
    }
    double scale = nk / (nk - 1.0) / (total * total);
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    // D = Σn · P0⁻¹ V, P0⁻¹ = diag(1/p0) + 11ᵀ/p0_last
    double last = 1.0 / p0[q];
    double[] d = new double[q * q];
    double[] colSum = new double[q];
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < q; j++) {
        colSum[j] += v[i * q + j];
      }
    }
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < q; j++) {
        d[i * q + j] = total * (v[i * q + j] / p0[i] + last * colSum[j]);
      }
    }
    double tr = 0;
    double tr2 = 0;
    for (int i = 0; i < q; i++) {
      tr += d[i * q + i];
      for (int j = 0; j < q; j++) {
        tr2 += d[i * q + j] * d[j * q + i];
      }
    }
    if (!(tr > 0)) {
      return x2 == 0 ? 1.0 : 0.0;
    }
    double delta = tr / q;
    double a2 = Math.max(0, tr2 / (q * delta * delta) - 1);
    double f = x2 / (q * delta);
    double d1 = q / (1 + a2);
    return Distributions.fUpper(f, d1, (nk - 1) * d1);
  }

  /** Pearson's χ² p-value of observed counts against expected ones (same total), (reachable groups − 1) degrees of
   * freedom; a count where none is expected gives 0. */
  static double chiSquared(long[] observed, double[] expected) {
    double x2 = 0;
    int groups = 0;
    for (int g = 0; g < observed.length; g++) {
      if (!(expected[g] > 0)) {
        if (observed[g] > 0) {
          return 0.0;
        }
        continue;
      }
      groups++;
      double d = observed[g] - expected[g];
      x2 += d * d / expected[g];
    }
    return groups < 2 ? Double.NaN : Distributions.chiSquaredUpper(x2, groups - 1);
  }

  /** The most frequent reasons first (ties in first-seen order), at most {@link #MAX_REASONS}. */
  private static Map<String, Long> top(Map<String, Long> counts) {
    List<Map.Entry<String, Long>> l = new ArrayList<>(counts.entrySet());
    l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < l.size() && i < MAX_REASONS; i++) {
      out.put(l.get(i).getKey(), l.get(i).getValue());
    }
    return out;
  }

  /** Mean, median and largest of {@code x} (NaN when empty). */
  static double[] summary3(double[] x) {
    if (x.length == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double s = 0;
    for (double v : x) {
      s += v;
    }
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    return new double[] {s / n, median, sorted[n - 1]};
  }

  private static double min(double[] x) {
    double m = Double.NaN;
    for (double v : x) {
      m = Double.isNaN(m) ? v : Math.min(m, v);
    }
    return m;
  }
}
