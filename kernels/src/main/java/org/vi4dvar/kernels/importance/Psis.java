package org.vi4dvar.kernels.importance;

import org.vi4dvar.kernels.importance.PsisResult.Fit;

/**
 * Pareto-smoothed importance sampling (PSIS; Vehtari, Simpson, Gelman, Yao &amp; Gabry 2024, "Pareto smoothed
 * importance sampling", JMLR 25(72)), on log weights {@code log w_s = log p̃(c_s) − log q(c_s)}:
 * <pre>
 *   shift     ℓ_s = log w_s − max_s log w_s                               (the largest raw weight becomes 1)
 *   tail      the M = ⌈min(0.2 S, 3 √S)⌉ largest ℓ (ties by draw index), cutoff u = the (M+1)-th largest
 *   fit       exceedances x_(1) ≤ … ≤ x_(M),  x = e^ℓ − e^u,  to a generalised Pareto distribution
 *             F(x) = 1 − (1 + k x/σ)^(−1/k)  by {@link #fitGpd Zhang &amp; Stephens (2009)} with the paper's
 *             weakly informative prior (k̂ ← (M k̂ + 10 · 0.5)/(M + 10))
 *   smooth    the i-th smallest tail weight ← e^u + F⁻¹((i − ½)/M)  (the expected order statistics of the fit),
 *             truncated at the largest raw weight (ℓ ≤ 0)
 *   normalise log w̃_s = ℓ_s − log Σ e^ℓ
 *   report    k̂,  ESS = (Σ w̃)²/Σ w̃² = 1/Σ w̃²,  τ(S) = min(0.7, 1 − 1/log₁₀ S)  ({@link Reliability})
 * </pre>
 * The tail length, grid, prior and order statistics are those of the R loo package's {@code psis}/{@code gpdfit}
 * (with relative efficiency 1: independent draws from the proposal). Special cases, each named in
 * {@link PsisResult#fit}: a flat tail (tail log weights within {@link #FLAT_TAIL} of each other — the weights
 * are constant for every purpose, e.g. an exact proposal) gives k̂ = −∞ and no smoothing; fewer than 5 tail draws
 * or a cutoff below e^−708 of the largest weight give k̂ = +∞; a fit without a finite shape gives NaN; in all
 * three the raw weights are returned normalised. Log weights of −∞ or NaN are weight 0 (a density that vanished
 * or overflowed); +∞ is an error.
 *
 * <p>Static; allocates O(S) per call (it runs once, on the assembled weights).
 */
public final class Psis {

  /** The tail is flat when its log weights span less than this: the weights agree to 1e-10 relative. */
  public static final double FLAT_TAIL = 1e-10;
  /** Fewest tail draws to fit (loo's {@code enough_tail_samples}). */
  public static final int MIN_TAIL = 5;
  /** Grid points of the Zhang–Stephens estimator beyond {@code ⌊√n⌋} (their m = 20 + ⌊√n⌋; loo uses 30). */
  static final int GRID_MIN = 30;
  /** Prior weight of k = 0.5 in the regularised k̂ (Vehtari et al. 2024, appendix C): 10 pseudo-draws. */
  static final double PRIOR_N = 10.0;
  /** The prior's centre. */
  static final double PRIOR_K = 0.5;
  /** Zhang &amp; Stephens' prior scale on θ: 3 over the first quartile of the exceedances. */
  static final double PRIOR_THETA = 3.0;

  private Psis() {
  }

  /** The tail length {@code M = ⌈min(0.2 S, 3 √S)⌉}. */
  public static int tailLength(int draws) {
    return (int) Math.ceil(Math.min(0.2 * draws, 3.0 * Math.sqrt(draws)));
  }

  /** The S-dependent k̂ threshold {@code min(0.7, 1 − 1/log₁₀ S)} (−∞ for S = 1). */
  public static double threshold(long draws) {
    return Math.min(0.7, 1.0 - 1.0 / Math.log10(draws));
  }

