package org.vi4dvar.kernels.testing;

/**
 * The Kalman filter and Rauch–Tung–Striebel smoother of a linear-Gaussian state-space model, written
 * independently of the 4D-Var code (own matrix loops, own Gauss–Jordan inverse) as the reference for
 * weak-constraint 4D-Var (math-2.md: "the posterior of the trajectory is the Kalman (RTS) smoother's"):
 * <pre>
 *   x_0 ~ N(x_b, B),   x_{t+1} = A x_t + η_t,  η_t ~ N(0, Q_t)  (t &lt; T−1),   x_{t+1} = A x_t  (forecast, t ≥ T−1)
 *   y_{t,j} = x_{t,j} + ε,  ε ~ N(0, σ_{t,j}²)   for the observed (t, j), t &lt; T
 *   filter:   update m, P by each observation in turn (scalar updates: s = P_jj + σ², k = P e_j / s,
 *             m += k (y − m_j), P −= k (P e_j)ᵀ);  predict m⁻ = A m,  P⁻ = A P Aᵀ + Q_t
 *   smoother: G_t = P_t Aᵀ (P⁻_{t+1})⁻¹,  m^s_t = m_t + G_t (m^s_{t+1} − m⁻_{t+1}),
 *             P^s_t = P_t + G_t (P^s_{t+1} − P⁻_{t+1}) G_tᵀ           (t = T−2 … 0)
 *   forecast: m^s_{t+1} = A m^s_t,  P^s_{t+1} = A P^s_t Aᵀ            (t ≥ T−1)
 * </pre>
 * (Rauch, Tung &amp; Striebel 1965; Särkkä, Bayesian Filtering and Smoothing, 2013, §8.2.) The smoothed moments
 * of every x_t are the exact marginal posterior of the trajectory given y_0 … y_{T−1}. Q_t is diagonal, given by
 * standard deviations; zero entries are allowed (no error in that component). For the lead's ensemble and VI
 * tests too.
 */
public final class KalmanSmoother {

  /** State size. */
  public final int nx;
  /** States (window plus forecast). */
  public final int nStates;
  /** Smoothed means, {@code nStates × nx}. */
  public final double[] mean;
  /** Smoothed covariances, {@code cov[t][i·nx + j]}. */
  public final double[][] cov;

  private KalmanSmoother(int nx, int nStates, double[] mean, double[][] cov) {
    this.nx = nx;
    this.nStates = nStates;
    this.mean = mean;
    this.cov = cov;
  }

