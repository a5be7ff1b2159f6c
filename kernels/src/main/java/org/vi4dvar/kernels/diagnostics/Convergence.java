package org.vi4dvar.kernels.diagnostics;

import java.util.Arrays;
import org.vi4dvar.kernels.stats.Quantiles;

/**
 * MCMC convergence diagnostics of one scalar quantity from m chains of S draws each, after Vehtari, Gelman,
 * Simpson, Carpenter &amp; Bürkner (2021), "Rank-normalization, folding, and localization: an improved R̂ for
 * assessing convergence of MCMC", Bayesian Analysis 16(2) 667–718, as the Stan ({@code stan::analyze}) and
 * posterior (R) reference implementations compute them.
 *
 * <p>Draws are a flat array {@code x[c·S + s]} (chain c, draw s): {@code draws[chain][draw]} row-major.
 * <pre>
 *   split:       each chain's first and last ⌊S/2⌋ draws become two chains (the middle draw is dropped if S is odd)
 *   rank-normalise (z-scale): r = average rank in the pooled draws,  z = Φ⁻¹((r − 3/8)/(N + 1/4))  (Blom 1958)
 *   R̂ (classic, m chains of n):  W = mean of chain variances,  B = n · var(chain means),
 *                                R̂ = √((B/W + n − 1)/n)
 *   bulk R̂  = R̂(z(split(x))),   folded R̂ = R̂(z(split(|x − median(x)|))),   R̂ = max(bulk, folded)
 *   ESS (basic, m chains of n):  γ̂_{c,t} autocovariances (FFT),  W as above,
 *                                var⁺ = (n − 1)/n · W + var(chain means),   ρ̂_t = 1 − (W − mean_c γ̂_{c,t}) / var⁺
 *                                Geyer's initial positive sequence: pairs P_k = ρ̂_{2k} + ρ̂_{2k+1} summed while
 *                                P_k &gt; 0, made monotone (each P_k ≤ P_{k−1}), then
 *                                τ̂ = −1 + 2 Σ_{t&lt;2K} ρ̂_t + max(ρ̂_{2K}, 0),   ESS = m n / max(τ̂, 1/log₁₀(m n))
 *   bulk ESS = ESS(z(split(x))),   tail ESS = min over p ∈ {5 %, 95 %} of ESS(split(I(x ≤ q_p)))
 *   MCSE(mean) = sd(x) / √ESS(split(x))
 *   MCSE(sd)   = √(Var(d²) / (4 E[d²] ESS(split(|d|)))),   d = x − x̄   (first-order Taylor, no normality
 *                assumed: Kenney &amp; Keeping 1951, as Stan's {@code mcse_sd} and posterior's)
 * </pre>
 * The extra term {@code max(ρ̂_{2K}, 0)} and the cap {@code m n log₁₀(m n)} on the ESS are the paper's
 * (§3.2, "in extreme antithetic cases"). Quantiles are type 7 ({@link Quantiles}). Degenerate inputs give
 * NaN: fewer than 4 draws per chain, any non-finite draw, or draws that are all equal; an R̂ whose within-chain
 * variance is 0 while the chains differ is +∞.
 *
 * <p>Each method allocates its own buffers (diagnostics run once per component after sampling, not in a hot
 * loop); static and thread-safe.
 */
public final class Convergence {

  /** R̂ above this warns (Vehtari et al. 2021, §4: "R̂ &lt; 1.01"). */
  public static final double RHAT_WARN = 1.01;
  /** Bulk or tail ESS below this warns (the paper's 100 per chain for 4 chains; issue 13). */
  public static final double ESS_WARN = 400;
  /** Fewest draws per chain for any diagnostic. */
  public static final int MIN_DRAWS = 4;

  private Convergence() {
  }

  // ---------------------------------------------------------------- public diagnostics

  /** Rank-normalised split-R̂: the larger of the bulk and the folded R̂. */
  public static double rhat(double[] x, int chains, int draws) {
    return Math.max(rhatBulk(x, chains, draws), rhatFolded(x, chains, draws));
  }

  /** Bulk R̂: classic R̂ of the rank-normalised split chains. */
  public static double rhatBulk(double[] x, int chains, int draws) {
    if (!valid(x, chains, draws)) {
      return Double.NaN;
    }
    int h = draws / 2;
    return classicRhat(zScale(split(x, chains, draws)), 2 * chains, h);
  }

  /** Folded R̂: classic R̂ of the rank-normalised split chains of {@code |x − median(x)|}. */
  public static double rhatFolded(double[] x, int chains, int draws) {
    if (!valid(x, chains, draws)) {
      return Double.NaN;
    }
    final double med = median(x, chains * draws);
    double[] f = new double[chains * draws];
    for (int i = 0; i < f.length; i++) {
      f[i] = Math.abs(x[i] - med);
    }
    int h = draws / 2;
    return classicRhat(zScale(split(f, chains, draws)), 2 * chains, h);
  }

