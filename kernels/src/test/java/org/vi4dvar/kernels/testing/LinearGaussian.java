package org.vi4dvar.kernels.testing;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.model.LinearModel;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.ControlSpace;
import org.vi4dvar.kernels.var.CorrelationModel;
import org.vi4dvar.kernels.var.DenseTransform;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * A linear-Gaussian 4D-Var problem with its exact posterior: the reference for every estimator.
 * <pre>
 *   x_{t+1} = A x_t (+ η_t),   y_t = x_t + ε_t (observed points only),   x0 ~ N(x_b, B),   η_t ~ N(0, Q_t)
 *   control c = (x0, η) (= x0 for strong constraint),   x_t = L_t c   (L_t = [A^t, A^{t−1}, …, I, 0 …])
 *   precision  P⁻¹ = S⁻ᵀ S⁻¹ + Σ_t L_tᵀ H_tᵀ R_t⁻¹ H_t L_t,   mean  m = P (S⁻ᵀ S⁻¹ c_b + Σ_t L_tᵀ H_tᵀ R_t⁻¹ y_t)
 * </pre>
 * (S S ᵀ = blockdiag(B, Q): the prior covariance of c; for strong constraint with diagonal B this is math.md's
 * formula.) A is a contraction of a random rotation ({@code 0.95 Q}) plus a small random part
 * ({@code 0.15 G/√n}), so the window neither blows up nor forgets x0. Background std uniform in [0.5, 1.5]
 * (B diagonal, or {@code B = D C D} with a {@link CorrelationModel}), observation std in [0.3, 0.6], each (t, j)
 * observed with probability {@code 1 − drop} (t = 0 included). Everything is drawn from
 * {@code RandomStream(seed, OTHER, 0)}; the model errors of the truth from {@code (seed, OTHER, 1)}, so a
 * strong-constraint problem is the same whether or not the weak-constraint variant exists. The matrices of the
 * exact posterior are computed here from A directly, independently of the kernel's propagation code.
 */
public final class LinearGaussian {

  /** The problem. */
  public final FourDVarProblem problem;
  /** The true trajectory, {@code nStates × nx}. */
  public final double[] truth;
  /** The model matrix A (row-major). */
  public final double[] a;
  /** The exact posterior precision of the control, {@code P⁻¹} (n×n; n = nx for strong constraint). */
  public final double[] precision;
  /** The exact posterior covariance of the control, {@code P} (n×n). */
  public final double[] covariance;
  /** The exact posterior mean of the control. */
  public final double[] mean;
  /** The background covariance B (nx×nx). */
  public final double[] b;
  /** The trajectory Jacobian {@code ∂x_t/∂c}, {@code (nStates·nx) × n} row-major (the model is linear). */
  public final double[] jacobian;

  private LinearGaussian(FourDVarProblem problem, double[] truth, double[] a, double[] precision,
      double[] covariance, double[] mean, double[] b, double[] jacobian) {
    this.problem = problem;
    this.truth = truth;
    this.a = a;
    this.precision = precision;
    this.covariance = covariance;
    this.mean = mean;
    this.b = b;
    this.jacobian = jacobian;
  }

  /** The default reference: nx 6, 8 states of which 6 assimilated, 40 % of the points unobserved. */
  public static LinearGaussian standard() {
    return create(20240, 6, 8, 6, 0.4, 0.3, 0.6);
  }

  /**
   * Builds a problem and its exact posterior (diagonal B, strong constraint).
   *
   * @param obsStdLo lower bound of the observation std
   * @param obsStdHi upper bound of the observation std
   */
  public static LinearGaussian create(long seed, int nx, int nStates, int nAssim, double drop, double obsStdLo,
      double obsStdHi) {
    return create(seed, nx, nStates, nAssim, drop, obsStdLo, obsStdHi, CorrelationModel.NONE, 0.0, null);
  }

  /** The default reference with a correlated B: SOAR of length 2 grid points (strong constraint). */
  public static LinearGaussian correlated() {
    return create(20240, 6, 8, 6, 0.4, 0.3, 0.6, CorrelationModel.SOAR, 2.0, null);
  }

  /**
   * The default weak-constraint reference: correlated B (SOAR, L = 2), model-error std 0.3 in every component
   * except component 2 at every step and all of step 1 (zero: not in the control, strong there).
   */
  public static LinearGaussian weak() {
    int nx = 6;
    int nAssim = 6;
    double[] q = new double[(nAssim - 1) * nx];
    for (int t = 0; t + 1 < nAssim; t++) {
      for (int i = 0; i < nx; i++) {
        q[t * nx + i] = (i == 2 || t == 1) ? 0.0 : 0.3;
      }
    }
    return create(20240, nx, 8, nAssim, 0.4, 0.3, 0.6, CorrelationModel.SOAR, 2.0, q);
  }

