package org.vi4dvar.kernels.posterior;

import org.vi4dvar.kernels.rng.RandomStream;

/**
 * A posterior distribution over the control vector {@code c} of a 4D-Var problem ({@code c = x0} for strong
 * constraint; x0 and the model errors and parameters when the control is extended), as every estimator returns
 * it:
 * <ul>
 *   <li>draws by index — draw i is a pure function of (the posterior, i), so any task can draw any subset, in any
 *       order, with identical results; a draw may carry an (unnormalised) importance weight;</li>
 *   <li>its log density where the family has one (Gaussian, mixture, flow), for importance correction and
 *       diagnostics;</li>
 *   <li>its exact moments where the family knows them (a Gaussian's mean and covariance, the weighted sample moments
 *       of an empirical posterior) — not Monte Carlo estimates;</li>
 *   <li>its diagnostics ({@link Diagnostics}).</li>
 * </ul>
 * Implementations are immutable and shippable (plain final classes, Kryo; large ones go out as a broadcast);
 * {@link #sampler()} gives a non-thread-safe view with preallocated workspaces, one per task or thread.
 */
public interface Posterior extends java.io.Serializable {

  /** The dimension n of the control. */
  int dimension();

  /** The family. */
  Family family();

  /**
   * How many draws to use when {@code requested} are asked for: {@code requested} for a family that can draw
   * any number (Gaussian, mixture, flow), its own size for an empirical posterior (members, kept trials,
   * MCMC draws, importance draws).
   */
  long draws(long requested);

  /** Whether draws carry importance weights (else every weight is 1). */
  boolean weighted();

  /** Whether {@link Sampler#logDensity} is available. */
  boolean hasDensity();

  /** The exact mean and covariance of the control where the family knows them, else {@code null}. */
  Moments exactMoments();

  /** What the estimator reports about how it got this posterior. */
  Diagnostics diagnostics();

  /** A sampler with its own workspaces (not thread-safe). */
  Sampler sampler();

  /** Draws and densities of a posterior, with preallocated workspaces; one per task or thread. */
  interface Sampler {

    /**
     * Writes draw {@code i} (0 ≤ i &lt; {@link #draws}) into {@code out[0..n)}.
     *
     * @return its weight: 1 when {@link #weighted()} is false, else a finite value ≥ 0 (unnormalised)
     */
    double draw(long i, double[] out);

    /**
     * {@code log q(c)} (normalised).
     *
     * @throws UnsupportedOperationException if the family has no density
     */
    default double logDensity(double[] c) {
      throw new UnsupportedOperationException("this posterior has no density");
    }

    /**
     * One draw from the given stream (families that sample from a stream: Gaussians, flows; used by mixtures,
     * which first draw the component from the same stream).
     *
     * @throws UnsupportedOperationException for families that do not draw from a stream (empirical)
     */
    default void drawFrom(RandomStream rng, double[] out) {
      throw new UnsupportedOperationException("this posterior does not draw from a stream");
    }
  }
}
