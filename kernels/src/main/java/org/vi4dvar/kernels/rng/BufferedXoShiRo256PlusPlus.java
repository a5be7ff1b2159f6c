package org.vi4dvar.kernels.rng;

import org.apache.commons.rng.core.source64.LongProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Commons RNG's XoShiRo256++ (Blackman &amp; Vigna 2019), the same sequence of 64-bit outputs from the same 256-bit
 * state, generated {@value #N} at a time by a loop that keeps the state in registers (Commons' {@code next()}
 * reads and writes its four state fields for every output, which puts a store-to-load round trip on the
 * generator's dependency chain). Every method of {@link LongProvider} derives from {@link #next()}, so all of them
 * give Commons' numbers bit for bit.
 *
 * <p>{@link #fillGaussian} is Commons RNG 1.6's {@code ZigguratSampler.NormalizedGaussian.sample()} with its fast
 * path (≈ 98.8 % of the draws: one output, {@code X[i] · (double) output} for the low byte {@code i < 253}) inlined
 * and the rest handed to the Commons sampler itself after pushing the output back, so the numbers are Commons'
 * by construction; the table {@code X} is read from the Commons sampler through its public API at class
 * initialisation ({@link #zigguratTable()}). Tested against the unbuffered Commons classes.
 *
 * <p>Not thread-safe; no state saving ({@code saveState} is not supported).
 */
final class BufferedXoShiRo256PlusPlus extends LongProvider {

  /** Outputs generated per refill. */
  static final int N = 64;
  /** Commons' ziggurat: fast path for a low byte below this ({@code I_MAX} in ZigguratSampler 1.6). */
  static final int I_MAX = 253;
  /** Commons' fast-path table {@code X}, exactly. */
  private static final double[] X = zigguratTable();

  private long s0;
  private long s1;
  private long s2;
  private long s3;
  private final long[] buf = new long[N];
  private int pos = N;

  /** The generator with state {@code (s0, s1, s2, s3)} (Commons' {@code XoShiRo256PlusPlus(long[4])}). */
  BufferedXoShiRo256PlusPlus(long[] state) {
    this.s0 = state[0];
    this.s1 = state[1];
    this.s2 = state[2];
    this.s3 = state[3];
  }

  @Override
  public long next() {
    if (pos == N) {
      refill();
    }
    return buf[pos++];
  }

  /** The next {@value #N} outputs: Commons' {@code nextOutput()} then state update, in locals. */
  private void refill() {
    long a0 = s0;
    long a1 = s1;
    long a2 = s2;
    long a3 = s3;
    final long[] b = buf;
    for (int i = 0; i < N; i++) {
      b[i] = Long.rotateLeft(a0 + a3, 23) + a0;
      final long t = a1 << 17;
      a2 ^= a0;
      a3 ^= a1;
      a1 ^= a2;
      a0 ^= a3;
      a2 ^= t;
      a3 = Long.rotateLeft(a3, 45);
    }
    s0 = a0;
    s1 = a1;
    s2 = a2;
    s3 = a3;
    pos = 0;
  }

  /**
   * {@code a[off..off+len)} = the next standard normals of {@code slow} (a Commons ziggurat sampler drawing from
   * this generator), bit for bit, with its fast path inlined.
   */
  void fillGaussian(double[] a, int off, int len, NormalizedGaussianSampler slow) {
    final double[] x = X;
    final long[] b = buf;
    int p = pos;
    final int end = off + len;
    for (int k = off; k < end; k++) {
      if (p == N) {
        refill();
        p = 0;
      }
      final long xx = b[p++];
      final int i = ((int) xx) & 0xff;
      if (i < I_MAX) {
        a[k] = x[i] * xx;
      } else {
        pos = p - 1;                       // push the output back: Commons' sample() draws it again
        a[k] = slow.sample();
        p = pos;
      }
    }
    pos = p;
  }

  /**
   * The same draws as {@link #fillGaussian} of {@code nb·n} values, written transposed: draw {@code t·n + i} goes to
   * {@code rows[i][t]} ({@code i < n}, {@code t < nb}), i.e. vector t of n standard normals into column t.
   */
  void fillGaussianColumns(double[][] rows, int n, int nb, NormalizedGaussianSampler slow) {
    final double[] x = X;
    final long[] b = buf;
    int p = pos;
    for (int t = 0; t < nb; t++) {
      for (int k = 0; k < n; k++) {
        if (p == N) {
          refill();
          p = 0;
        }
        final long xx = b[p++];
        final int i = ((int) xx) & 0xff;
        final double g;
        if (i < I_MAX) {
          g = x[i] * xx;
        } else {
          pos = p - 1;
          g = slow.sample();
          p = pos;
        }
        rows[k][t] = g;
      }
    }
    pos = p;
  }

  /**
   * Commons' table: for {@code i < I_MAX} the sampler returns {@code X[i] · (double) u} for an output u with low
   * byte i; with {@code u = 2⁶² + i}, {@code (double) u = 2⁶²} exactly (the spacing of doubles there is 2¹⁰), so
   * {@code X[i] = sample · 2⁻⁶²} exactly (scaling by a power of two).
   */
  static double[] zigguratTable() {
    final long[] v = new long[1];
    LongProvider probe = new LongProvider() {
      @Override
      public long next() {
        return v[0];
      }
    };
    NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(probe);
    double[] x = new double[I_MAX];
    for (int i = 0; i < I_MAX; i++) {
      v[0] = (1L << 62) | i;
      x[i] = g.sample() * 0x1p-62;
    }
    return x;
  }
}
