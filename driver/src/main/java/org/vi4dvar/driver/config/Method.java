package org.vi4dvar.driver.config;

import java.util.Locale;

/** The posterior estimators, in the order a run executes them. */
public enum Method {
  /** 4D-Var MAP by multi-start L-BFGS, with the Laplace approximation at the lowest minimum. */
  MAP,
  /** ABC rejection: prior trials, the k of smallest distance kept. */
  ABC,
  /** Ensemble of 4D-Var: perturbed background and observations, one minimisation per member. */
  ENSEMBLE,
  /** VI-4D-Var: a Gaussian q(x0) fitted by maximising the ELBO, several restarts. */
  VI;

  /** The name on the command line and in the configuration ({@code map}, {@code abc}, ...). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
