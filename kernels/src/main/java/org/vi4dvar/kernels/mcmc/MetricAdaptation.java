package org.vi4dvar.kernels.mcmc;

import java.util.Locale;

/**
 * How warm-up adapts the metric (the mass matrix of HMC/NUTS, the proposal covariance of MALA) on top of the
 * given preconditioner (key {@code mcmc.metric}): in Stan's windows, from the draws' covariance in the
 * preconditioner's coordinates.
 */
public enum MetricAdaptation implements org.vi4dvar.kernels.config.ConfigChoice {
  /** The preconditioner as given. */
  NONE("none"),
  /** A per-coordinate scale of the preconditioner's coordinates (the draws' variances). */
  DIAGONAL("diag"),
  /** A full factor: the draws' covariance in the preconditioner's coordinates. */
  DENSE("dense");

  private final String configName;

  MetricAdaptation(String configName) {
    this.configName = configName;
  }

  /** The name in configuration and outputs. */
  public String configName() {
    return configName;
  }

  /**
   * The adaptation named {@code s} (case-insensitive; {@code diagonal} also accepted).
   *
   * @throws IllegalArgumentException "mcmc.metric must be one of none, diag, dense, got 'x'"
   */
  public static MetricAdaptation parse(String s) {
    String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("diagonal")) {
      return DIAGONAL;
    }
    for (MetricAdaptation m : values()) {
      if (m.configName.equals(t)) {
        return m;
      }
    }
    throw new IllegalArgumentException("mcmc.metric must be one of none, diag, dense, got '" + s + "'");
  }
}
