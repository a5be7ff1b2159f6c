package org.vi4dvar.kernels.config;

import java.util.Locale;

/** Which posterior VI-4D-Var reports from its restarts. */
public enum ViPosterior implements ConfigChoice {
  /** The q of the restart with the best final ELBO. */
  BEST,
  /**
   * The mixture of all non-diverged restarts weighted by {@code exp(ELBO_r)}: the ELBO is log p(y) − KL(q‖p)
   * up to a constant, so the weights favour the restarts closest to the posterior; useful when it is multimodal.
   */
  MIXTURE;

  /** The configuration name. */
  @Override
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
