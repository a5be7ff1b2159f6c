package org.vi4dvar.kernels.calibrate;

/**
 * The distribution functions that calibrate's intervals and tests need, from the regularised incomplete gamma
 * and beta functions (Press, Teukolsky, Vetterling &amp; Flannery, <i>Numerical Recipes</i>, 3rd ed., §6.1–6.4):
 * <pre>
 *   ln Γ(x)          Lanczos, g = 7, 9 coefficients (relative error ~1e-15)
 *   Q(a, x) = Γ(a, x)/Γ(a)   series for P = 1 − Q when x &lt; a + 1, else Lentz's continued fraction for Q
 *   I_x(a, b)        Lentz's continued fraction, on the side x &lt; (a + 1)/(a + b + 2) (symmetry otherwise)
 *   χ²_k upper tail  Q(k/2, x/2)
 *   F(d1, d2) upper tail   I_{d2/(d2 + d1 f)}(d2/2, d1/2)
 *   Student t_ν cdf  1 − ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0; quantiles by bisection on it
 *   Binomial(n, p) cdf  P(X ≤ k) = I_{1−p}(n − k, k + 1); quantiles by bisection on k
 * </pre>
 * Upper tails are computed directly (never as 1 − cdf) so that small p-values keep their relative precision.
 * Stateless.
 */
public final class Distributions {