  /**
   * {@code (Σ w)² / Σ w²} from log weights (any normalisation; −∞ entries count as 0): between 1 and S.
   */
  public static double ess(double[] logWeights) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logWeights) {
      if (l > max) {
        max = l;
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return 0.0;
    }
    double s1 = 0.0;
    double s2 = 0.0;
    for (double l : logWeights) {
      if (l > Double.NEGATIVE_INFINITY) {
        double w = Math.exp(l - max);
        s1 += w;
        s2 += w * w;
      }
    }
    return s1 * s1 / s2;
  }

  /**
   * Pareto-smooths raw log weights (class comment).
   *
   * @param logWeights S raw log weights (not modified); −∞/NaN mean weight 0
   * @throws IllegalArgumentException if one is +∞, or none is finite
   */
  public static PsisResult smooth(double[] logWeights) {
    final int s = logWeights.length;
    double max = Double.NEGATIVE_INFINITY;
    int zero = 0;
    for (int i = 0; i < s; i++) {
      double l = logWeights[i];
      if (l == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("log weight " + i + " is +inf (the proposal density vanished at its "
            + "own draw?)");
      }
      if (!(l > Double.NEGATIVE_INFINITY)) {
        zero++;
      } else if (l > max) {
        max = l;
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("all " + s + " log weights are -inf or NaN: the target density is 0 at "
          + "every draw");
    }
    double[] lw = new double[s];
    for (int i = 0; i < s; i++) {
      double l = logWeights[i];
      lw[i] = l > Double.NEGATIVE_INFINITY ? l - max : Double.NEGATIVE_INFINITY;
    }
    final double rawEss = ess(lw);
    final int m = tailLength(s);
    double k;
    double sigma = Double.NaN;
    Fit fit;
    if (m < MIN_TAIL || m >= s) {
      k = Double.POSITIVE_INFINITY;
      fit = Fit.SHORT_TAIL;
    } else {
      int[] order = sortIndices(lw);
      final double cutoff = lw[order[s - m - 1]];
      final double tailMin = lw[order[s - m]];
      if (0.0 - tailMin < FLAT_TAIL) {
        k = Double.NEGATIVE_INFINITY;
        fit = Fit.FLAT_TAIL;
      } else if (!(cutoff > LOG_MIN_NORMAL)) {
        k = Double.POSITIVE_INFINITY;
        fit = Fit.DEGENERATE;
      } else {
        final double eu = Math.exp(cutoff);
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
          x[i] = eu * Math.expm1(lw[order[s - m + i]] - cutoff); // ascending
        }
        double[] ks = fitGpd(x);
        k = ks[0];
        sigma = ks[1];
        if (Double.isFinite(k) && sigma > 0) {
          fit = Fit.FITTED;
          for (int i = 0; i < m; i++) {
            double p = (i + 0.5) / m;
            double q = gpdQuantile(p, k, sigma);
            double l = cutoff + Math.log1p(q / eu);
            lw[order[s - m + i]] = Math.min(l, 0.0);
          }
        } else {
          k = Double.NaN;
          sigma = Double.NaN;
          fit = Fit.FAILED;
        }
      }
    }
    // normalise
    double sum = 0.0;
    for (int i = 0; i < s; i++) {
      if (lw[i] > Double.NEGATIVE_INFINITY) {
        sum += Math.exp(lw[i]);
      }
    }
    final double logSum = Math.log(sum);
    for (int i = 0; i < s; i++) {
      lw[i] -= logSum;
    }
    return new PsisResult(s, lw, k, sigma, m, ess(lw), rawEss, zero, fit);
  }

  /** {@code log} of the smallest normal double (≈ −708.4). */
  static final double LOG_MIN_NORMAL = Math.log(Double.MIN_NORMAL);

  /**
   * Generalised Pareto fit by Zhang &amp; Stephens (2009), "A new and efficient estimation method for the
   * generalized Pareto distribution", Technometrics 51(3) 316–325, as loo's {@code gpdfit}. With
   * {@code b = −k/σ} the likelihood of {@code F(x) = 1 − (1 + k x/σ)^(−1/k)} is maximised over k for fixed b by
   * {@code k(b) = mean log(1 − b x)}, leaving the profile log-likelihood
   * {@code ℓ(b) = n (log(−b/k(b)) − k(b) − 1)}; the estimate averages b over a grid under its likelihood:
   * <pre>
   *   b_j = 1/x_(n) + (1 − √(m/(j − ½))) / (3 x_(⌊n/4 + ½⌋)),   j = 1 … m,   m = 30 + ⌊√n⌋   (all b_j &lt; 1/x_(n))
   *   b̂ = Σ_j b_j w_j,   w_j ∝ exp ℓ(b_j)
   *   k = k(b̂),   σ = −k/b̂,   then k ← (n k + 10 · 0.5)/(n + 10)   (Vehtari et al. 2024's prior)
   * </pre>
   * @param x n ≥ 2 exceedances, ascending, ≥ 0, largest &gt; 0 (not modified)
   * @return {k, σ} (σ unregularised, as loo); NaN when the grid degenerates
   */
  public static double[] fitGpd(double[] x) {
    final int n = x.length;
    final double xmax = x[n - 1];
    final double xstar = x[(int) Math.floor(n / 4.0 + 0.5) - 1];
    if (n < 2 || !(xmax > 0) || !(xstar > 0) || !Double.isFinite(xmax)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    final int m = GRID_MIN + (int) Math.floor(Math.sqrt(n));
    double[] theta = new double[m];
    double[] ll = new double[m];
    double lmax = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < m; j++) {
      // b_j = 1/x_(n) + (1 − √(m/(j + ½)))/(3 x*): b = −θ' in the sign convention above; b < 1/x_(n)
      double b = 1.0 / xmax + (1.0 - Math.sqrt(m / (j + 0.5))) / (PRIOR_THETA * xstar);
      theta[j] = b;
      double kb = meanLog1p(-b, x);
      double r = -b / kb;
      ll[j] = r > 0 && Double.isFinite(r) ? n * (Math.log(r) - kb - 1.0) : Double.NEGATIVE_INFINITY;
      lmax = Math.max(lmax, ll[j]);
    }
    if (!(lmax > Double.NEGATIVE_INFINITY) || !Double.isFinite(lmax)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double wsum = 0.0;
    double bsum = 0.0;
    for (int j = 0; j < m; j++) {
      double w = Math.exp(ll[j] - lmax);
      wsum += w;
      bsum += w * theta[j];
    }
    final double bHat = bsum / wsum;
    final double k = meanLog1p(-bHat, x);
    final double sigma = -k / bHat;
    final double kReg = (n * k + PRIOR_N * PRIOR_K) / (n + PRIOR_N);
    return new double[] {kReg, sigma};
  }

  /** {@code mean_i log1p(a x_i)}. */
  private static double meanLog1p(double a, double[] x) {
    double s = 0.0;
    for (double xi : x) {
      s += Math.log1p(a * xi);
    }
    return s / x.length;
  }

  /**
   * The generalised-Pareto quantile {@code F⁻¹(p) = σ ((1 − p)^(−k) − 1)/k} ({@code −σ log(1 − p)} for k → 0),
   * computed as {@code σ expm1(−k log1p(−p))/k}.
   */
  public static double gpdQuantile(double p, double k, double sigma) {
    if (Math.abs(k) < Math.ulp(1.0)) {
      return -sigma * Math.log1p(-p);
    }
    return sigma * Math.expm1(-k * Math.log1p(-p)) / k;
  }

  /**
   * Indices {@code 0 … S−1} sorted by ascending value, ties by ascending index (a stable merge sort of int
   * indices: no boxing). Values must not be NaN.
   */
  static int[] sortIndices(double[] v) {
    final int n = v.length;
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    int[] b = new int[n];
    for (int width = 1; width < n; width <<= 1) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int o = lo;
        while (i < mid && j < hi) {
          b[o++] = v[a[j]] < v[a[i]] ? a[j++] : a[i++];
        }
        while (i < mid) {
          b[o++] = a[i++];
        }
        while (j < hi) {
          b[o++] = a[j++];
        }
      }
      int[] t = a;
      a = b;
      b = t;
    }
    return a;
  }
}
