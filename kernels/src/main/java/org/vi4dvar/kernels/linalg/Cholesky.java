package org.vi4dvar.kernels.linalg;

/**
 * Cholesky factorisation {@code A = L Lᵀ} of a symmetric positive-definite {@code n × n} matrix (row-major,
 * only the lower triangle of A is read) and the solves and inverse built on it:
 * <pre>
 *   L_jj = √(A_jj − Σ_{k&lt;j} L_jk²),   L_ij = (A_ij − Σ_{k&lt;j} L_ik L_jk) / L_jj   (i &gt; j)
 *   L y = b  (forward),  Lᵀ x = y  (backward),  A⁻¹ = L⁻ᵀ L⁻¹,  log det A = 2 Σ log L_jj
 * </pre>
 * (Golub &amp; Van Loan, Matrix Computations, alg. 4.2.1, the row-oriented "Cholesky–Banachiewicz" order.)
 * A pivot that is not strictly positive and finite makes {@link #decompose} return {@code false}: the matrix is
 * not (numerically) positive definite. Static; only {@link #inverse} allocates (one row of n doubles).
 */
public final class Cholesky {

  /**
   * Rows factorised together by {@link #decomposeAt}: each earlier row of L is read once per block of rows
   * instead of once per row, so the factor of a large matrix streams through the caches n/ROW_BLOCK times
   * instead of n times (64 rows of 4096 doubles are 2 MiB).
   */
  private static final int ROW_BLOCK = 64;

  private Cholesky() {
  }

  /**
   * Factorises {@code a = L Lᵀ} into {@code l} (lower triangle; the strict upper triangle is set to 0).
   * {@code l} may be {@code a} (in place).
   *
   * @param n order
   * @param a the SPD matrix, row-major; lower triangle read; not modified unless {@code l == a}
   * @param l output, n×n; modified
   * @return {@code true} on success; {@code false} if a pivot is ≤ 0 or not finite (then {@code l} is garbage)
   */
  public static boolean decompose(int n, double[] a, double[] l) {
    return decomposeAt(n, a, l) < 0;
  }

  /**
   * As {@link #decompose}, but says where it failed: the index of the first row whose pivot
   * {@code A_jj − Σ_{k<j} L_jk²} is not strictly positive and finite (0-based), or −1 on success. On success
   * every pivot was {@code > 0}, so the leading principal minors are positive: the matrix is (numerically)
   * positive definite, and the pivots are {@code L_jj²} (their product is det A).
   *
   * @return −1 on success, else the failing row (then {@code l} is garbage from that row on)
   */
  public static int decomposeAt(int n, double[] a, double[] l) {
    if (a.length < n * n || l.length < n * n) {
      throw new IllegalArgumentException("Cholesky.decompose: arrays need " + n * n + " entries");
    }
    for (int i0 = 0; i0 < n; i0 += ROW_BLOCK) {
      final int i1 = Math.min(n, i0 + ROW_BLOCK);
      for (int j = 0; j < i1; j++) {
        final int oj = j * n;
        int i = Math.max(i0, j);
        // s_i = A_ij − Σ_{k<j} L_ik L_jk for four rows at once: four independent chains, each summed in k order
        for (; i + 3 < i1; i += 4) {
          final int o0 = i * n;
          final int o1 = o0 + n;
          final int o2 = o1 + n;
          final int o3 = o2 + n;
          double s0 = a[o0 + j];
          double s1 = a[o1 + j];
          double s2 = a[o2 + j];
          double s3 = a[o3 + j];
          for (int k = 0; k < j; k++) {
            final double ljk = l[oj + k];
            s0 -= l[o0 + k] * ljk;
            s1 -= l[o1 + k] * ljk;
            s2 -= l[o2 + k] * ljk;
            s3 -= l[o3 + k] * ljk;
          }
          l[o0 + j] = s0;
          l[o1 + j] = s1;
          l[o2 + j] = s2;
          l[o3 + j] = s3;
        }
        for (; i < i1; i++) {
          final int oi = i * n;
          double s = a[oi + j];
          for (int k = 0; k < j; k++) {
            s -= l[oi + k] * l[oj + k];
          }
          l[oi + j] = s;
        }
        int below = Math.max(i0, j);
        if (j >= i0) {                      // row j is in this block: its pivot
          final double s = l[oj + j];
          if (!(s > 0.0) || !Double.isFinite(s)) {
            return j;
          }
          l[oj + j] = Math.sqrt(s);
          below = j + 1;
        }
        final double ljj = l[oj + j];
        for (int r = below; r < i1; r++) {
          l[r * n + j] = l[r * n + j] / ljj;
        }
      }
      for (int r = i0; r < i1; r++) {
        for (int j = r + 1; j < n; j++) {
          l[r * n + j] = 0.0;
        }
      }
    }
    return -1;
  }

