package org.vi4dvar.kernels.vi;

/** The Gaussian family of {@code q(x0) = N(μ, Σ)}. */
public enum ViFamily implements org.vi4dvar.kernels.config.ConfigChoice {
  /**
   * Diagonal covariance, {@code x0 = μ + σ ⊙ ε}, {@code σ_i = exp ρ_i}: parameters {@code θ = (μ, ρ)}, 2n
   * values (the talk's family). On a Gaussian posterior with precision A it recovers the mean and
   * {@code σ_i² = 1/A_ii} (not the marginal variances).
   */
  MEAN_FIELD,
  /**
   * Full covariance {@code Σ = L Lᵀ}, {@code x0 = μ + L ε}, L lower-triangular with {@code L_ii = exp ρ_i}:
   * parameters {@code θ = (μ, ρ, L_ij for i > j row by row)}, {@code 2n + n(n−1)/2} values. Exact on a Gaussian
   * posterior.
   */
  FULL_COVARIANCE;

  /** {@code meanfield} or {@code fullrank} (the key {@code vi.family}). */
  @Override
  public String configName() {
    return this == MEAN_FIELD ? "meanfield" : "fullrank";
  }

  /** Number of parameters for state size n. */
  public int parameterCount(int n) {
    return this == MEAN_FIELD ? 2 * n : 2 * n + n * (n - 1) / 2;
  }

  /** Parses {@code meanfield} / {@code fullrank} (the driver's {@code vi.family}), or the enum names. */
  public static ViFamily parse(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
    switch (t) {
      case "meanfield":
      case "diagonal":
        return MEAN_FIELD;
      case "fullrank":
      case "fullcovariance":
      case "full":
        return FULL_COVARIANCE;
      default:
        throw new IllegalArgumentException("unknown VI family '" + s + "' (expected meanfield or fullrank)");
    }
  }
}
