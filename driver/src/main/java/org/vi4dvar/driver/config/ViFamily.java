package org.vi4dvar.driver.config;

import java.util.Locale;

/** The Gaussian family {@code q(x0) = N(μ, Σ)} of VI-4D-Var. */
public enum ViFamily {
  /** Diagonal Σ (the talk). */
  MEANFIELD,
  /** Full Σ = L Lᵀ, L lower-triangular with a positive diagonal. */
  FULLRANK;

  /** The configuration name. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kernel's family of the same name. */
  public org.vi4dvar.kernels.vi.ViFamily kernel() {
    return this == FULLRANK ? org.vi4dvar.kernels.vi.ViFamily.FULL_COVARIANCE
        : org.vi4dvar.kernels.vi.ViFamily.MEAN_FIELD;
  }
}