  /**
   * Runs the filter over the T = {@code nAssim} assimilated states and the smoother back, then the forecast.
   *
   * @param a the model matrix (nx×nx, row-major)
   * @param xb prior mean of x_0
   * @param b prior covariance of x_0 (nx×nx)
   * @param q model-error standard deviations {@code q[t·nx + i]}, t &lt; T − 1 (null: none)
   * @param y observations {@code y[t·nx + j]}, NaN where unobserved (identity observation operator)
   * @param obsStd their standard deviations, NaN where unobserved
   */
  public static KalmanSmoother run(double[] a, double[] xb, double[] b, double[] q, double[] y, double[] obsStd,
      int nAssim, int nStates) {
    final int nx = xb.length;
    double[][] mf = new double[nAssim][];   // filtered
    double[][] pf = new double[nAssim][];
    double[][] mp = new double[nAssim][];   // predicted (prior) at t
    double[][] pp = new double[nAssim][];
    double[] m = xb.clone();
    double[] p = b.clone();
    for (int t = 0; t < nAssim; t++) {
      mp[t] = m.clone();
      pp[t] = p.clone();
      for (int j = 0; j < nx; j++) {
        int k = t * nx + j;
        if (Double.isNaN(y[k])) {
          continue;
        }
        double s = p[j * nx + j] + obsStd[k] * obsStd[k];
        double[] pj = new double[nx];
        for (int i = 0; i < nx; i++) {
          pj[i] = p[i * nx + j];
        }
        double innov = y[k] - m[j];
        for (int i = 0; i < nx; i++) {
          m[i] += pj[i] / s * innov;
        }
        for (int i = 0; i < nx; i++) {
          for (int l = 0; l < nx; l++) {
            p[i * nx + l] -= pj[i] * pj[l] / s;
          }
        }
        symmetrise(p, nx);
      }
      mf[t] = m.clone();
      pf[t] = p.clone();
      if (t + 1 < nAssim) {
        m = matVec(a, m, nx);
        p = aPat(a, p, nx);
        for (int i = 0; i < nx; i++) {
          double qi = q == null ? 0.0 : q[t * nx + i];
          p[i * nx + i] += qi * qi;
        }
      }
    }
    double[] mean = new double[nStates * nx];
    double[][] cov = new double[nStates][];
    double[] ms = mf[nAssim - 1].clone();
    double[] ps = pf[nAssim - 1].clone();
    System.arraycopy(ms, 0, mean, (nAssim - 1) * nx, nx);
    cov[nAssim - 1] = ps.clone();
    for (int t = nAssim - 2; t >= 0; t--) {
      // G = P_t Aᵀ (P⁻_{t+1})⁻¹
      double[] pat = new double[nx * nx];
      for (int i = 0; i < nx; i++) {
        for (int j = 0; j < nx; j++) {
          double s = 0;
          for (int k = 0; k < nx; k++) {
            s += pf[t][i * nx + k] * a[j * nx + k];
          }
          pat[i * nx + j] = s;
        }
      }
      double[] g = multiply(pat, inverse(pp[t + 1], nx), nx);
      double[] dm = new double[nx];
      for (int i = 0; i < nx; i++) {
        dm[i] = ms[i] - mp[t + 1][i];
      }
      double[] mt = mf[t].clone();
      double[] gdm = matVec(g, dm, nx);
      for (int i = 0; i < nx; i++) {
        mt[i] += gdm[i];
      }
      double[] dp = new double[nx * nx];
      for (int k = 0; k < nx * nx; k++) {
        dp[k] = ps[k] - pp[t + 1][k];
      }
      double[] pt = pf[t].clone();
      double[] gdpg = aPat(g, dp, nx);
      for (int k = 0; k < nx * nx; k++) {
        pt[k] += gdpg[k];
      }
      symmetrise(pt, nx);
      ms = mt;
      ps = pt;
      System.arraycopy(ms, 0, mean, t * nx, nx);
      cov[t] = ps.clone();
    }
    double[] mk = mf[nAssim - 1].clone();
    double[] pk = pf[nAssim - 1].clone();
    for (int t = nAssim; t < nStates; t++) {
      mk = matVec(a, mk, nx);
      pk = aPat(a, pk, nx);
      symmetrise(pk, nx);
      System.arraycopy(mk, 0, mean, t * nx, nx);
      cov[t] = pk.clone();
    }
    return new KalmanSmoother(nx, nStates, mean, cov);
  }

  private static double[] matVec(double[] a, double[] x, int n) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += a[i * n + k] * x[k];
      }
      y[i] = s;
    }
    return y;
  }

  /** {@code A P Aᵀ}. */
  private static double[] aPat(double[] a, double[] p, int n) {
    double[] ap = multiply(a, p, n);
    double[] out = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += ap[i * n + k] * a[j * n + k];
        }
        out[i * n + j] = s;
      }
    }
    return out;
  }

  private static double[] multiply(double[] x, double[] y, int n) {
    double[] z = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double xik = x[i * n + k];
        for (int j = 0; j < n; j++) {
          z[i * n + j] += xik * y[k * n + j];
        }
      }
    }
    return z;
  }

  /** Gauss–Jordan inverse with partial pivoting. */
  private static double[] inverse(double[] m, int n) {
    double[] w = m.clone();
    double[] inv = new double[n * n];
    for (int i = 0; i < n; i++) {
      inv[i * n + i] = 1.0;
    }
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(w[r * n + c]) > Math.abs(w[piv * n + c])) {
          piv = r;
        }
      }
      if (piv != c) {
        for (int k = 0; k < n; k++) {
          double t = w[c * n + k];
          w[c * n + k] = w[piv * n + k];
          w[piv * n + k] = t;
          t = inv[c * n + k];
          inv[c * n + k] = inv[piv * n + k];
          inv[piv * n + k] = t;
        }
      }
      double d = w[c * n + c];
      for (int k = 0; k < n; k++) {
        w[c * n + k] /= d;
        inv[c * n + k] /= d;
      }
      for (int r = 0; r < n; r++) {
        if (r == c) {
          continue;
        }
        double f = w[r * n + c];
        if (f != 0) {
          for (int k = 0; k < n; k++) {
            w[r * n + k] -= f * w[c * n + k];
            inv[r * n + k] -= f * inv[c * n + k];
          }
        }
      }
    }
    return inv;
  }

  private static void symmetrise(double[] p, int n) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double s = 0.5 * (p[i * n + j] + p[j * n + i]);
        p[i * n + j] = s;
        p[j * n + i] = s;
      }
    }
  }

  /** {@code max_{t, i, j} |P_t,ij|}: the scale for covariance tolerances. */
  public double covarianceScale() {
    double m = 0;
    for (double[] c : cov) {
      for (double v : c) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return m;
  }
}
