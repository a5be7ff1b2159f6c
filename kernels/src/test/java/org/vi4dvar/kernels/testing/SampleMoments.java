package org.vi4dvar.kernels.testing;

/**
 * Sample mean and covariance of {@code n} draws (row-major {@code x[s*d + i]}) and their Monte Carlo error
 * bounds for Gaussian draws: for the mean {@code sd(m̂_i) = √(P_ii/n)}, for the covariance
 * {@code sd(Ŝ_ij) = √((P_ii P_jj + P_ij²)/(n−1))} (Anderson, An Introduction to Multivariate Statistical
 * Analysis, §3.3: the Wishart variance). Tests accept {@code |error| ≤ k sd} with k =
 * {@link Tol#MC_SIGMAS}.
 */
public final class SampleMoments {

  /** Dimension. */
  public final int d;
  /** Draws. */
  public final int n;
  /** Sample mean. */
  public final double[] mean;
  /** Sample covariance (divisor n − 1). */
  public final double[] cov;

  /** Moments of {@code n} draws of dimension {@code d}. */
  public SampleMoments(double[] x, int n, int d) {
    this.d = d;
    this.n = n;
    mean = new double[d];
    cov = new double[d * d];
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < d; i++) {
        mean[i] += x[s * d + i];
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] /= n;
    }
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < d; i++) {
        double di = x[s * d + i] - mean[i];
        for (int j = 0; j < d; j++) {
          cov[i * d + j] += di * (x[s * d + j] - mean[j]);
        }
      }
    }
    for (int k = 0; k < d * d; k++) {
      cov[k] /= (n - 1);
    }
  }

  /**
   * The largest standardised error of mean and covariance against the exact {@code (m, P)}, in units of the
   * Monte Carlo standard deviations above.
   */
  public double maxStandardisedError(double[] m, double[] p) {
    double worst = 0;
    for (int i = 0; i < d; i++) {
      worst = Math.max(worst, Math.abs(mean[i] - m[i]) / Math.sqrt(p[i * d + i] / n));
      for (int j = 0; j < d; j++) {
        double sd = Math.sqrt((p[i * d + i] * p[j * d + j] + p[i * d + j] * p[i * d + j]) / (n - 1));
        worst = Math.max(worst, Math.abs(cov[i * d + j] - p[i * d + j]) / sd);
      }
    }
    return worst;
  }
}
