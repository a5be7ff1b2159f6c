package org.vi4dvar.kernels.diagnostics;

/**
 * Autocovariances of a sequence at every lag by the fast Fourier transform (Wiener–Khinchin):
 * <pre>
 *   y = x − x̄ padded with zeros to M = 2^k ≥ 2N,   Y = FFT(y),   r = IFFT(|Y|²)
 *   γ̂_t = r_t / N = (1/N) Σ_{i=0}^{N−1−t} (x_i − x̄)(x_{i+t} − x̄),   t = 0 … N−1
 * </pre>
 * The padding to at least 2N makes the circular correlation equal the linear one; the divisor N (not N − t)
 * is the "biased" estimate Geyer (1992) recommends, as Stan and the posterior R package use. The FFT is an
 * iterative in-place radix-2 Cooley–Tukey transform (bit-reversal permutation, then log₂M butterfly passes with
 * twiddles from a table of cos/sin computed once per size); for the sizes of MCMC diagnostics (N ≤ 10⁶) its
 * round-off, O(u log M) relative to γ̂_0, is far below the statistical error. The inverse transform uses
 * {@code IFFT(z) = conj(FFT(conj(z)))/M}; as |Y|² is real the conjugations drop out.
 *
 * <p>One instance holds the buffers for sequences up to a given length (grown on demand); not thread-safe.
 */
public final class Autocovariance {

  private int m;
  private double[] re = new double[0];
  private double[] im = new double[0];
  private double[] cos = new double[0];
  private double[] sin = new double[0];

  /** A workspace, sized on first use. */
  public Autocovariance() {
  }

  /** The smallest power of two ≥ {@code k} (k ≥ 1). */
  static int powerOfTwoAtLeast(int k) {
    int p = 1;
    while (p < k) {
      p <<= 1;
    }
    return p;
  }

  private void ensure(int size) {
    if (size == m) {
      return;
    }
    m = size;
    re = new double[m];
    im = new double[m];
    cos = new double[m / 2];
    sin = new double[m / 2];
    for (int j = 0; j < m / 2; j++) {
      double a = -2.0 * Math.PI * j / m;
      cos[j] = Math.cos(a);
      sin[j] = Math.sin(a);
    }
  }

  /**
   * Autocovariances {@code out[t] = γ̂_t}, t = 0 … len−1, of {@code x[off .. off+len)} (not modified).
   *
   * @param out at least {@code len} values; modified
   * @return the mean x̄
   */
  public double of(double[] x, int off, int len, double[] out) {
    if (len < 1) {
      throw new IllegalArgumentException("autocovariance of an empty sequence");
    }
    double mean = 0.0;
    for (int i = 0; i < len; i++) {
      mean += x[off + i];
    }
    mean /= len;
    ensure(powerOfTwoAtLeast(2 * len));
    for (int i = 0; i < len; i++) {
      re[i] = x[off + i] - mean;
      im[i] = 0.0;
    }
    for (int i = len; i < m; i++) {
      re[i] = 0.0;
      im[i] = 0.0;
    }
    fft(re, im);
    for (int i = 0; i < m; i++) {
      re[i] = re[i] * re[i] + im[i] * im[i];
      im[i] = 0.0;
    }
    fft(re, im);
    final double scale = 1.0 / ((double) m * len);
    for (int t = 0; t < len; t++) {
      out[t] = re[t] * scale;
    }
    return mean;
  }

  /** In-place forward DFT {@code X_k = Σ_j z_j e^{−2πi jk/M}} of (re, im), M = {@link #m} a power of two. */
  private void fft(double[] xr, double[] xi) {
    final int n = m;
    // bit-reversal permutation
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = xr[i];
        xr[i] = xr[j];
        xr[j] = t;
        t = xi[i];
        xi[i] = xi[j];
        xi[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      final int half = len >> 1;
      final int step = n / len;
      for (int i = 0; i < n; i += len) {
        for (int k = 0; k < half; k++) {
          final double wr = cos[k * step];
          final double wi = sin[k * step];
          final int a = i + k;
          final int b = a + half;
          final double tr = xr[b] * wr - xi[b] * wi;
          final double ti = xr[b] * wi + xi[b] * wr;
          xr[b] = xr[a] - tr;
          xi[b] = xi[a] - ti;
          xr[a] += tr;
          xi[a] += ti;
        }
      }
    }
  }

  /** The direct O(N²) sum, for tests and tiny N: {@code out[t] = (1/N) Σ_i (x_i − x̄)(x_{i+t} − x̄)}. */
  public static double direct(double[] x, int off, int len, double[] out) {
    double mean = 0.0;
    for (int i = 0; i < len; i++) {
      mean += x[off + i];
    }
    mean /= len;
    for (int t = 0; t < len; t++) {
      double s = 0.0;
      for (int i = 0; i + t < len; i++) {
        s += (x[off + i] - mean) * (x[off + i + t] - mean);
      }
      out[t] = s / len;
    }
    return mean;
  }
}
