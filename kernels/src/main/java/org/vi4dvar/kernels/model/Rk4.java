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
  private final double[] stage;
  private final double[] k;
  private final double[] acc;
  private final double[] dk;
  private final double[] din;
  private final double[] ak1;
  private final double[] ak2;
  private final double[] ak3;
  private final double[] ak4;
  private final double[] a;

  // batch workspaces, grown on first use of a larger batch
  private double[] bk = new double[0];
  private double[] bs = new double[0];
  private double[] bacc = new double[0];

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
    this.stage = new double[4 * nx];
    this.k = new double[nx];
    this.acc = new double[nx];
    this.dk = new double[nx];
    this.din = new double[nx];
    this.ak1 = new double[nx];
    this.ak2 = new double[nx];
    this.ak3 = new double[nx];
    this.ak4 = new double[nx];
    this.a = new double[nx];
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
  public void step(double[] x, int xo, double[] xNext, int xno, double[] store, int so) {
    final int n = nx;
    final double[] s = store != null ? store : stage;
    final int o = store != null ? so : 0;
    final int o2 = o + n;
    final int o3 = o + 2 * n;
    final int o4 = o + 3 * n;
    System.arraycopy(x, xo, s, o, n);
    f.tendency(s, o, k);                               // k1
    for (int i = 0; i < n; i++) {
      acc[i] = k[i];
      s[o2 + i] = x[xo + i] + half * k[i];
    }
    f.tendency(s, o2, k);                              // k2
    for (int i = 0; i < n; i++) {
      acc[i] = acc[i] + 2.0 * k[i];
      s[o3 + i] = x[xo + i] + half * k[i];
    }
    f.tendency(s, o3, k);                              // k3
    for (int i = 0; i < n; i++) {
      acc[i] = acc[i] + 2.0 * k[i];
      s[o4 + i] = x[xo + i] + dt * k[i];
    }
    f.tendency(s, o4, k);                              // k4
    for (int i = 0; i < n; i++) {
      xNext[xno + i] = x[xo + i] + sixth * (acc[i] + k[i]);
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
    final int n = nx;
    final double third = 2.0 * sixth;
    for (int i = 0; i < n; i++) {
      ax[i] = axNext[i];
      ak1[i] = sixth * axNext[i];
      ak2[i] = third * axNext[i];
      ak3[i] = third * axNext[i];
      ak4[i] = sixth * axNext[i];
    }
    f.tendencyAdjoint(store, so + 3 * n, ak4, a);      // a4 = f'(s4)ᵀ ak4
    for (int i = 0; i < n; i++) {
      ax[i] += a[i];
      ak3[i] += dt * a[i];
    }
    f.tendencyAdjoint(store, so + 2 * n, ak3, a);      // a3
    for (int i = 0; i < n; i++) {
      ax[i] += a[i];
      ak2[i] += half * a[i];
    }
    f.tendencyAdjoint(store, so + n, ak2, a);          // a2
    for (int i = 0; i < n; i++) {
      ax[i] += a[i];
      ak1[i] += half * a[i];
    }
    f.tendencyAdjoint(store, so, ak1, a);              // a1
    for (int i = 0; i < n; i++) {
      ax[i] += a[i];
    }
  }

  @Override
  public void stepBatch(double[] x, double[] xNext, int nb) {
    final int len = nx * nb;
    if (bk.length < len) {
      bk = new double[len];
      bs = new double[len];
      bacc = new double[len];
    }
    final double[] kk = bk;
    final double[] s = bs;
    final double[] ac = bacc;
    final double h2 = half;
    final double h = dt;
    f.tendencyBatch(x, kk, nb);                         // k1
    for (int i = 0; i < len; i++) {
      ac[i] = kk[i];
      s[i] = x[i] + h2 * kk[i];
    }
    f.tendencyBatch(s, kk, nb);                         // k2
    for (int i = 0; i < len; i++) {
      ac[i] = ac[i] + 2.0 * kk[i];
      s[i] = x[i] + h2 * kk[i];
    }
    f.tendencyBatch(s, kk, nb);                         // k3
    for (int i = 0; i < len; i++) {
      ac[i] = ac[i] + 2.0 * kk[i];
      s[i] = x[i] + h * kk[i];
    }
    f.tendencyBatch(s, kk, nb);                         // k4
    final double h6 = sixth;
    for (int i = 0; i < len; i++) {
      xNext[i] = x[i] + h6 * (ac[i] + kk[i]);
    }
  }
}
