package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Posterior;

/**
 * One VI run (one restart): the fitted posterior over the control, how the run stopped, and its ELBO.
 * <pre>
 *   ELBO_c = E_q[−J(c)] + H_c(q) = ELBO_v + log|det S|        (H over the control c; ELBO_v over v)
 *   final estimate:  mean of h = −f(v) − log q(v) over M draws from q (+ log|det S|),  s.e. = sd(h)/√M
 * </pre>
 * How a user tells whether it worked: {@link #stopReason} — {@code converged} (the ELBO stopped changing by more
 * than its Monte Carlo error, {@link ElboConvergenceTest}), {@code iteration-limit} (it did not within
 * {@code vi.iterations}: raise the limit or the samples per step, or give a better start), {@code diverged} (a
 * non-finite value: the restart is excluded; {@link #elbo} is −∞ so that it ranks last and weighs 0).
 * A plain final class with public final fields; arrays owned by it.
 */
public final class VariationalResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Restart index r. */
  public final long restart;
  /** The family. */
  public final VariationalFamily family;
  /** Why it stopped. */
  public final ViStopReason stopReason;
  /** Iterations done in all (for a flow: the Gaussian stage's plus the flow's). */
  public final int iterations;
  /** For a flow run from a start: the iterations of its full-rank Gaussian stage (else 0). */
  public final int gaussianIterations;
  /** ELBO_c estimate of every iteration, from that iteration's samples (null when not recorded). */
  public final double[] elboTrace;
  /** Final ELBO_c estimate; −∞ when diverged. */
  public final double elbo;
  /** Its Monte Carlo standard error (0 when diverged). */
  public final double elboStdErr;
  /** {@code log|det S|}, the term between ELBO_v and ELBO_c. */
  public final double logDetS;
  /** Samples of the final estimate. */
  public final int finalSamples;
  /**
   * The posterior over c: {@link GaussianPosterior} (mean-field: DIAGONAL factor σ_v; full-rank: LOWER L_v),
   * {@link org.vi4dvar.kernels.flow.FlowPosterior}, {@link org.vi4dvar.kernels.posterior.MixturePosterior}.
   * {@code null} only for a diverged run whose last finite parameters do not define a distribution.
   */
  public final Posterior posterior;
  /** The diagnostics (also {@code posterior.diagnostics()}). */
  public final Diagnostics diagnostics;

  VariationalResult(long restart, VariationalFamily family, ViStopReason stopReason, int iterations,
      int gaussianIterations, double[] elboTrace, double elbo, double elboStdErr, double logDetS, int finalSamples,
      Posterior posterior, Diagnostics diagnostics) {
    this.restart = restart;
    this.family = family;
    this.stopReason = stopReason;
    this.iterations = iterations;
    this.gaussianIterations = gaussianIterations;
    this.elboTrace = elboTrace;
    this.elbo = elbo;
    this.elboStdErr = elboStdErr;
    this.logDetS = logDetS;
    this.finalSamples = finalSamples;
    this.posterior = posterior;
    this.diagnostics = diagnostics;
  }

  /** Whether the convergence test passed. */
  public boolean converged() {
    return stopReason == ViStopReason.CONVERGED;
  }

  /** Whether the run diverged (to be counted and excluded). */
  public boolean diverged() {
    return stopReason == ViStopReason.DIVERGED;
  }

  /** The posterior as a Gaussian (mean-field and full-rank runs). */
  public GaussianPosterior gaussian() {
    if (!(posterior instanceof GaussianPosterior)) {
      throw new IllegalStateException("a " + family.configName() + " run has no Gaussian posterior");
    }
    return (GaussianPosterior) posterior;
  }

  @Override
  public String toString() {
    return "VariationalResult[r=" + restart + ", " + family.configName() + ", " + stopReason.configName()
        + " after " + iterations + " iterations, ELBO=" + elbo + " ± " + elboStdErr + "]";
  }
}