  /** Bulk ESS: ESS of the rank-normalised split chains. */
  public static double essBulk(double[] x, int chains, int draws) {
    if (!valid(x, chains, draws)) {
      return Double.NaN;
    }
    return essBasic(zScale(split(x, chains, draws)), 2 * chains, draws / 2);
  }

  /** Tail ESS: the smaller ESS of the split indicator chains {@code I(x ≤ q_5%)} and {@code I(x ≤ q_95%)}. */
  public static double essTail(double[] x, int chains, int draws) {
    if (!valid(x, chains, draws)) {
      return Double.NaN;
    }
    return Math.min(essQuantile(x, chains, draws, 0.05), essQuantile(x, chains, draws, 0.95));
  }

  /** ESS of the quantile {@code p}: ESS of the split indicator chains {@code I(x ≤ q_p)}. */
  public static double essQuantile(double[] x, int chains, int draws, double p) {
    if (!valid(x, chains, draws)) {
      return Double.NaN;
    }
    final int total = chains * draws;
    double[] sorted = Arrays.copyOf(x, total);
    Arrays.sort(sorted);
    final double q = Quantiles.sorted(sorted, p);
    double[] ind = new double[total];
    for (int i = 0; i < total; i++) {
      ind[i] = x[i] <= q ? 1.0 : 0.0;
    }
    return essBasic(split(ind, chains, draws), 2 * chains, draws / 2);
  }

  /** ESS for the mean: ESS of the split chains (not rank-normalised). */
  public static double essMean(double[] x, int chains, int draws) {
    if (!valid(x, chains, draws)) {
      return Double.NaN;
    }
    return essBasic(split(x, chains, draws), 2 * chains, draws / 2);
  }

  /** Monte Carlo standard error of the mean: {@code sd(x) / √ESS_mean}. */
  public static double mcseMean(double[] x, int chains, int draws) {
    if (!valid(x, chains, draws)) {
      return Double.NaN;
    }
    final int total = chains * draws;
    return Math.sqrt(variance(x, 0, total) / essMean(x, chains, draws));
  }

  /**
   * Monte Carlo standard error of the standard deviation, {@code √(Var(d²) / (4 E[d²] ESS(split(|d|))))} with
   * {@code d = x − x̄} and the moments over all draws (divisor N).
   */
  public static double mcseSd(double[] x, int chains, int draws) {
    if (!valid(x, chains, draws)) {
      return Double.NaN;
    }
    final int total = chains * draws;
    double mean = 0.0;
    for (int i = 0; i < total; i++) {
      mean += x[i];
    }
    mean /= total;
    double[] ad = new double[total];
    double e2 = 0.0;
    double e4 = 0.0;
    for (int i = 0; i < total; i++) {
      double d = x[i] - mean;
      ad[i] = Math.abs(d);
      double d2 = d * d;
      e2 += d2;
      e4 += d2 * d2;
    }
    e2 /= total;
    e4 /= total;
    double ess = essBasic(split(ad, chains, draws), 2 * chains, draws / 2);
    double varVar = (e4 - e2 * e2) / ess;
    return Math.sqrt(varVar / (4.0 * e2));
  }

  // ---------------------------------------------------------------- building blocks

  /**
   * The classic (non-split, not rank-normalised) R̂ of m chains of n draws, {@code √((B/W + n − 1)/n)}: NaN if
   * n &lt; 2, a draw is not finite or all draws are equal; +∞ if W = 0 &lt; B.
   */
  public static double classicRhat(double[] x, int chains, int n) {
    if (n < 2 || chains < 1 || !allFinite(x, chains * n) || constant(x, chains * n)) {
      return Double.NaN;
    }
    double[] means = new double[chains];
    double w = 0.0;
    for (int c = 0; c < chains; c++) {
      means[c] = mean(x, c * n, n);
      w += variance(x, c * n, n);
    }
    w /= chains;
    double b = chains > 1 ? n * variance(means, 0, chains) : 0.0;
    if (w == 0.0) {
      return b > 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    }
    return Math.sqrt((b / w + n - 1) / n);
  }