  /**
   * Builds a problem and its exact posterior over its control.
   *
   * @param model the background correlation model (NONE: diagonal B)
   * @param length its length (grid points)
   * @param modelErrorStd {@code (nAssim − 1) × nx} model-error std (zeros allowed), or null for strong
   *     constraint
   */
  public static LinearGaussian create(long seed, int nx, int nStates, int nAssim, double drop, double obsStdLo,
      double obsStdHi, CorrelationModel model, double length, double[] modelErrorStd) {
    RandomStream r = RandomStream.of(seed, Domain.OTHER, 0);
    // A = 0.95 Q + 0.15 G / √n
    double[] q = new double[nx * nx];
    for (int j = 0; j < nx; j++) {
      for (int i = 0; i < nx; i++) {
        q[i * nx + j] = r.nextGaussian();
      }
      for (int p = 0; p < 2; p++) {
        for (int k = 0; k < j; k++) {
          double s = 0;
          for (int i = 0; i < nx; i++) {
            s += q[i * nx + j] * q[i * nx + k];
          }
          for (int i = 0; i < nx; i++) {
            q[i * nx + j] -= s * q[i * nx + k];
          }
        }
      }
      double nrm = 0;
      for (int i = 0; i < nx; i++) {
        nrm += q[i * nx + j] * q[i * nx + j];
      }
      nrm = Math.sqrt(nrm);
      for (int i = 0; i < nx; i++) {
        q[i * nx + j] /= nrm;
      }
    }
    double[] a = new double[nx * nx];
    for (int k = 0; k < a.length; k++) {
      a[k] = 0.95 * q[k] + 0.15 * r.nextGaussian() / Math.sqrt(nx);
    }
    LinearModel lm = new LinearModel(nx, a);

    double[] truth = new double[nStates * nx];
    for (int i = 0; i < nx; i++) {
      truth[i] = 2.0 * r.nextGaussian();
    }
    if (modelErrorStd == null) {
      lm.trajectory(truth.clone(), nStates, truth);
    } else {
      RandomStream re = RandomStream.of(seed, Domain.OTHER, 1);
      for (int t = 0; t + 1 < nStates; t++) {
        lm.step(truth, t * nx, truth, (t + 1) * nx, null, 0);
        if (t + 1 < nAssim) {
          for (int i = 0; i < nx; i++) {
            truth[(t + 1) * nx + i] += modelErrorStd[t * nx + i] * re.nextGaussian();
          }
        }
      }
    }

    double[] bStd = new double[nx];
    double[] xb = new double[nx];
    double[] z = new double[nx];
    for (int i = 0; i < nx; i++) {
      bStd[i] = r.nextUniform(0.5, 1.5);
      z[i] = r.nextGaussian();
      xb[i] = truth[i] + bStd[i] * z[i];
    }
    double[] bcov = new double[nx * nx];
    double[] c = model.matrix(nx, model == CorrelationModel.NONE ? 1.0 : length);
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < nx; j++) {
        bcov[i * nx + j] = bStd[i] * c[i * nx + j] * bStd[j];
      }
    }
    if (model != CorrelationModel.NONE) {          // x_b = truth + B½ z with B½ = D chol(C), in test code
      double[] l = new double[nx * nx];
      if (!Cholesky.decompose(nx, c, l)) {
        throw new IllegalStateException("correlation matrix not positive definite");
      }
      for (int i = 0; i < nx; i++) {
        double e = 0;
        for (int k = 0; k <= i; k++) {
          e += l[i * nx + k] * z[k];
        }
        xb[i] = truth[i] + bStd[i] * e;
      }
    }
    double[] y = new double[nAssim * nx];
    double[] obsStd = new double[nAssim * nx];
    for (int k = 0; k < nAssim * nx; k++) {
      double u = r.nextDouble();
      double s = r.nextUniform(obsStdLo, obsStdHi);
      double e = r.nextGaussian();
      if (u >= drop) {
        obsStd[k] = s;
        y[k] = truth[k] + s * e;
      } else {
        obsStd[k] = Double.NaN;
        y[k] = Double.NaN;
      }
    }
    ObservationOperator h = new ObservationOperator(nx, 1, Nonlinearity.IDENTITY);
    FourDVarProblem p = model == CorrelationModel.NONE
        ? new FourDVarProblem(lm, h, nStates, nAssim, xb, bStd, y, obsStd)
        : new FourDVarProblem(lm, h, nStates, nAssim, DenseTransform.correlated(xb, bStd, model, length), y,
            obsStd);
    if (modelErrorStd != null) {
      p = p.withModelError(modelErrorStd);
    }

    // the control layout: x0, then the η components with q > 0 (t-major, then i)
    int nEta = 0;
    if (modelErrorStd != null) {
      for (double v : modelErrorStd) {
        nEta += v > 0 ? 1 : 0;
      }
    }
    final int n = nx + nEta;
    int[] slotT = new int[nEta];
    int[] slotI = new int[nEta];
    double[] slotQ = new double[nEta];
    int k0 = 0;
    for (int t = 0; t + 1 < nAssim && modelErrorStd != null; t++) {
      for (int i = 0; i < nx; i++) {
        if (modelErrorStd[t * nx + i] > 0) {
          slotT[k0] = t;
          slotI[k0] = i;
          slotQ[k0] = modelErrorStd[t * nx + i];
          k0++;
        }
      }
    }
    // trajectory Jacobian: x_{t+1} = A x_t + Σ_{slots of step t} e_i η
    double[] jac = new double[nStates * nx * n];
    for (int i = 0; i < nx; i++) {
      jac[i * n + i] = 1.0;
    }
    for (int t = 0; t + 1 < nStates; t++) {
      for (int i = 0; i < nx; i++) {
        for (int col = 0; col < n; col++) {
          double s = 0;
          for (int k = 0; k < nx; k++) {
            s += a[i * nx + k] * jac[(t * nx + k) * n + col];
          }
          jac[((t + 1) * nx + i) * n + col] = s;
        }
      }
      for (int k = 0; k < nEta; k++) {
        if (slotT[k] == t && t + 1 < nAssim) {
          jac[((t + 1) * nx + slotI[k]) * n + nx + k] += 1.0;
        }
      }
    }
    // prior precision blockdiag(B⁻¹, 1/q²), prior mean (x_b, 0)
    double[] prec = new double[n * n];
    double[] rhs = new double[n];
    double[] binv = new double[nx * nx];
    double[] work = new double[nx * nx];
    if (!Cholesky.inverseSpd(nx, bcov, work, binv)) {
      throw new IllegalStateException("B not positive definite");
    }
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < nx; j++) {
        prec[i * n + j] = binv[i * nx + j];
        rhs[i] += binv[i * nx + j] * xb[j];
      }
    }
    for (int k = 0; k < nEta; k++) {
      prec[(nx + k) * n + nx + k] = 1.0 / (slotQ[k] * slotQ[k]);
    }
    for (int t = 0; t < nAssim; t++) {
      for (int j = 0; j < nx; j++) {
        int kk = t * nx + j;
        if (Double.isNaN(y[kk])) {
          continue;
        }
        double w = 1.0 / (obsStd[kk] * obsStd[kk]);
        final int row = (t * nx + j) * n;
        for (int u = 0; u < n; u++) {
          rhs[u] += jac[row + u] * w * y[kk];
          for (int v = 0; v < n; v++) {
            prec[u * n + v] += jac[row + u] * w * jac[row + v];
          }
        }
      }
    }
    double[] l = new double[n * n];
    if (!Cholesky.decompose(n, prec, l)) {
      throw new IllegalStateException("posterior precision not positive definite");
    }
    double[] cov = new double[n * n];
    Cholesky.inverse(n, l, cov);
    double[] mean = rhs.clone();
    Cholesky.solve(n, l, mean);
    return new LinearGaussian(p, truth, a, prec, cov, mean, bcov, jac);
  }

  /** The exact posterior mean of the trajectory, {@code L m} ({@code nStates × nx}, new array). */
  public double[] trajectoryMean() {
    final int rows = problem.nStates() * problem.nx();
    final int n = mean.length;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += jacobian[r * n + k] * mean[k];
      }
      out[r] = s;
    }
    return out;
  }

  /** The exact posterior covariance of state x_t, {@code L_t P L_tᵀ} (nx×nx, new array). */
  public double[] stateCovariance(int t) {
    final int nx = problem.nx();
    final int n = mean.length;
    double[] lp = new double[nx * n];
    for (int i = 0; i < nx; i++) {
      for (int k = 0; k < n; k++) {
        double s = 0;
        for (int m = 0; m < n; m++) {
          s += jacobian[(t * nx + i) * n + m] * covariance[m * n + k];
        }
        lp[i * n + k] = s;
      }
    }
    double[] out = new double[nx * nx];
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < nx; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += lp[i * n + k] * jacobian[(t * nx + j) * n + k];
        }
        out[i * nx + j] = s;
      }
    }
    return out;
  }

  /** The control's layout (as the problem sees it). */
  public ControlSpace control() {
    return problem.control();
  }

  private static double[] multiply(int n, double[] x, double[] y) {
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

  /** State size. */
  public int nx() {
    return problem.nx();
  }

  /** {@code max_{ij} |P_ij|}: the scale for covariance tolerances. */
  public double covarianceScale() {
    double m = 0;
    for (double v : covariance) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
