package org.vi4dvar.kernels.mcmc;

import java.util.Locale;

/** The transition kernel of a chain (key {@code mcmc.sampler}); see the package comment for the choice. */
public enum SamplerKind implements org.vi4dvar.kernels.config.ConfigChoice {
  /**
   * Preconditioned Metropolis-adjusted Langevin (Roberts &amp; Tweedie 1996): one gradient per iteration, a
   * random walk with drift; target acceptance 0.574 (Roberts &amp; Rosenthal 1998).
   */
  MALA(0.574),
  /**
   * Hamiltonian Monte Carlo with a fixed integration time (jittered ±50 %) and a Metropolis step at the end
   * (Duane et al. 1987; Neal 2011); target acceptance 0.8.
   */
  HMC(0.8),
  /**
   * The no-U-turn sampler (Hoffman &amp; Gelman 2014) in Stan's form: multinomial sampling over the trajectory,
   * biased progressive sampling between subtrees, the generalised U-turn criterion with the checks across
   * subtree boundaries (Betancourt 2017); target mean acceptance statistic 0.8.
   */
  NUTS(0.8);

  private final double targetAccept;

  SamplerKind(double targetAccept) {
    this.targetAccept = targetAccept;
  }

  /** The default target of the step-size adaptation. */
  public double defaultTargetAccept() {
    return targetAccept;
  }

  /** The name in configuration and outputs: lower case. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind named {@code s} (case-insensitive).
   *
   * @throws IllegalArgumentException "mcmc.sampler must be one of mala, hmc, nuts, got 'x'"
   */
  public static SamplerKind parse(String s) {
    for (SamplerKind k : values()) {
      if (k.configName().equalsIgnoreCase(s == null ? "" : s.trim())) {
        return k;
      }
    }
    throw new IllegalArgumentException("mcmc.sampler must be one of mala, hmc, nuts, got '" + s + "'");
  }
}
