package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.rng.RandomStream;

/**
 * One VI-4D-Var restart: the fitted {@code q(x0) = N(μ, L Lᵀ)}, its ELBO trace and final ELBO estimate.
 * <pre>
 *   ELBO(q) = E_q[−J(x0)] + H(q),   H(q) = Σ_i log L_ii + n/2 log(2πe)
 *   final estimate  Ê = (1/M) Σ_m (−J(x_m)) + H,   standard error  sd_m(J(x_m)) / √M
 * </pre>
 * The ELBO equals {@code log p(y) − KL(q ‖ p(x0|y))} up to the constant normalisation of J, so it ranks
 * restarts. A diverged restart (a non-finite J or gradient during the optimisation) keeps the last finite
 * parameters, {@link #diverged} is true and its final ELBO is {@code −∞} (it ranks last and weighs 0 in an
 * ELBO-weighted mixture); the same if a final sample has a non-finite J. A plain final class with public final
 * fields (Kryo); arrays owned by the result.
 */
public final class ViResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Restart index r. */
  public final long restart;
  /** The family. */
  public final ViFamily family;
  /** State size n. */
  public final int nx;
  /** Initial mean μ0 (jittered for r &gt; 0). */
  public final double[] start;
  /** The mean μ. */
  public final double[] mean;
  /** The scale L (n×n lower-triangular, row-major; diagonal σ for mean-field): {@code Σ = L Lᵀ}. */
  public final double[] scaleTril;
  /** Adam iterations completed. */
  public final int iterations;
  /** Whether a non-finite value stopped the optimisation. */
  public final boolean diverged;
  /** The iteration at which it did ({@code −1} if it did not). */
  public final int divergedAt;
  /** Per-iteration ELBO estimate {@code −(1/S) Σ_s J(x_s) + H(q)} (length {@link #iterations}), or null. */
  public final double[] elboTrace;
  /** Final ELBO estimate ({@code −∞} when diverged or a final sample was not finite). */
  public final double finalElbo;
  /** Monte Carlo standard error of {@link #finalElbo} (0 when it is −∞). */
  public final double finalElboStdErr;
  /** Samples drawn for the final estimate. */
  public final int finalSamples;
  /** Final samples whose J was not finite. */
  public final int finalNonFinite;
  /** Entropy {@code H(q)} of the fitted q. */
  public final double entropy;

  /** Builds a result; arrays are kept, not copied. */
  public ViResult(long restart, ViFamily family, int nx, double[] start, double[] mean, double[] scaleTril,
      int iterations, boolean diverged, int divergedAt, double[] elboTrace, double finalElbo,
      double finalElboStdErr, int finalSamples, int finalNonFinite, double entropy) {
    this.restart = restart;
    this.family = family;
    this.nx = nx;
    this.start = start;
    this.mean = mean;
    this.scaleTril = scaleTril;
    this.iterations = iterations;
    this.diverged = diverged;
    this.divergedAt = divergedAt;
    this.elboTrace = elboTrace;
    this.finalElbo = finalElbo;
    this.finalElboStdErr = finalElboStdErr;
    this.finalSamples = finalSamples;
    this.finalNonFinite = finalNonFinite;
    this.entropy = entropy;
  }

  /** {@code E_q[J]} estimate: {@code H − finalElbo} ({@code +∞} when the ELBO is −∞). */
  public double meanCost() {
    return entropy - finalElbo;
  }

  /** {@code Σ = L Lᵀ} (new n×n array). */
  public double[] covariance() {
    final int n = nx;
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0.0;
        for (int k = 0; k <= j; k++) {
          s += scaleTril[i * n + k] * scaleTril[j * n + k];
        }
        c[i * n + j] = s;
        c[j * n + i] = s;
      }
    }
    return c;
  }

  /** Marginal standard deviations {@code √Σ_ii} (new array). */
  public double[] std() {
    final int n = nx;
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      double v = 0.0;
      for (int k = 0; k <= i; k++) {
        v += scaleTril[i * n + k] * scaleTril[i * n + k];
      }
      s[i] = Math.sqrt(v);
    }
    return s;
  }

  /** One draw {@code μ + L z} into {@code out[off..off+n)}, z = n Gaussians of {@code rng} in order. */
  public void sample(RandomStream rng, double[] out, int off) {
    final int n = nx;
    double[] z = new double[n];
    rng.fillGaussian(z, 0, n);
    for (int i = 0; i < n; i++) {
      double s = mean[i];
      for (int k = 0; k <= i; k++) {
        s += scaleTril[i * n + k] * z[k];
      }
      out[off + i] = s;
    }
  }

  /** {@code count} draws, row-major (new array). */
  public double[] samples(RandomStream rng, int count) {
    double[] out = new double[count * nx];
    for (int s = 0; s < count; s++) {
      sample(rng, out, s * nx);
    }
    return out;
  }

  @Override
  public String toString() {
    return "ViResult[r=" + restart + ", " + family + ", iterations=" + iterations + (diverged
        ? ", DIVERGED at " + divergedAt : "") + ", ELBO=" + finalElbo + " ± " + finalElboStdErr + ", H="
        + entropy + "]";
  }
}
