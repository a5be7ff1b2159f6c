package org.vi4dvar.kernels.importance;

import java.util.Locale;

/**
 * How far importance-weighted estimates can be trusted, from the Pareto shape k̂ of the weights' tail
 * (Vehtari, Simpson, Gelman, Yao &amp; Gabry 2024, §3.2–3.3): with {@code τ(S) = min(0.7, 1 − 1/log₁₀ S)},
 * <pre>
 *   GOOD        k̂ ≤ 0.5 (and ≤ τ(S)):  finite variance of the raw weights; fast convergence
 *   USABLE      0.5 &lt; k̂ ≤ τ(S):       PSIS estimates converge, more slowly; the S draws are enough
 *   UNRELIABLE  k̂ &gt; τ(S):             too few draws for this tail (or k̂ &gt; 0.7: no practical S is)
 * </pre>
 */
public enum Reliability {
  /** k̂ ≤ 0.5. */
  GOOD,
  /** 0.5 &lt; k̂ ≤ min(0.7, 1 − 1/log₁₀ S). */
  USABLE,
  /** k̂ above the S-dependent threshold, or not estimable. */
  UNRELIABLE;

  /** The largest k̂ that is {@link #GOOD}. */
  public static final double GOOD_MAX = 0.5;

  /** The classification of k̂ for S draws (NaN and +∞ are UNRELIABLE; −∞, a flat tail, is GOOD). */
  public static Reliability of(double k, long draws) {
    if (!(k <= Psis.threshold(draws))) {
      return UNRELIABLE;
    }
    return k <= GOOD_MAX ? GOOD : USABLE;
  }

  /** The name in outputs: lower case. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
