package org.vi4dvar.kernels.model;

/**
 * The classical fourth-order Runge–Kutta step of a {@link Dynamics}, with the exact tangent-linear and
 * adjoint of the <em>discrete</em> step (not of the continuous flow):
 * <pre>
 *   s1 = x,            k1 = f(s1)
 *   s2 = x + h/2 k1,   k2 = f(s2)
 *   s3 = x + h/2 k2,   k3 = f(s3)
 *   s4 = x + h   k3,   k4 = f(s4)
 *   x⁺ = x + h/6 ((((k1 + 2 k2) + 2 k3) + k4)
 *
 *   dk1 = f'(s1) dx,  dk2 = f'(s2)(dx + h/2 dk1),  dk3 = f'(s3)(dx + h/2 dk2),  dk4 = f'(s4)(dx + h dk3)
 *   dx⁺ = dx + h/6 (dk1 + 2 dk2 + 2 dk3 + dk4)
 *
 *   adjoint, from ax⁺:  ax = ax⁺,  ak1 = ak4 = h/6 ax⁺,  ak2 = ak3 = h/3 ax⁺
 *     a4 = f'(s4)ᵀ ak4;  ax += a4;  ak3 += h a4
 *     a3 = f'(s3)ᵀ ak3;  ax += a3;  ak2 += h/2 a3
 *     a2 = f'(s2)ᵀ ak2;  ax += a2;  ak1 += h/2 a2
 *     a1 = f'(s1)ᵀ ak1;  ax += a1
 *
 *   parameters p of f (e.g. the Lorenz96 forcing, ∂f/∂F = 1), f_p(s) = ∂f/∂p at a stage input; with dx = 0:
 *   dk1 = f_p(s1) dp,  dk2 = f'(s2)(h/2 dk1) + f_p(s2) dp,  dk3 = f'(s3)(h/2 dk2) + f_p(s3) dp,
 *   dk4 = f'(s4)(h dk3) + f_p(s4) dp,   dx⁺ = h/6 (dk1 + 2 dk2 + 2 dk3 + dk4)   (the extra source in every stage)
 *   adjoint: the sweep above, and before stage j's transpose  ap += f_p(s_j)ᵀ ak_j  (j = 4, 3, 2, 1)
 * </pre>
 * The step records the stage inputs {@code s1..s4} ({@code 4 nx} doubles) for the tangent and adjoint.
 * The scalar and batched forward steps evaluate the same expressions in the same order, so they agree bit
 * for bit. Not thread-safe (owns its stage workspaces).
 */
public final class Rk4 implements Model {

  private final Dynamics f;
  private final int nx;
  private final double dt;
  private final double half;
  private final double sixth;

  // scalar workspaces
  private final double[] xl;
  private final double[] sl;
  private final double[] k;
  private final double[] acc;
  private final double[] dk;
  private final double[] din;
  private final double[] ak1;
  private final double[] ak2;
  private final double[] ak3;
  private final double[] ak4;
  private final double[] a;
  private final double[] fp;
  private final double[] src;

  // batch workspaces, grown on first use of a larger batch
  private double[][] bk = new double[0][];
  private double[][] bs = new double[0][];
  private double[][] bs2 = new double[0][];
  private double[][] bacc = new double[0][];

  /**
   * @param f the tendency
   * @param dt the time step, finite and positive
   */
  public Rk4(Dynamics f, double dt) {
    if (!(dt > 0) || !Double.isFinite(dt)) {
      throw new IllegalArgumentException("RK4 time step dt must be finite and > 0, got " + dt);
    }
    this.f = f;
    this.nx = f.nx();
    this.dt = dt;
    this.half = 0.5 * dt;
    this.sixth = dt / 6.0;
    this.xl = new double[nx];
    this.sl = new double[nx];
    this.k = new double[nx];
    this.acc = new double[nx];
    this.dk = new double[nx];
    this.din = new double[nx];
    this.ak1 = new double[nx];
    this.ak2 = new double[nx];
    this.ak3 = new double[nx];
    this.ak4 = new double[nx];
    this.a = new double[nx];
    this.fp = new double[nx];
    this.src = new double[nx];
  }

  /** The tendency this step integrates. */
  public Dynamics dynamics() {
    return f;
  }

  /** The time step. */
  public double dt() {
    return dt;
  }

  @Override
  public int nx() {
    return nx;
  }

  @Override
  public int storeSize() {
    return 4 * nx;
  }

  @Override
  public int nParameters() {
    return f.nParameters();
  }

