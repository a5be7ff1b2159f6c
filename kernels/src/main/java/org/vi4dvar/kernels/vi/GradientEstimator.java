package org.vi4dvar.kernels.vi;

import java.util.Locale;

/** The Monte Carlo estimator of the ELBO gradient. */
public enum GradientEstimator implements org.vi4dvar.kernels.config.ConfigChoice {
  /**
   * "Sticking the landing" (Roeder, Wu &amp; Duvenaud, NeurIPS 2017): differentiate {@code −f(v) − log q_θ(v)}
   * only through the sample {@code v = T_θ(ε)}, θ held fixed inside log q:
   * {@code ĝ = (∂v/∂θ)ᵀ (∇f(v) + ∇_v log q_θ(v))}. Unbiased (the dropped score term has mean 0), and for a
   * Gaussian q equal to a Gaussian posterior the bracket is identically 0: the variance vanishes at the optimum.
   * The default.
   */
  PATH,
  /**
   * The total reparameterisation gradient of {@code f(v) + log q_θ(v)} (for a Gaussian: of
   * {@code f(v) − H(q)}, the entropy in closed form — the talk's estimator). Its variance does not vanish at the
   * optimum; kept for comparison.
   */
  TOTAL;

  /** {@code path | total}. */
  @Override
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #configName()}. */
  public static GradientEstimator parse(String s) {
    for (GradientEstimator g : values()) {
      if (g.configName().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return g;
      }
    }
    throw new IllegalArgumentException("unknown gradient estimator '" + s + "' (expected path or total)");
  }
}
