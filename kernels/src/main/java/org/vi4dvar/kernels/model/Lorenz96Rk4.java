package org.vi4dvar.kernels.model;

/**
 * Lorenz96 integrated by RK4 — the same map as {@code new Rk4(new Lorenz96(nx, F), dt)}, bit for bit, with
 * the same exact discrete tangent-linear and adjoint — written for speed: the tendency is fused into each RK4
 * stage (one loop per stage instead of a tendency call plus an update loop), stage inputs are kept with two
 * ghost cells on each side so the periodic stencil is one straight loop, and the batched step works on rows
 * with the stencil inlined. {@link Rk4} and {@link Lorenz96} remain the readable reference; tests assert that
 * the two agree bit for bit.
 * <pre>
 *   ghost-padded stage input P (length nx+4): P[i+2] = s_i, P[0..1] = s_{nx−2}, s_{nx−1}, P[nx+2..nx+3] = s_0, s_1
 *   f_i(s)       = (P[i+3] − P[i]) P[i+1] − P[i+2] + F
 *   (f'(s) d)_i  = (D[i+3] − D[i]) P[i+1] + (P[i+3] − P[i]) D[i+1] − D[i+2]
 *   (f'(s)ᵀ a)_j = P[j] A[j+1] − P[j+3] A[j+4] + (P[j+4] − P[j+1]) A[j+3] − A[j+2]
 * </pre>
 * The forcing F is parameter 0 ({@code forcing}, {@link Model#setParameter}); {@code ∂f/∂F = 1}, so the tangent
 * of a step w.r.t. F adds {@code dF} to every stage's tangent and the adjoint gives {@code aF += Σ_i ak_j,i} over
 * the four stage adjoints ({@link Rk4}'s recursion, in the same order, so the two agree bit for bit here too).
 * The step records the four padded stage inputs ({@code 4 (nx+4)} doubles). Owns its workspaces: not
 * thread-safe.
 */
public final class Lorenz96Rk4 implements Model {

  private final int nx;
  private final int np;
  private double forcing;
  private final double dt;
  private final double half;
  private final double sixth;

  private final double[] local;   // 4 padded stages when the caller does not record
  private final double[] acc;
  private final double[] d;       // padded tangent stage input
  private final double[] tin;     // tangent stage input
  private final double[] ax1;     // padded adjoint of k1..k4
  private final double[] ax2;
  private final double[] ax3;
  private final double[] ax4;

  private double[][] rs = new double[0][];
  private double[][] rs2 = new double[0][];
  private double[][] racc = new double[0][];

  /**
   * @param nx grid points, at least 4
   * @param forcing F, finite
   * @param dt RK4 step, finite and positive
   */
  public Lorenz96Rk4(int nx, double forcing, double dt) {
    new Rk4(new Lorenz96(nx, forcing), dt); // validates nx, F and dt with the reference's messages
    this.nx = nx;
    this.np = nx + 4;
    this.forcing = forcing;
    this.dt = dt;
    this.half = 0.5 * dt;
    this.sixth = dt / 6.0;
    this.local = new double[4 * np];
    this.acc = new double[nx];
    this.d = new double[np];
    this.tin = new double[nx];
    this.ax1 = new double[np];
    this.ax2 = new double[np];
    this.ax3 = new double[np];
    this.ax4 = new double[np];
  }

  @Override
  public int nx() {
    return nx;
  }

  @Override
  public int storeSize() {
    return 4 * np;
  }

  @Override
  public int nParameters() {
    return 1;
  }

  @Override
  public String parameterName(int k) {
    Lorenz96.checkParameter(k);
    return Lorenz96.FORCING;
  }

  @Override
  public double parameter(int k) {
    Lorenz96.checkParameter(k);
    return forcing;
  }