  /** Solves {@code L x = b} in place ({@code b} becomes x). L lower-triangular, not modified. */
  public static void solveLower(int n, double[] l, double[] b) {
    for (int i = 0; i < n; i++) {
      final int oi = i * n;
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[oi + k] * b[k];
      }
      b[i] = s / l[oi + i];
    }
  }

  /**
   * Solves {@code Lᵀ x = b} in place ({@code b} becomes x). L lower-triangular, not modified. Column-sweep order:
   * {@code x_k = b_k / L_kk}, then {@code b_i −= L_ki x_k} for i &lt; k, k from n − 1 down, so that every loop
   * runs along a row of L (contiguous; the dot-product order reads a column of L, n apart, which at n = 4096 made
   * each solve, hence each Laplace draw, memory-bound).
   */
  public static void solveLowerTranspose(int n, double[] l, double[] b) {
    for (int k = n - 1; k >= 0; k--) {
      final int ok = k * n;
      final double xk = b[k] / l[ok + k];
      b[k] = xk;
      for (int i = 0; i < k; i++) {
        b[i] -= l[ok + i] * xk;
      }
    }
  }

  /** Solves {@code A x = b} in place with {@code A = L Lᵀ}. */
  public static void solve(int n, double[] l, double[] b) {
    solveLower(n, l, b);
    solveLowerTranspose(n, l, b);
  }

  /**
   * {@code out = A⁻¹ = L⁻ᵀ L⁻¹} (full symmetric matrix). {@code out} must not be {@code l}.
   *
   * @param l the factor, not modified
   * @param out n×n, modified
   */
  public static void inverse(int n, double[] l, double[] out) {
    if (out == l) {
      throw new IllegalArgumentException("Cholesky.inverse: out must not be the factor");
    }
    // out = W = L⁻¹ (lower), a row at a time: row_i(W) = (e_i − Σ_{k<i} L_ik row_k(W)) / L_ii. Every loop runs
    // along a row (contiguous, vectorised), and each entry's sum takes the k in increasing order, as the textbook
    // column recurrence W_ij = (δ_ij − Σ_{k=j}^{i−1} L_ik W_kj) / L_ii does (the same bits).
    for (int i = 0; i < n; i++) {
      final int oi = i * n;
      java.util.Arrays.fill(out, oi, oi + n, 0.0);
      out[oi + i] = 1.0;
      for (int k = 0; k < i; k++) {
        final double lik = l[oi + k];
        final int ok = k * n;
        for (int j = 0; j <= k; j++) {
          out[oi + j] -= lik * out[ok + j];
        }
      }
      final double lii = l[oi + i];
      for (int j = 0; j <= i; j++) {
        out[oi + j] = out[oi + j] / lii;
      }
    }
    // A⁻¹ = Wᵀ W: (i, j) = Σ_{k ≥ i} W_ki W_kj for j ≤ i, accumulated along rows k of W into one row buffer (k
    // increasing, as before). Row i of C only reads rows k ≥ i of W, so it can be stored in the upper triangle
    // (column i of rows j ≤ i), which no later row reads; then mirrored.
    final double[] acc = new double[n];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(acc, 0, i + 1, 0.0);
      for (int k = i; k < n; k++) {
        final int ok = k * n;
        final double wki = out[ok + i];
        for (int j = 0; j <= i; j++) {
          acc[j] += wki * out[ok + j];
        }
      }
      for (int j = 0; j <= i; j++) {
        out[j * n + i] = acc[j];
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        out[i * n + j] = out[j * n + i];
      }
    }
  }

  /** {@code log det A = 2 Σ log L_jj}. */
  public static double logDet(int n, double[] l) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += Math.log(l[i * n + i]);
    }
    return 2.0 * s;
  }

  /**
   * Inverse of an SPD matrix: {@code out = A⁻¹}. Uses {@code work} (n×n) for the factor.
   *
   * @return {@code false} (and {@code out} untouched) if A is not positive definite
   */
  public static boolean inverseSpd(int n, double[] a, double[] work, double[] out) {
    if (!decompose(n, a, work)) {
      return false;
    }
    inverse(n, work, out);
    return true;
  }
}
