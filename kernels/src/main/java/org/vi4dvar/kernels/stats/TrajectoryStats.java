package org.vi4dvar.kernels.stats;

import java.util.Arrays;

/**
 * Mergeable moments of trajectory samples: per (t, i) the count, mean and M2 (Welford), and at chosen times
 * t_k the matrix of co-moments {@code C_k = Σ_s (x_t − m_t)(x_t − m_t)ᵀ}:
 * <pre>
 *   add x:  n ← n+1,  δ = x − m,  m ← m + δ/n,  M2 ← M2 + δ² (n−1)/n,  C ← C + δ δᵀ (n−1)/n
 *   merge:  n = na+nb,  δ = mb − ma,  m = ma + δ nb/n,  M2 = M2a + M2b + δ² na nb/n,  C = Ca + Cb + δδᵀ na nb/n
 * </pre>
 * ({@code (n−1)/n δ} is {@code x − m_new}, so the updates are the usual Welford ones written symmetrically.)
 * Variance {@code M2/(n−1)}, covariance {@code C/(n−1)}. Floating results depend on the order of adds and
 * merges: {@link #foldInOrder} merges per-chunk statistics by chunk index so that any assignment of chunks to
 * tasks gives the same bits. Mutable, not thread-safe; a plain final class (Kryo).
 */
public final class TrajectoryStats implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private final int nx;
  private final int nStates;
  private final int[] covTimes;
  private long n;
  private final double[] mean;
  private final double[] m2;
  private final double[] co;
  private final double[] delta;

  /**
   * Empty statistics.
   *
   * @param nx state size
   * @param nStates states per trajectory
   * @param covTimes times at which to keep the full covariance (copied; each in [0, nStates))
   */
  public TrajectoryStats(int nx, int nStates, int[] covTimes) {
    if (nx < 1 || nStates < 1) {
      throw new IllegalArgumentException("nx and nStates must be >= 1");
    }
    for (int t : covTimes) {
      if (t < 0 || t >= nStates) {
        throw new IllegalArgumentException("covariance time " + t + " outside [0, " + nStates + ")");
      }
    }
    this.nx = nx;
    this.nStates = nStates;
    this.covTimes = covTimes.clone();
    this.mean = new double[nx * nStates];
    this.m2 = new double[nx * nStates];
    this.co = new double[covTimes.length * nx * nx];
    this.delta = new double[nx];
  }

  /** Adds one trajectory {@code traj[off + t*nx + i]} (not modified). */
  public void add(double[] traj, int off) {
    n++;
    final double nn = n;
    final double w = (nn - 1.0) / nn;
    // co-moments first, with δ = x − m_old (the mean loop below overwrites m)
    for (int c = 0; c < covTimes.length; c++) {
      final int o = covTimes[c] * nx;
      for (int i = 0; i < nx; i++) {
        delta[i] = traj[off + o + i] - mean[o + i];
      }
      addOuter(c, delta, w);
    }
    final int len = nx * nStates;
    for (int k = 0; k < len; k++) {
      double d = traj[off + k] - mean[k];
      mean[k] += d / nn;
      m2[k] += d * d * w;
    }
  }

  /** Adds {@code count} trajectories stored one after another from {@code trajs[0]}. */
  public void addAll(double[] trajs, int count) {
    final int len = nx * nStates;
    for (int s = 0; s < count; s++) {
      add(trajs, s * len);
    }
  }

  private void addOuter(int c, double[] d, double w) {
    final int base = c * nx * nx;
    for (int i = 0; i < nx; i++) {
      final double di = d[i] * w;
      final int o = base + i * nx;
      for (int j = 0; j <= i; j++) {
        co[o + j] += di * d[j];
      }
    }
  }

  /** Merges {@code o} into this (Chan et al.); {@code o} is not modified. */
  public void merge(TrajectoryStats o) {
    if (o.nx != nx || o.nStates != nStates || !Arrays.equals(o.covTimes, covTimes)) {
      throw new IllegalArgumentException("cannot merge statistics of different shapes");
    }
    if (o.n == 0) {
      return;
    }
    if (n == 0) {
      n = o.n;
      System.arraycopy(o.mean, 0, mean, 0, mean.length);
      System.arraycopy(o.m2, 0, m2, 0, m2.length);
      System.arraycopy(o.co, 0, co, 0, co.length);
      return;
    }
    final double na = n;
    final double nb = o.n;
    final double nt = na + nb;
    final double fb = nb / nt;
    final double w = na * nb / nt;
    for (int c = 0; c < covTimes.length; c++) {
      final int ot = covTimes[c] * nx;
      for (int i = 0; i < nx; i++) {
        delta[i] = o.mean[ot + i] - mean[ot + i];
      }
      final int base = c * nx * nx;
      for (int i = 0; i < nx; i++) {
        for (int j = 0; j <= i; j++) {
          co[base + i * nx + j] += o.co[base + i * nx + j];
        }
      }
      addOuter(c, delta, w);
    }
    for (int k = 0; k < mean.length; k++) {
      double d = o.mean[k] - mean[k];
      mean[k] += d * fb;
      m2[k] += o.m2[k] + d * d * w;
    }
    n += o.n;
  }

  /**
   * Folds per-chunk statistics in chunk-index order ({@code parts[0]}, then {@code parts[1]}, …) into a new
   * object: the same bits whatever task computed which chunk.
   */
  public static TrajectoryStats foldInOrder(TrajectoryStats[] parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("nothing to fold");
    }
    TrajectoryStats r = new TrajectoryStats(parts[0].nx, parts[0].nStates, parts[0].covTimes);
    for (TrajectoryStats p : parts) {
      r.merge(p);
    }
    return r;
  }

  /** Number of trajectories. */
  public long count() {
    return n;
  }

  /** State size. */
  public int nx() {
    return nx;
  }

  /** States per trajectory. */
  public int nStates() {
    return nStates;
  }

  /** The covariance times (copy). */
  public int[] covTimes() {
    return covTimes.clone();
  }

  /** Mean {@code [t*nx + i]} (copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** Sample variance {@code M2/(n−1)} per (t, i) (new array; 0 if n &lt; 2). */
  public double[] variance() {
    double[] v = new double[m2.length];
    if (n > 1) {
      for (int k = 0; k < v.length; k++) {
        v[k] = m2[k] / (n - 1);
      }
    }
    return v;
  }

  /** Sample standard deviation per (t, i) (new array). */
  public double[] std() {
    double[] v = variance();
    for (int k = 0; k < v.length; k++) {
      v[k] = Math.sqrt(v[k]);
    }
    return v;
  }

  /** Sample covariance of x_t at {@code covTimes()[c]}, {@code C/(n−1)} (new n×n symmetric array). */
  public double[] covariance(int c) {
    double[] r = new double[nx * nx];
    if (n < 2) {
      return r;
    }
    final int base = c * nx * nx;
    final double inv = 1.0 / (n - 1);
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j <= i; j++) {
        double v = co[base + i * nx + j] * inv;
        r[i * nx + j] = v;
        r[j * nx + i] = v;
      }
    }
    return r;
  }
}