  @Override
  public void setParameter(int k, double value) {
    Lorenz96.checkParameter(k);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Lorenz96 forcing must be finite, got " + value);
    }
    this.forcing = value;
  }

  /** Fills the ghost cells of the padded vector at {@code p[o..o+nx+4)}. */
  private void ghosts(double[] p, int o) {
    final int n = nx;
    p[o] = p[o + n];
    p[o + 1] = p[o + n + 1];
    p[o + n + 2] = p[o + 2];
    p[o + n + 3] = p[o + 3];
  }

  @Override
  public void step(double[] x, int xo, double[] xNext, int xno, double[] store, int so) {
    final int n = nx;
    final double ff = forcing;
    final double[] p = store != null ? store : local;
    final int o1 = store != null ? so : 0;
    final int o2 = o1 + np;
    final int o3 = o2 + np;
    final int o4 = o3 + np;
    System.arraycopy(x, xo, p, o1 + 2, n);
    ghosts(p, o1);
    for (int i = 0; i < n; i++) {                           // k1 = f(s1), s2 = x + h/2 k1
      double k = (p[o1 + i + 3] - p[o1 + i]) * p[o1 + i + 1] - p[o1 + i + 2] + ff;
      acc[i] = k;
      p[o2 + i + 2] = p[o1 + i + 2] + half * k;
    }
    ghosts(p, o2);
    for (int i = 0; i < n; i++) {                           // k2 = f(s2), s3 = x + h/2 k2
      double k = (p[o2 + i + 3] - p[o2 + i]) * p[o2 + i + 1] - p[o2 + i + 2] + ff;
      acc[i] = acc[i] + 2.0 * k;
      p[o3 + i + 2] = p[o1 + i + 2] + half * k;
    }
    ghosts(p, o3);
    for (int i = 0; i < n; i++) {                           // k3 = f(s3), s4 = x + h k3
      double k = (p[o3 + i + 3] - p[o3 + i]) * p[o3 + i + 1] - p[o3 + i + 2] + ff;
      acc[i] = acc[i] + 2.0 * k;
      p[o4 + i + 2] = p[o1 + i + 2] + dt * k;
    }
    ghosts(p, o4);
    for (int i = 0; i < n; i++) {                           // k4 = f(s4), x⁺ = x + h/6 (acc + k4)
      double k = (p[o4 + i + 3] - p[o4 + i]) * p[o4 + i + 1] - p[o4 + i + 2] + ff;
      xNext[xno + i] = p[o1 + i + 2] + sixth * (acc[i] + k);
    }
  }

  @Override
  public void stepTangent(double[] store, int so, double[] dx, double[] dxNext) {
    final int n = nx;
    final double[] p = store;
    final double[] dd = d;
    final int o1 = so;
    System.arraycopy(dx, 0, dd, 2, n);
    ghosts(dd, 0);
    for (int i = 0; i < n; i++) {                           // dk1 = f'(s1) dx
      double dk = (dd[i + 3] - dd[i]) * p[o1 + i + 1] + (p[o1 + i + 3] - p[o1 + i]) * dd[i + 1] - dd[i + 2];
      acc[i] = dk;
      tin[i] = dx[i] + half * dk;                           // the next stage's tangent input
    }
    tangentStage(p, o1 + np, dx, half);                     // dk2
    tangentStage(p, o1 + 2 * np, dx, dt);                   // dk3
    System.arraycopy(tin, 0, dd, 2, n);
    ghosts(dd, 0);
    final int o4 = o1 + 3 * np;
    for (int i = 0; i < n; i++) {                           // dk4, dx⁺ = dx + h/6 (acc + dk4)
      double dk = (dd[i + 3] - dd[i]) * p[o4 + i + 1] + (p[o4 + i + 3] - p[o4 + i]) * dd[i + 1] - dd[i + 2];
      dxNext[i] = dx[i] + sixth * (acc[i] + dk);
    }
  }

  /** {@code dk = f'(s) tin}; {@code acc += 2 dk}; {@code tin = dx + c dk}. */
  private void tangentStage(double[] p, int o, double[] dx, double c) {
    final int n = nx;
    final double[] dd = d;
    System.arraycopy(tin, 0, dd, 2, n);
    ghosts(dd, 0);
    for (int i = 0; i < n; i++) {
      double dk = (dd[i + 3] - dd[i]) * p[o + i + 1] + (p[o + i + 3] - p[o + i]) * dd[i + 1] - dd[i + 2];
      acc[i] = acc[i] + 2.0 * dk;
      tin[i] = dx[i] + c * dk;
    }
  }

  @Override
  public void stepAdjoint(double[] store, int so, double[] axNext, double[] ax) {
    adjoint(store, so, axNext, ax, null);
  }

  @Override
  public void stepParameterAdjoint(double[] store, int so, double[] axNext, double[] ax, double[] ap) {
    adjoint(store, so, axNext, ax, ap);
  }

  /** The adjoint sweep; with {@code ap != null} also {@code ap[0] += Σ_j Σ_i ak_j,i} (stages 4, 3, 2, 1). */
  private void adjoint(double[] store, int so, double[] axNext, double[] ax, double[] ap) {
    final int n = nx;
    final double third = 2.0 * sixth;
    final double[] a1 = ax1;
    final double[] a2 = ax2;
    final double[] a3 = ax3;
    final double[] a4 = ax4;
    for (int i = 0; i < n; i++) {
      double v = axNext[i];
      ax[i] = v;
      a1[i + 2] = sixth * v;
      a2[i + 2] = third * v;
      a3[i + 2] = third * v;
      a4[i + 2] = sixth * v;
    }
    forcingAdjoint(a4, ap);
    adjointStage(store, so + 3 * np, a4, ax, a3, dt);       // a = f'(s4)ᵀ ak4; ax += a; ak3 += h a
    forcingAdjoint(a3, ap);
    adjointStage(store, so + 2 * np, a3, ax, a2, half);     // a = f'(s3)ᵀ ak3; ax += a; ak2 += h/2 a
    forcingAdjoint(a2, ap);
    adjointStage(store, so + np, a2, ax, a1, half);         // a = f'(s2)ᵀ ak2; ax += a; ak1 += h/2 a
    forcingAdjoint(a1, ap);
    final double[] p = store;
    final int o = so;
    ghosts(a1, 0);
    for (int j = 0; j < n; j++) {                           // a = f'(s1)ᵀ ak1; ax += a
      double a = p[o + j] * a1[j + 1] - p[o + j + 3] * a1[j + 4] + (p[o + j + 4] - p[o + j + 1]) * a1[j + 3]
          - a1[j + 2];
      ax[j] += a;
    }
  }

  /** {@code ap[0] += Σ_i ak_i} (∂f/∂F = 1), the padded stage adjoint {@code ak[2..nx+2)}. */
  private void forcingAdjoint(double[] ak, double[] ap) {
    if (ap == null) {
      return;
    }
    double t = 0.0;
    for (int i = 0; i < nx; i++) {
      t += ak[i + 2];
    }
    ap[0] += t;
  }

  /**
   * {@code dxNext = (∂M/∂F) dF}: the tangent recursion with dx = 0 and the source dF in every stage (see
   * {@link Rk4#stepParameterTangent}, same operations in the same order).
   */
  @Override
  public void stepParameterTangent(double[] store, int so, double[] dp, double[] dxNext) {
    final int n = nx;
    final double src = dp[0];
    final double[] p = store;
    final double[] dd = d;
    for (int i = 0; i < n; i++) {                           // dk1 = dF
      acc[i] = src;
      tin[i] = half * src;
    }
    parameterStage(p, so + np, src, half);                  // dk2 = f'(s2) tin + dF
    parameterStage(p, so + 2 * np, src, dt);                // dk3
    System.arraycopy(tin, 0, dd, 2, n);
    ghosts(dd, 0);
    final int o4 = so + 3 * np;
    for (int i = 0; i < n; i++) {                           // dk4, dx⁺ = h/6 (acc + dk4)
      double dk = (dd[i + 3] - dd[i]) * p[o4 + i + 1] + (p[o4 + i + 3] - p[o4 + i]) * dd[i + 1] - dd[i + 2];
      dxNext[i] = sixth * (acc[i] + (dk + src));
    }
  }

  /** {@code dk = f'(s) tin + dF}; {@code acc += 2 dk}; {@code tin = c dk}. */
  private void parameterStage(double[] p, int o, double src, double c) {
    final int n = nx;
    final double[] dd = d;
    System.arraycopy(tin, 0, dd, 2, n);
    ghosts(dd, 0);
    for (int i = 0; i < n; i++) {
      double dk = (dd[i + 3] - dd[i]) * p[o + i + 1] + (p[o + i + 3] - p[o + i]) * dd[i + 1] - dd[i + 2];
      double t = dk + src;
      acc[i] = acc[i] + 2.0 * t;
      tin[i] = c * t;
    }
  }

  private void adjointStage(double[] p, int o, double[] ak, double[] ax, double[] akPrev, double c) {
    final int n = nx;
    ghosts(ak, 0);
    for (int j = 0; j < n; j++) {
      double a = p[o + j] * ak[j + 1] - p[o + j + 3] * ak[j + 4] + (p[o + j + 4] - p[o + j + 1]) * ak[j + 3]
          - ak[j + 2];
      ax[j] += a;
      akPrev[j + 2] += c * a;
    }
  }

  @Override
  public void stepBatch(double[][] x, double[][] xNext, int nb) {
    final int n = nx;
    if (rs.length < n || rs[0].length < nb) {
      rs = new double[n][nb];
      rs2 = new double[n][nb];
      racc = new double[n][nb];
    }
    final double ff = forcing;
    final double[][] s = rs;
    final double[][] s2 = rs2;
    final double[][] ac = racc;
    for (int i = 0; i < n; i++) {                           // k1 from x
      final double[] xp1 = x[wrap(i + 1)];
      final double[] xm1 = x[wrap(i - 1)];
      final double[] xm2 = x[wrap(i - 2)];
      final double[] xi = x[i];
      final double[] ai = ac[i];
      final double[] si = s[i];
      for (int b = 0; b < nb; b++) {
        double k = (xp1[b] - xm2[b]) * xm1[b] - xi[b] + ff;
        ai[b] = k;
        si[b] = xi[b] + half * k;
      }
    }
    stageBatch(x, s, s2, half, nb);                         // k2 from s, stage-3 input into s2
    stageBatch(x, s2, s, dt, nb);                           // k3 from s2, stage-4 input into s
    for (int i = 0; i < n; i++) {                           // k4 from s
      final double[] sp1 = s[wrap(i + 1)];
      final double[] sm1 = s[wrap(i - 1)];
      final double[] sm2 = s[wrap(i - 2)];
      final double[] si = s[i];
      final double[] xi = x[i];
      final double[] ai = ac[i];
      final double[] yi = xNext[i];
      for (int b = 0; b < nb; b++) {
        double k = (sp1[b] - sm2[b]) * sm1[b] - si[b] + ff;
        yi[b] = xi[b] + sixth * (ai[b] + k);
      }
    }
  }

  /** Rows: {@code k = f(in)}, {@code acc += 2k}, {@code out = x + c k}. */
  private void stageBatch(double[][] x, double[][] in, double[][] out, double c, int nb) {
    final double ff = forcing;
    final double[][] ac = racc;
    for (int i = 0; i < nx; i++) {
      final double[] sp1 = in[wrap(i + 1)];
      final double[] sm1 = in[wrap(i - 1)];
      final double[] sm2 = in[wrap(i - 2)];
      final double[] si = in[i];
      final double[] xi = x[i];
      final double[] ai = ac[i];
      final double[] oi = out[i];
      for (int b = 0; b < nb; b++) {
        double k = (sp1[b] - sm2[b]) * sm1[b] - si[b] + ff;
        ai[b] = ai[b] + 2.0 * k;
        oi[b] = xi[b] + c * k;
      }
    }
  }

  private int wrap(int i) {
    return i < 0 ? i + nx : (i >= nx ? i - nx : i);
  }
}