  private static final double EPS = 1e-15;
  private static final double FPMIN = 1e-300;
  private static final int MAX_ITERATIONS = 10_000_000;
  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7};
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  private Distributions() {
  }

  /** ln Γ(x) for x &gt; 0. */
  public static double logGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
    }
    if (x < 0.5) {
      // reflection: Γ(x) Γ(1 − x) = π / sin(π x)
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    double z = x - 1;
    double a = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      a += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /** The regularised upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), a &gt; 0, x ≥ 0. */
  public static double gammaQ(double a, double x) {
    if (!(a > 0) || !(x >= 0)) {
      throw new IllegalArgumentException("gammaQ needs a > 0 and x >= 0, got a = " + a + ", x = " + x);
    }
    if (x == 0) {
      return 1.0;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 0.0;
    }
    double front = Math.exp(-x + a * Math.log(x) - logGamma(a));
    if (x < a + 1) {
      // P by its series, Q = 1 − P
      double ap = a;
      double del = 1.0 / a;
      double sum = del;
      for (int n = 0; n < MAX_ITERATIONS; n++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (Math.abs(del) < Math.abs(sum) * EPS) {
          break;
        }
      }
      return Math.max(0.0, 1.0 - sum * front);
    }
    // Q by its continued fraction (modified Lentz)
    double b = x + 1 - a;
    double c = 1 / FPMIN;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < FPMIN) {
        d = FPMIN;
      }
      c = b + an / c;
      if (Math.abs(c) < FPMIN) {
        c = FPMIN;
      }
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPS) {
        break;
      }
    }
    return front * h;
  }

  /** The regularised incomplete beta function I_x(a, b), a, b &gt; 0, x in [0, 1]. */
  public static double betaI(double x, double a, double b) {
    return betaI(x, 1 - x, a, b);
  }

  /**
   * I_x(a, b) given both x and y = 1 − x, each computed without cancellation by the caller (x close to 1 loses
   * the digits of 1 − x that a large b needs: the t cdf with ν = 10⁹ has x = ν/(ν + t²)).
   */
  private static double betaI(double x, double y, double a, double b) {
    if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1) || !(y >= 0 && y <= 1)) {
      throw new IllegalArgumentException("betaI needs a, b > 0 and x in [0, 1], got x = " + x + ", a = " + a
          + ", b = " + b);
    }
    if (x == 0 || y == 1) {
      return 0.0;
    }
    if (y == 0 || x == 1) {
      return 1.0;
    }
    double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y));
    if (x < (a + 1) / (a + b + 2)) {
      return front * betaFraction(x, a, b) / a;
    }
    return 1 - front * betaFraction(y, b, a) / b;
  }

  /** The upper tail 1 − I_x(a, b) = I_{1−x}(b, a). */
  private static double betaIUpper(double x, double a, double b) {
    return betaI(1 - x, x, b, a);
  }

  /** The continued fraction of I_x(a, b) (modified Lentz). */
  private static double betaFraction(double x, double a, double b) {
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    if (Math.abs(d) < FPMIN) {
      d = FPMIN;
    }
    d = 1 / d;
    double h = d;
    for (int m = 1; m < MAX_ITERATIONS; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      if (Math.abs(d) < FPMIN) {
        d = FPMIN;
      }
      c = 1 + aa / c;
      if (Math.abs(c) < FPMIN) {
        c = FPMIN;
      }
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      if (Math.abs(d) < FPMIN) {
        d = FPMIN;
      }
      c = 1 + aa / c;
      if (Math.abs(c) < FPMIN) {
        c = FPMIN;
      }
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPS) {
        break;
      }
    }
    return h;
  }

  /** P(χ²_k ≥ x): the p-value of a χ² statistic x with k degrees of freedom. */
  public static double chiSquaredUpper(double x, double k) {
    if (!(k > 0)) {
      throw new IllegalArgumentException("degrees of freedom must be > 0, got " + k);
    }
    return x <= 0 ? 1.0 : gammaQ(0.5 * k, 0.5 * x);
  }

  /** P(F(d1, d2) ≥ f): the p-value of an F statistic. */
  public static double fUpper(double f, double d1, double d2) {
    if (!(d1 > 0) || !(d2 > 0)) {
      throw new IllegalArgumentException("degrees of freedom must be > 0, got " + d1 + ", " + d2);
    }
    if (f <= 0) {
      return 1.0;
    }
    if (f == Double.POSITIVE_INFINITY) {
      return 0.0;
    }
    double den = d2 + d1 * f;
    return betaI(d2 / den, d1 * f / den, 0.5 * d2, 0.5 * d1);
  }

  /** P(T ≤ t) for Student's t with ν degrees of freedom. */
  public static double tCdf(double t, double nu) {
    if (!(nu > 0)) {
      throw new IllegalArgumentException("degrees of freedom must be > 0, got " + nu);
    }
    if (Double.isNaN(t)) {
      return Double.NaN;
    }
    if (Double.isInfinite(t)) {
      return t > 0 ? 1.0 : 0.0;
    }
    double tail = tTail(Math.abs(t), nu);
    return t >= 0 ? 1 - tail : tail;
  }

  /** P(T ≥ t) for t ≥ 0: ½ I_{ν/(ν+t²)}(ν/2, ½). */
  private static double tTail(double t, double nu) {
    double den = nu + t * t;
    return 0.5 * betaI(nu / den, t * t / den, 0.5 * nu, 0.5);
  }

  /** The quantile of probability {@code p} in (0, 1) of Student's t with ν degrees of freedom. */
  public static double tQuantile(double p, double nu) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), got " + p);
    }
    if (p < 0.5) {
      return -tQuantile(1 - p, nu);
    }
    if (p == 0.5) {
      return 0.0;
    }
    // beyond 10⁷ degrees of freedom ln Γ(ν/2) ~ 10⁸ leaves too few digits for the incomplete beta; the quantile
    // there is within (z³ + z)/(4ν) ≈ 3e-7 of its limit, which ν = 10⁷ gives
    nu = Math.min(nu, 1e7);
    // the upper tail q = 1 − p, bracketed and bisected on the tail itself (no cancellation)
    double q = 1 - p;
    double lo = 0;
    double hi = 1;
    while (tTail(hi, nu) > q) {
      lo = hi;
      hi *= 2;
      if (hi > 1e300) {
        return Double.POSITIVE_INFINITY;
      }
    }
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
      double mid = 0.5 * (lo + hi);
      if (tTail(mid, nu) > q) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** P(X ≤ k) for X ~ Binomial(n, p). */
  public static double binomialCdf(long k, long n, double p) {
    if (k < 0) {
      return 0.0;
    }
    if (k >= n) {
      return 1.0;
    }
    if (p <= 0) {
      return 1.0;
    }
    if (p >= 1) {
      return 0.0;
    }
    return betaIUpper(p, k + 1, n - k);
  }

  /** The smallest k with P(X ≤ k) ≥ q, for X ~ Binomial(n, p) and q in (0, 1). */
  public static long binomialQuantile(double q, long n, double p) {
    if (!(q > 0 && q < 1)) {
      throw new IllegalArgumentException("q must be in (0, 1), got " + q);
    }
    long lo = -1;
    long hi = n;
    while (hi - lo > 1) {
      long mid = (lo + hi) >>> 1;
      if (binomialCdf(mid, n, p) >= q) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }
}
