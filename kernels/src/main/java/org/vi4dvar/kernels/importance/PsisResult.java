package org.vi4dvar.kernels.importance;

/**
 * The result of {@link Psis#smooth}: Pareto-smoothed, self-normalised log weights and their diagnostics. A plain
 * final class with public final fields (Kryo); the array is owned by it and must not be modified.
 */
public final class PsisResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** How k̂ was obtained. */
  public enum Fit {
    /** Fitted to the tail (the normal case). */
    FITTED("fitted to the largest weights"),
    /** The tail was flat (log weights within 1e-10 of each other): k̂ = −∞, nothing to smooth. */
    FLAT_TAIL("flat tail: the largest weights are equal (bounded weights)"),
    /** Fewer than 5 draws in the tail (S too small): k̂ = +∞, not smoothed. */
    SHORT_TAIL("tail too short to fit (fewer than 5 draws)"),
    /** The (M+1)-th largest weight is below e^−708 of the largest: k̂ = +∞, not smoothed. */
    DEGENERATE("degenerate weights: a few draws carry all the weight"),
    /** The fit did not give a finite shape (ties at the cutoff): k̂ = NaN, not smoothed. */
    FAILED("generalised Pareto fit failed");

    private final String description;

    Fit(String description) {
      this.description = description;
    }

    /** One phrase for outputs. */
    public String description() {
      return description;
    }
  }

  /** Number of draws S. */
  public final int draws;
  /** {@code log w̃_i}, smoothed and normalised ({@code Σ exp = 1}); −∞ for draws of weight 0. */
  public final double[] logWeights;
  /** The Pareto shape estimate k̂ (see {@link #fit} for −∞, +∞, NaN). */
  public final double k;
  /** The fitted generalised-Pareto scale σ (relative to the largest weight; NaN when not fitted). */
  public final double sigma;
  /** Tail length M = ⌈min(0.2 S, 3 √S)⌉. */
  public final int tailLength;
  /** ESS of the smoothed weights, {@code (Σ w)² / Σ w²}. */
  public final double ess;
  /** ESS of the raw weights. */
  public final double rawEss;
  /** The S-dependent threshold {@code min(0.7, 1 − 1/log₁₀ S)}. */
  public final double threshold;
  /** The reliability class of k̂. */
  public final Reliability reliability;
  /** Draws whose log weight was −∞ or NaN (weight 0). */
  public final int zeroWeights;
  /** How k̂ was obtained. */
  public final Fit fit;

  PsisResult(int draws, double[] logWeights, double k, double sigma, int tailLength, double ess, double rawEss,
      int zeroWeights, Fit fit) {
    this.draws = draws;
    this.logWeights = logWeights;
    this.k = k;
    this.sigma = sigma;
    this.tailLength = tailLength;
    this.ess = ess;
    this.rawEss = rawEss;
    this.threshold = Psis.threshold(draws);
    this.reliability = Reliability.of(k, draws);
    this.zeroWeights = zeroWeights;
    this.fit = fit;
  }

  /** The normalised smoothed weight of draw i, {@code w̃_i = exp(log w̃_i)} (they sum to 1). */
  public double weight(int i) {
    return Math.exp(logWeights[i]);
  }
}