  /**
   * The basic ESS of m chains of n draws (not split, not rank-normalised; the formula in the class comment):
   * NaN if n &lt; 3 (as the posterior package), a draw is not finite or all draws are equal.
   */
  public static double essBasic(double[] x, int chains, int n) {
    if (n < 3 || chains < 1 || !allFinite(x, chains * n) || constant(x, chains * n)) {
      return Double.NaN;
    }
    Autocovariance ac = new Autocovariance();
    double[] acov = new double[chains * n];
    double[] chainMean = new double[chains];
    double[] buf = new double[n];
    double meanVar = 0.0;
    for (int c = 0; c < chains; c++) {
      chainMean[c] = ac.of(x, c * n, n, buf);
      System.arraycopy(buf, 0, acov, c * n, n);
      meanVar += buf[0] * n / (n - 1.0);
    }
    meanVar /= chains;
    double varPlus = meanVar * (n - 1.0) / n;
    if (chains > 1) {
      varPlus += variance(chainMean, 0, chains);
    }
    double[] rho = new double[n];
    rho[0] = 1.0;
    double even = 1.0;
    double odd = rhoHat(acov, chains, n, 1, meanVar, varPlus);
    rho[1] = odd;
    // Geyer's initial positive sequence over pairs (t, t+1), t even
    int t = 0;
    while (t < n - 5 && even + odd > 0) {
      t += 2;
      even = rhoHat(acov, chains, n, t, meanVar, varPlus);
      odd = rhoHat(acov, chains, n, t + 1, meanVar, varPlus);
      if (even + odd >= 0) {
        rho[t] = even;
        rho[t + 1] = odd;
      }
    }
    final int maxT = t;
    if (even > 0) {
      rho[maxT] = even;
    }
    // Geyer's initial monotone sequence
    for (int u = 2; u <= maxT - 2; u += 2) {
      if (rho[u] + rho[u + 1] > rho[u - 2] + rho[u - 1]) {
        rho[u] = 0.5 * (rho[u - 2] + rho[u - 1]);
        rho[u + 1] = rho[u];
      }
    }
    double tau = -1.0;
    for (int k = 0; k < maxT; k++) {
      tau += 2.0 * rho[k];
    }
    tau += rho[maxT];
    final double total = (double) chains * n;
    tau = Math.max(tau, 1.0 / Math.log10(total));
    return total / tau;
  }

  private static double rhoHat(double[] acov, int chains, int n, int lag, double meanVar, double varPlus) {
    double s = 0.0;
    for (int c = 0; c < chains; c++) {
      s += acov[c * n + lag];
    }
    return 1.0 - (meanVar - s / chains) / varPlus;
  }

  /**
   * Splits every chain into its first and last ⌊S/2⌋ draws: {@code 2m} chains of ⌊S/2⌋ (new array), chain 2c
   * the first half of chain c, 2c + 1 its second half.
   */
  public static double[] split(double[] x, int chains, int draws) {
    final int h = draws / 2;
    double[] out = new double[2 * chains * h];
    for (int c = 0; c < chains; c++) {
      System.arraycopy(x, c * draws, out, 2 * c * h, h);
      System.arraycopy(x, c * draws + draws - h, out, (2 * c + 1) * h, h);
    }
    return out;
  }

  /**
   * Rank normalisation of all values pooled: {@code z_i = Φ⁻¹((r_i − 3/8)/(N + 1/4))} with {@code r_i} the
   * average rank (ties share the mean of their ranks, 1-based). New array; the input is not modified.
   */
  public static double[] zScale(double[] x) {
    final int n = x.length;
    double[] r = ranks(x);
    double[] z = new double[n];
    final double denom = n + 0.25;
    for (int i = 0; i < n; i++) {
      z[i] = NormalQuantile.of((r[i] - 0.375) / denom);
    }
    return z;
  }

  /** Average ranks, 1-based (ties get the mean of their ranks). */
  public static double[] ranks(double[] x) {
    final int n = x.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
    double[] r = new double[n];
    int i = 0;
    while (i < n) {
      int j = i + 1;
      while (j < n && x[idx[j]] == x[idx[i]]) {
        j++;
      }
      double avg = 0.5 * (i + 1 + j); // mean of ranks i+1 .. j
      for (int k = i; k < j; k++) {
        r[idx[k]] = avg;
      }
      i = j;
    }
    return r;
  }

  // ---------------------------------------------------------------- helpers

  private static boolean valid(double[] x, int chains, int draws) {
    if (chains < 1 || draws < 1 || x.length < chains * draws) {
      throw new IllegalArgumentException("need " + chains + " chains x " + draws + " draws, got "
          + x.length + " values");
    }
    return draws >= MIN_DRAWS && allFinite(x, chains * draws) && !constant(x, chains * draws);
  }

  private static boolean allFinite(double[] x, int n) {
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(x[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean constant(double[] x, int n) {
    for (int i = 1; i < n; i++) {
      if (x[i] != x[0]) {
        return false;
      }
    }
    return true;
  }

  private static double median(double[] x, int n) {
    double[] s = Arrays.copyOf(x, n);
    Arrays.sort(s);
    return Quantiles.sorted(s, 0.5);
  }

  static double mean(double[] x, int off, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += x[off + i];
    }
    return s / n;
  }

  /** Sample variance, divisor n − 1 (two-pass). */
  static double variance(double[] x, int off, int n) {
    double m = mean(x, off, n);
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      double d = x[off + i] - m;
      s += d * d;
    }
    return s / (n - 1);
  }
}
