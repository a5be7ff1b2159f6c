package org.vi4dvar.kernels.testing;

import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.model.LinearModel;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * A linear-Gaussian 4D-Var problem with its exact posterior: the reference for every estimator.
 * <pre>
 *   x_{t+1} = A x_t,   y_t = x_t + ε_t (observed points only),   x0 ~ N(x_b, B),  B, R diagonal
 *   precision  P⁻¹ = B⁻¹ + Σ_t A^{t T} H_tᵀ R_t⁻¹ H_t A^t,   mean  m = P (B⁻¹ x_b + Σ_t A^{t T} H_tᵀ R_t⁻¹ y_t)
 * </pre>
 * A is a contraction of a random rotation ({@code 0.95 Q}) plus a small random part ({@code 0.15 G/√n}), so
 * the window neither blows up nor forgets x0. Background std uniform in [0.5, 1.5], observation std in
 * [0.3, 0.6], each (t, j) observed with probability {@code 1 − drop} (t = 0 included). Everything is drawn
 * from {@code RandomStream(seed, OTHER, ·)}.
 */
public final class LinearGaussian {

  /** The problem. */
  public final FourDVarProblem problem;
  /** The true trajectory, {@code nStates × nx}. */
  public final double[] truth;
  /** The model matrix A (row-major). */
  public final double[] a;
  /** The exact posterior precision of x0, {@code P⁻¹} (n×n). */
  public final double[] precision;
  /** The exact posterior covariance of x0, {@code P} (n×n). */
  public final double[] covariance;
  /** The exact posterior mean of x0. */
  public final double[] mean;

  private LinearGaussian(FourDVarProblem problem, double[] truth, double[] a, double[] precision,
      double[] covariance, double[] mean) {
    this.problem = problem;
    this.truth = truth;
    this.a = a;
    this.precision = precision;
    this.covariance = covariance;
    this.mean = mean;
  }

  /** The default reference: nx 6, 8 states of which 6 assimilated, 40 % of the points unobserved. */
  public static LinearGaussian standard() {
    return create(20240, 6, 8, 6, 0.4, 0.3, 0.6);
  }

  /**
   * Builds a problem and its exact posterior.
   *
   * @param obsStdLo lower bound of the observation std
   * @param obsStdHi upper bound of the observation std
   */
  public static LinearGaussian create(long seed, int nx, int nStates, int nAssim, double drop, double obsStdLo,
      double obsStdHi) {
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
    LinearModel model = new LinearModel(nx, a);

    double[] truth = new double[nStates * nx];
    for (int i = 0; i < nx; i++) {
      truth[i] = 2.0 * r.nextGaussian();
    }
    model.trajectory(truth.clone(), nStates, truth);

    double[] bStd = new double[nx];
    double[] xb = new double[nx];
    for (int i = 0; i < nx; i++) {
      bStd[i] = r.nextUniform(0.5, 1.5);
      xb[i] = truth[i] + bStd[i] * r.nextGaussian();
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
    FourDVarProblem p = new FourDVarProblem(model, new ObservationOperator(nx, 1, Nonlinearity.IDENTITY),
        nStates, nAssim, xb, bStd, y, obsStd);

    // exact posterior
    double[] prec = new double[nx * nx];
    double[] rhs = new double[nx];
    for (int i = 0; i < nx; i++) {
      prec[i * nx + i] = 1.0 / (bStd[i] * bStd[i]);
      rhs[i] = xb[i] / (bStd[i] * bStd[i]);
    }
    double[] mt = new double[nx * nx]; // A^t
    for (int i = 0; i < nx; i++) {
      mt[i * nx + i] = 1.0;
    }
    for (int t = 0; t < nAssim; t++) {
      if (t > 0) {
        mt = multiply(nx, a, mt);
      }
      for (int j = 0; j < nx; j++) {
        int k = t * nx + j;
        if (Double.isNaN(y[k])) {
          continue;
        }
        double w = 1.0 / (obsStd[k] * obsStd[k]);
        for (int u = 0; u < nx; u++) {
          rhs[u] += mt[j * nx + u] * w * y[k];
          for (int v = 0; v < nx; v++) {
            prec[u * nx + v] += mt[j * nx + u] * w * mt[j * nx + v];
          }
        }
      }
    }
    double[] l = new double[nx * nx];
    if (!Cholesky.decompose(nx, prec, l)) {
      throw new IllegalStateException("posterior precision not positive definite");
    }
    double[] cov = new double[nx * nx];
    Cholesky.inverse(nx, l, cov);
    double[] mean = rhs.clone();
    Cholesky.solve(nx, l, mean);
    return new LinearGaussian(p, truth, a, prec, cov, mean);
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
