package org.vi4dvar.kernels.config;

/** Which posterior VI-4D-Var reports from its restarts. */
public enum ViPosterior implements ConfigChoice {
  /** The q of the restart with the best final ELBO. */
  BEST,
  /**
   * {@code restart-mixture}: the mixture of the restarts' q weighted by {@code exp(ELBO_r)} (not a fitted
   * mixture: that is {@code vi.family = mixture}). The ELBO is log p(y) − KL(q‖p) up to a constant, so the weights
   * favour the restarts closest to the posterior. Named {@code mixture} before issue 14.
   */
  RESTART_MIXTURE;

  /** {@code best} or {@code restart-mixture}. */
  @Override
  public String configName() {
    return this == BEST ? "best" : "restart-mixture";
  }
}
