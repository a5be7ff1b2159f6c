package org.vi4dvar.kernels.var;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vi4dvar.kernels.testing.TaylorCheck.dot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vi4dvar.kernels.linalg.NotPositiveDefiniteException;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.SampleMoments;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;

/**
 * The dense B½ operator: {@code ⟨B½ v, w⟩ = ⟨v, B½ᵀ w⟩}; solves invert applications; {@code U Uᵀ = B}; the
 * precision is B⁻¹; {@code log det B = 2 Σ log U_ii} against an independent LU determinant; Jb's gradient by a
 * Taylor test; draws {@code x_b + B½ z} with the moments of N(x_b, B) within their Monte Carlo error; bad input
 * named.
 */
class DenseTransformTest {

  static DenseTransform soar(int n, double len, long id) {
    RandomStream r = Vectors.rng(id);
    double[] std = new double[n];
    for (int i = 0; i < n; i++) {
      std[i] = r.nextUniform(0.5, 1.5);
    }
    return DenseTransform.correlated(Vectors.gaussian(r, n), std, CorrelationModel.SOAR, len);
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** log |det A| by Gaussian elimination with partial pivoting (independent of Cholesky). */
  static double logAbsDet(double[] a, int n) {
    double[] w = a.clone();
    double s = 0;
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(w[r * n + c]) > Math.abs(w[p * n + c])) {
          p = r;
        }
      }
      for (int k = 0; k < n; k++) {
        double t = w[c * n + k];
        w[c * n + k] = w[p * n + k];
        w[p * n + k] = t;
      }
      double d = w[c * n + c];
      s += Math.log(Math.abs(d));
      for (int r = c + 1; r < n; r++) {
        double f = w[r * n + c] / d;
        for (int k = c; k < n; k++) {
          w[r * n + k] -= f * w[c * n + k];
        }
      }
    }
    return s;
  }

  @ParameterizedTest(name = "n={0}, L={1}")
  @CsvSource({"6, 1", "16, 2", "40, 4", "130, 2"})
  void operatorIdentities(int n, double len) {
    DenseTransform s = soar(n, len, n);
    RandomStream r = Vectors.rng(1000 + n);
    double[] v = Vectors.gaussian(r, n);
    double[] w = Vectors.gaussian(r, n);
    double[] sv = Vectors.nans(n);
    double[] stw = Vectors.nans(n);
    s.apply(v, sv);
    s.applyTranspose(w, stw);
    assertTrue(TaylorCheck.relativeMismatch(dot(sv, w), dot(v, stw)) < Tol.ADJOINT_ONE_STEP, "⟨Sv, w⟩ = ⟨v, Sᵀw⟩");
    double[] back = Vectors.nans(n);
    s.solve(sv, back);
    for (int i = 0; i < n; i++) {
      assertEquals(v[i], back[i], Tol.LINALG * 10 * maxAbs(v), "S⁻¹ S v = v");
    }
    s.solveTranspose(stw, back);
    for (int i = 0; i < n; i++) {
      assertEquals(w[i], back[i], Tol.LINALG * 10 * maxAbs(w), "S⁻ᵀ Sᵀ w = w");
    }
    double[] b = s.covarianceMatrix();
    double[] expected = new double[n * n];
    double[] c = CorrelationModel.SOAR.matrix(n, len);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        expected[i * n + j] = s.scale(i) * c[i * n + j] * s.scale(j);
      }
    }
    for (int k = 0; k < n * n; k++) {
      assertEquals(expected[k], b[k], Tol.LINALG * maxAbs(expected), "U Uᵀ = D C D");
    }
    double[] p = s.precisionMatrix();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double t = 0;
        for (int k = 0; k < n; k++) {
          t += p[i * n + k] * b[k * n + j];
        }
        assertEquals(i == j ? 1.0 : 0.0, t, 1e-10, "B⁻¹ B = I");
      }
    }
    assertEquals(logAbsDet(b, n), 2 * s.logDet(), 1e-12 * n * Math.max(1, Math.abs(s.logDet())),
        "log det B = 2 Σ log U_ii");
  }

  /** Jb(x) = ½‖U⁻¹(x − x_b)‖² has gradient U⁻ᵀU⁻¹(x − x_b): Taylor test. */
  @Test
  void backgroundTermGradientTaylorTest() {
    DenseTransform s = soar(16, 2, 3);
    int n = 16;
    double[] x = Vectors.gaussian(Vectors.rng(4), n);
    double[] h = Vectors.gaussian(Vectors.rng(5), n);
    double[] d = new double[n];
    double[] w = new double[n];
    java.util.function.ToDoubleFunction<double[]> jb = y -> {
      double[] dd = new double[n];
      double[] ww = new double[n];
      for (int i = 0; i < n; i++) {
        dd[i] = y[i] - s.center(i);
      }
      s.solve(dd, ww);
      return 0.5 * dot(ww, ww);
    };
    for (int i = 0; i < n; i++) {
      d[i] = x[i] - s.center(i);
    }
    s.solve(d, w);
    double[] g = new double[n];
    s.solveTranspose(w, g);
    double j0 = jb.applyAsDouble(x);
    double gh = dot(g, h);
    double slope = TaylorCheck.slope(eps -> Math.abs(jb.applyAsDouble(TaylorCheck.axpy(x, eps, h)) - j0 - eps * gh),
        Math.abs(gh), 1e-16 * j0);
    assertEquals(2.0, slope, Tol.TAYLOR_SLOPE);
  }

  /**
   * Draws x_b + B½ z: sample mean and covariance within {@link Tol#MC_SIGMAS} Monte Carlo sd of (x_b, B) for
   * 20 000 draws; the same check rejects draws with the right marginal stds but no correlation.
   */
  @Test
  void drawsHaveTheMomentsOfTheBackground() {
    int n = 8;
    DenseTransform s = soar(n, 2, 6);
    int m = 20000;
    double[] draws = new double[m * n];
    double[] diag = new double[m * n];
    double[] z = new double[n];
    double[] c = new double[n];
    RandomStream r = Vectors.rng(7);
    DiagonalTransform marginal = new DiagonalTransform(s.centerVector(), new double[] {s.scale(0), s.scale(1),
        s.scale(2), s.scale(3), s.scale(4), s.scale(5), s.scale(6), s.scale(7)});
    for (int k = 0; k < m; k++) {
      s.draw(r, z, c);
      System.arraycopy(c, 0, draws, k * n, n);
      marginal.toControl(z, c);
      System.arraycopy(c, 0, diag, k * n, n);
    }
    double[] b = s.covarianceMatrix();
    assertTrue(new SampleMoments(draws, m, n).maxStandardisedError(s.centerVector(), b) <= Tol.MC_SIGMAS);
    assertTrue(new SampleMoments(diag, m, n).maxStandardisedError(s.centerVector(), b) > 4 * Tol.MC_SIGMAS);
    // perturb is the same draw with a scale: center + scale · U z
    double[] out = new double[n];
    double[] uz = new double[n];
    s.apply(z, uz);
    s.perturb(s.centerVector(), 3.0, z, out);
    for (int i = 0; i < n; i++) {
      assertEquals(Double.doubleToLongBits(s.center(i) + 3.0 * uz[i]), Double.doubleToLongBits(out[i]));
    }
  }

  /** The diagonal transform's perturbation is {@code c_i + (scale σ_i) z_i} exactly (the old expression). */
  @Test
  void diagonalPerturbationIsTheLegacyExpression() {
    double[] c = {1, 2, 3};
    double[] sd = {0.3, 0.7, 1.1};
    double[] z = {0.5, -1.5, 2.5};
    double[] out = new double[3];
    DiagonalTransform d = new DiagonalTransform(c, sd);
    d.perturb(c, 0.37, z, out);
    for (int i = 0; i < 3; i++) {
      assertEquals(Double.doubleToLongBits(c[i] + 0.37 * sd[i] * z[i]), Double.doubleToLongBits(out[i]));
    }
    double[] p = d.precisionMatrix();
    assertEquals(Double.doubleToLongBits(1.0 / (0.7 * 0.7)), Double.doubleToLongBits(p[4]));
  }

  @Test
  void fromCovarianceAndFromFactorAgree() {
    DenseTransform s = soar(12, 2, 8);
    DenseTransform a = DenseTransform.fromCovariance(s.centerVector(), s.covarianceMatrix());
    DenseTransform f = DenseTransform.fromFactor(s.centerVector(), s.factor());
    double[] v = Vectors.gaussian(Vectors.rng(9), 12);
    double[] o1 = new double[12];
    double[] o2 = new double[12];
    double[] o3 = new double[12];
    s.apply(v, o1);
    a.apply(v, o2);
    f.apply(v, o3);
    for (int i = 0; i < 12; i++) {
      assertEquals(o1[i], o2[i], 1e-13 * (1 + Math.abs(o1[i])));
      assertEquals(o1[i], o3[i], 0.0);
      assertEquals(s.scale(i), a.scale(i), 1e-14);
    }
    DenseTransform moved = s.withCenter(new double[12]);
    moved.apply(v, o2);
    assertEquals(0.0, moved.center(3), 0.0);
    assertTrue(java.util.Arrays.equals(o1, o2), "withCenter keeps S");
  }

  @Test
  void badCovarianceIsNamed() {
    double[] c3 = new double[3];
    NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
        () -> DenseTransform.fromCovariance(c3, new double[] {1, 0, 0, 0, 1, 0, 0, 0, -1}));
    assertEquals(2, e.pivot());
    assertTrue(e.getMessage().contains("pivot 2"), e.getMessage());
    // rank one: the second pivot vanishes
    assertEquals(1, assertThrows(NotPositiveDefiniteException.class,
        () -> DenseTransform.fromCovariance(c3, new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1})).pivot());
    assertMessage("not symmetric at (1, 0)",
        () -> DenseTransform.fromCovariance(new double[2], new double[] {1, 0.5, 0.5 + 1e-9, 1}));
    DenseTransform.fromCovariance(new double[2], new double[] {1, 0.5, 0.5 * (1 + 1e-13), 1}); // within 1e-12
    assertMessage("not finite", () -> DenseTransform.fromCovariance(new double[2],
        new double[] {1, Double.NaN, Double.NaN, 1}));
    assertMessage("2×2", () -> DenseTransform.fromCovariance(new double[2], new double[3]));
    assertMessage("center[1] is not finite", () -> DenseTransform.fromCovariance(new double[] {0, Double.NaN},
        new double[] {1, 0, 0, 1}));
    assertMessage("background std [1]", () -> DenseTransform.correlated(new double[2], new double[] {1, 0},
        CorrelationModel.SOAR, 1));
    assertMessage("correlation length", () -> DenseTransform.correlated(new double[2], new double[] {1, 1},
        CorrelationModel.SOAR, 0));
    assertMessage("diagonal (1)", () -> DenseTransform.fromFactor(new double[2], new double[] {1, 0, 1, 0}));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(part), ex.getMessage());
  }
}
