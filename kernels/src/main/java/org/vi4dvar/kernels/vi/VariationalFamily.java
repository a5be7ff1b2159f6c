package org.vi4dvar.kernels.vi;

import java.util.Locale;

/**
 * The family of q in the whitened control v ({@code c = c_b + S v}) fitted by {@link VariationalInference}; the
 * driver's {@code vi.family}.
 */
public enum VariationalFamily implements org.vi4dvar.kernels.config.ConfigChoice {
  /**
   * {@code v = μ + σ ⊙ ε}, {@code σ_i = exp ρ_i}: 2n parameters. On a Gaussian posterior with precision A (in v)
   * it recovers the mean and {@code σ_i² = 1/A_ii} (under-dispersed), never the marginal variances.
   */
  MEAN_FIELD("meanfield"),
  /**
   * {@code v = μ + L ε}, L lower-triangular with {@code L_ii = exp ρ_i}: {@code 2n + n(n−1)/2} parameters; exact on
   * a Gaussian posterior.
   */
  FULL_RANK("fullrank"),
  /**
   * A normalizing flow {@code v = μ0 + P T_θ(z)} (affine coupling layers, {@link org.vi4dvar.kernels.flow}),
   * initialised at the full-rank Gaussian solution {@code (μ0, P)} so that it can only improve on it.
   */
  FLOW("flow"),
  /**
   * A K-component Gaussian mixture {@code Σ_k w_k N(μ_k, L_k L_kᵀ)}, weights by softmax, fitted from K starts.
   */
  MIXTURE("mixture");

  private final String configName;

  VariationalFamily(String configName) {
    this.configName = configName;
  }

  /** The name in configuration files and outputs. */
  @Override
  public String configName() {
    return configName;
  }

  /** Parses {@code meanfield | fullrank | flow | mixture} (also the enum names, any case, '-' and '_' ignored). */
  public static VariationalFamily parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    switch (t) {
      case "meanfield":
      case "diagonal":
        return MEAN_FIELD;
      case "fullrank":
      case "full":
      case "fullcovariance":
        return FULL_RANK;
      case "flow":
        return FLOW;
      case "mixture":
        return MIXTURE;
      default:
        throw new IllegalArgumentException("unknown VI family '" + s
            + "' (expected meanfield, fullrank, flow or mixture)");
    }
  }
}