  @Override
  public String parameterName(int k) {
    return f.parameterName(k);
  }

  @Override
  public double parameter(int k) {
    return f.parameter(k);
  }

  @Override
  public void setParameter(int k, double value) {
    f.setParameter(k, value);
  }

  @Override
  public void step(double[] x, int xo, double[] xNext, int xno, double[] store, int so) {
    // work on offset-free local rows (so that C2 vectorises the stage loops), copy stage inputs out
    final int n = nx;
    final double[] x0 = xl;
    final double[] s = sl;
    System.arraycopy(x, xo, x0, 0, n);
    if (store != null) {
      System.arraycopy(x0, 0, store, so, n);
    }
    f.tendency(x0, 0, k);                              // k1 = f(s1), s1 = x
    for (int i = 0; i < n; i++) {
      acc[i] = k[i];
      s[i] = x0[i] + half * k[i];
    }
    record(store, so + n);
    f.tendency(s, 0, k);                               // k2 = f(s2)
    for (int i = 0; i < n; i++) {
      acc[i] = acc[i] + 2.0 * k[i];
      s[i] = x0[i] + half * k[i];
    }
    record(store, so + 2 * n);
    f.tendency(s, 0, k);                               // k3 = f(s3)
    for (int i = 0; i < n; i++) {
      acc[i] = acc[i] + 2.0 * k[i];
      s[i] = x0[i] + dt * k[i];
    }
    record(store, so + 3 * n);
    f.tendency(s, 0, k);                               // k4 = f(s4)
    for (int i = 0; i < n; i++) {
      s[i] = x0[i] + sixth * (acc[i] + k[i]);
    }
    System.arraycopy(s, 0, xNext, xno, n);
  }

  private void record(double[] store, int at) {
    if (store != null) {
      System.arraycopy(sl, 0, store, at, nx);
    }
  }

  @Override
  public void stepTangent(double[] store, int so, double[] dx, double[] dxNext) {
    final int n = nx;
    f.tendencyTangent(store, so, dx, dk);              // dk1
    for (int i = 0; i < n; i++) {
      acc[i] = dk[i];
      din[i] = dx[i] + half * dk[i];
    }
    f.tendencyTangent(store, so + n, din, dk);         // dk2
    for (int i = 0; i < n; i++) {
      acc[i] = acc[i] + 2.0 * dk[i];
      din[i] = dx[i] + half * dk[i];
    }
    f.tendencyTangent(store, so + 2 * n, din, dk);     // dk3
    for (int i = 0; i < n; i++) {
      acc[i] = acc[i] + 2.0 * dk[i];
      din[i] = dx[i] + dt * dk[i];
    }
    f.tendencyTangent(store, so + 3 * n, din, dk);     // dk4
    for (int i = 0; i < n; i++) {
      dxNext[i] = dx[i] + sixth * (acc[i] + dk[i]);
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

  /** The adjoint sweep; with {@code ap != null} also {@code ap += Σ_j f_p(s_j)ᵀ ak_j}. */
  private void adjoint(double[] store, int so, double[] axNext, double[] ax, double[] ap) {
    final int n = nx;
    final double third = 2.0 * sixth;
    for (int i = 0; i < n; i++) {
      ax[i] = axNext[i];
      ak1[i] = sixth * axNext[i];
      ak2[i] = third * axNext[i];
      ak3[i] = third * axNext[i];
      ak4[i] = sixth * axNext[i];
    }
    parameterAdjoint(store, so + 3 * n, ak4, ap);
    f.tendencyAdjoint(store, so + 3 * n, ak4, a);      // a4 = f'(s4)ᵀ ak4
    for (int i = 0; i < n; i++) {
      ax[i] += a[i];
      ak3[i] += dt * a[i];
    }
    parameterAdjoint(store, so + 2 * n, ak3, ap);
    f.tendencyAdjoint(store, so + 2 * n, ak3, a);      // a3
    for (int i = 0; i < n; i++) {
      ax[i] += a[i];
      ak2[i] += half * a[i];
    }
    parameterAdjoint(store, so + n, ak2, ap);
    f.tendencyAdjoint(store, so + n, ak2, a);          // a2
    for (int i = 0; i < n; i++) {
      ax[i] += a[i];
      ak1[i] += half * a[i];
    }
    parameterAdjoint(store, so, ak1, ap);
    f.tendencyAdjoint(store, so, ak1, a);              // a1
    for (int i = 0; i < n; i++) {
      ax[i] += a[i];
    }
  }

  /** {@code ap_k += Σ_i f_p,k(s)_i ak_i} (sum in i order), for the stage input at {@code store[o..]}. */
  private void parameterAdjoint(double[] store, int o, double[] ak, double[] ap) {
    if (ap == null) {
      return;
    }
    final int np = f.nParameters();
    for (int k = 0; k < np; k++) {
      f.tendencyParameter(store, o, k, fp);
      double t = 0.0;
      for (int i = 0; i < nx; i++) {
        t += fp[i] * ak[i];
      }
      ap[k] += t;
    }
  }

  @Override
  public void stepParameterTangent(double[] store, int so, double[] dp, double[] dxNext) {
    final int n = nx;
    if (f.nParameters() == 0) {
      throw new UnsupportedOperationException("the tendency has no parameters");
    }
    source(store, so, dp);                             // dk1 = f_p(s1) dp
    for (int i = 0; i < n; i++) {
      acc[i] = src[i];
      din[i] = half * src[i];
    }
    f.tendencyTangent(store, so + n, din, dk);         // dk2 = f'(s2)(h/2 dk1) + f_p(s2) dp
    source(store, so + n, dp);
    for (int i = 0; i < n; i++) {
      double d = dk[i] + src[i];
      acc[i] = acc[i] + 2.0 * d;
      din[i] = half * d;
    }
    f.tendencyTangent(store, so + 2 * n, din, dk);     // dk3
    source(store, so + 2 * n, dp);
    for (int i = 0; i < n; i++) {
      double d = dk[i] + src[i];
      acc[i] = acc[i] + 2.0 * d;
      din[i] = dt * d;
    }
    f.tendencyTangent(store, so + 3 * n, din, dk);     // dk4
    source(store, so + 3 * n, dp);
    for (int i = 0; i < n; i++) {
      dxNext[i] = sixth * (acc[i] + (dk[i] + src[i]));
    }
  }

  /** {@code src = Σ_k f_p,k(s) dp_k} at the stage input {@code store[o..]} (k = 0 first, then added). */
  private void source(double[] store, int o, double[] dp) {
    final int np = f.nParameters();
    for (int k = 0; k < np; k++) {
      f.tendencyParameter(store, o, k, fp);
      final double d = dp[k];
      if (k == 0) {
        for (int i = 0; i < nx; i++) {
          src[i] = fp[i] * d;
        }
      } else {
        for (int i = 0; i < nx; i++) {
          src[i] += fp[i] * d;
        }
      }
    }
  }

  @Override
  public void stepBatch(double[][] x, double[][] xNext, int nb) {
    final int n = nx;
    if (bk.length < 1 || bk[0].length < nb) {
      bk = new double[1][nb];
      bs = new double[n][nb];
      bs2 = new double[n][nb];
      bacc = new double[n][nb];
    }
    final double[] k = bk[0];
    final double[][] s = bs;
    final double[][] s2 = bs2;
    final double[][] ac = bacc;
    final double h2 = half;
    final double h = dt;
    final double h6 = sixth;
    for (int i = 0; i < n; i++) {                       // k1 from x
      f.tendencyBatchRow(x, i, k, nb);
      final double[] xi = x[i];
      final double[] ai = ac[i];
      final double[] si = s[i];
      for (int b = 0; b < nb; b++) {
        ai[b] = k[b];
        si[b] = xi[b] + h2 * k[b];
      }
    }
    stage(x, s, s2, ac, k, h2, nb);                     // k2 from s, stage input 3 into s2
    stage(x, s2, s, ac, k, h, nb);                      // k3 from s2, stage input 4 into s
    for (int i = 0; i < n; i++) {                       // k4 from s
      f.tendencyBatchRow(s, i, k, nb);
      final double[] xi = x[i];
      final double[] ai = ac[i];
      final double[] yi = xNext[i];
      for (int b = 0; b < nb; b++) {
        yi[b] = xi[b] + h6 * (ai[b] + k[b]);
      }
    }
  }

  /** {@code k = f(in)} row by row, {@code acc += 2k; out = x + c k}. */
  private void stage(double[][] x, double[][] in, double[][] out, double[][] ac, double[] k, double c, int nb) {
    for (int i = 0; i < nx; i++) {
      f.tendencyBatchRow(in, i, k, nb);
      final double[] xi = x[i];
      final double[] ai = ac[i];
      final double[] oi = out[i];
      for (int b = 0; b < nb; b++) {
        ai[b] = ai[b] + 2.0 * k[b];
        oi[b] = xi[b] + c * k[b];
      }
    }
  }
}
