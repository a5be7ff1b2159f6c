package org.vi4dvar.kernels.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.GaussianPosterior;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.DenseTransform;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;

/**
 * Proofs of the flow (issue 14 §3): Taylor tests of the forward map, the log-determinant and the parameter
 * gradients; the gradient of the log density through the inverse; inverse consistency; the exact density against a
 * numerical change of variables, and its normalisation on a grid.
 */
class CouplingFlowTest {

  /** A flow away from the identity: initialised, then every parameter perturbed. */
  private static double[] genericTheta(CouplingFlow fl, long id, double scale) {
    double[] th = new double[fl.parameterCount()];
    RandomStream r = Vectors.rng(id);
    fl.initialise(th, r, 1.0);
    for (int k = 0; k < th.length; k++) {
      th[k] += scale * r.nextGaussian();
    }
    return th;
  }

  private static final int[][] SHAPES = {{2, 3, 5}, {5, 4, 6}, {16, 4, 16}, {7, 0, 0}};

  private static CouplingFlow[] flows() {
    CouplingFlow[] f = new CouplingFlow[2 * SHAPES.length];
    for (int k = 0; k < SHAPES.length; k++) {
      f[2 * k] = new CouplingFlow(SHAPES[k][0], SHAPES[k][1], SHAPES[k][2], false);
      f[2 * k + 1] = new CouplingFlow(SHAPES[k][0], SHAPES[k][1], SHAPES[k][2], true);
    }
    return f;
  }

  /** φ = ⟨w̄, T(z)⟩ + κ log|det ∂T/∂z|. */
  private static double phi(CouplingFlow fl, double[] th, double[] z, double[] wBar, double kappa) {
    double[] w = new double[fl.dimension()];
    double ld = fl.forward(th, z, w, fl.newWorkspace());
    return TaylorCheck.dot(wBar, w) + kappa * ld;
  }

  @Test
  void backwardPassesTheTaylorTestInZAndTheta() {
    int id = 0;
    for (CouplingFlow fl : flows()) {
      for (double kappa : new double[] {0.0, 0.7}) {
        for (double[] wScale : new double[][] {{1.0}, {0.0}}) {
          if (kappa == 0 && wScale[0] == 0) {
            continue;
          }
          id++;
          final int n = fl.dimension();
          double[] th = genericTheta(fl, id, 0.3);
          RandomStream r = Vectors.rng(1000 + id);
          double[] z = Vectors.gaussian(r, n);
          double[] wBar = Vectors.gaussian(r, n);
          for (int i = 0; i < n; i++) {
            wBar[i] *= wScale[0];
          }
          double[] gTh = new double[fl.parameterCount()];
          double[] zBar = new double[n];
          CouplingFlow.Workspace ws = fl.newWorkspace();
          double[] w = new double[n];
          fl.forward(th, z, w, ws);
          fl.backward(th, wBar, kappa, gTh, zBar, ws);
          double p0 = phi(fl, th, z, wBar, kappa);
          // in z
          double[] dz = Vectors.gaussian(r, n);
          double linZ = TaylorCheck.dot(zBar, dz);
          assertTaylor(e -> phi(fl, th, TaylorCheck.axpy(z, e, dz), wBar, kappa), p0, linZ,
              "z: " + describe(fl, kappa, wScale[0]));
          // in θ
          // a unit direction: with ~10³ parameters a unit-variance one would saturate the tanh units already at
          // ε ~ 0.03, leaving few points in the asymptotic range of the fit
          double[] dth = unit(Vectors.gaussian(r, th.length));
          double linT = TaylorCheck.dot(gTh, dth);
          assertTaylor(e -> phi(fl, TaylorCheck.axpy(th, e, dth), z, wBar, kappa), p0, linT,
              "theta: " + describe(fl, kappa, wScale[0]));
        }
      }
    }
  }

  /**
   * The Taylor remainder of φ(ε) − φ(0) − ε·lin falls as ε²; or φ is affine along the direction (e.g. the
   * log-determinant Σρ of a flow without couplings) and the remainder is round-off already at ε = 0.1 (a wrong
   * gradient leaves 0.1 × its error there).
   */
  static void assertTaylor(java.util.function.DoubleUnaryOperator phiOf, double p0, double lin, String what) {
    double r1 = Math.abs(phiOf.applyAsDouble(0.1) - p0 - 0.1 * lin);
    if (r1 <= 1e-13 * (1 + Math.abs(p0) + Math.abs(lin))) {
      return;
    }
    double slope = TaylorCheck.slope(e -> Math.abs(phiOf.applyAsDouble(e) - p0 - e * lin), Math.abs(lin),
        1e-15 * (1 + Math.abs(p0)));
    assertEquals(2.0, slope, Tol.TAYLOR_SLOPE, what);
  }

  private static double[] unit(double[] a) {
    double nrm = TaylorCheck.norm(a);
    for (int i = 0; i < a.length; i++) {
      a[i] /= nrm;
    }
    return a;
  }

  private static String describe(CouplingFlow fl, double kappa, double w) {
    return "n=" + fl.dimension() + " K=" + fl.layers() + " H=" + fl.hidden() + (fl.isDiagonal() ? " diag" : "")
        + " kappa=" + kappa + " wBar=" + w;
  }

  @Test
  void gradLogDensityPassesTheTaylorTest() {
    int id = 50;
    for (CouplingFlow fl : flows()) {
      id++;
      final int n = fl.dimension();
      double[] th = genericTheta(fl, id, 0.3);
      RandomStream r = Vectors.rng(2000 + id);
      double[] z = Vectors.gaussian(r, n);
      double[] w = new double[n];
      CouplingFlow.Workspace ws = fl.newWorkspace();
      fl.forward(th, z, w, ws);
      double[] g = new double[n];
      fl.gradLogDensity(th, ws, g);   // at the forward point
      double[] g2 = new double[n];
      double l0 = fl.logDensity(th, w, ws);
      fl.gradLogDensity(th, ws, g2);  // at the same point reached by the inverse
      assertArrayEquals(g, g2, 1e-12 * (1 + TaylorCheck.norm(g)));
      double[] dw = Vectors.gaussian(r, n);
      double lin = TaylorCheck.dot(g, dw);
      CouplingFlow.Workspace ws2 = fl.newWorkspace();
      double slope = TaylorCheck.slope(e -> Math.abs(fl.logDensity(th, TaylorCheck.axpy(w, e, dw), ws2) - l0
          - e * lin), Math.abs(lin), 1e-15 * (1 + Math.abs(l0)));
      assertEquals(2.0, slope, Tol.TAYLOR_SLOPE, describe(fl, 0, 0));
    }
  }

  @Test
  void theInverseUndoesTheForwardMapToRoundOff() {
    int id = 100;
    for (CouplingFlow fl : flows()) {
      id++;
      final int n = fl.dimension();
      double[] th = genericTheta(fl, id, 0.3);
      RandomStream r = Vectors.rng(3000 + id);
      CouplingFlow.Workspace ws = fl.newWorkspace();
      for (int rep = 0; rep < 20; rep++) {
        double[] z = Vectors.gaussian(r, n);
        double[] w = new double[n];
        double ldF = fl.forward(th, z, w, ws);
        double[] back = Vectors.nans(n);
        double ldI = fl.inverse(th, w, back, ws);
        for (int i = 0; i < n; i++) {
          assertEquals(z[i], back[i], Tol.FLOW_INVERSE * (1 + Math.abs(z[i])), describe(fl, 0, 0));
        }
        assertEquals(ldF, ldI, Tol.FLOW_INVERSE * (1 + Math.abs(ldF)));
      }
    }
  }

  @Test
  void theIdentityInitialisationIsTheIdentity() {
    CouplingFlow fl = new CouplingFlow(9, 4, 8, false);
    double[] th = new double[fl.parameterCount()];
    fl.initialise(th, Vectors.rng(5), 1.0);
    double[] z = Vectors.gaussian(Vectors.rng(6), 9);
    double[] w = new double[9];
    assertEquals(0.0, fl.forward(th, z, w, fl.newWorkspace()), 0.0);
    assertArrayEquals(z, w, 0.0);
    assertEquals(fl.parameterCount(), CouplingFlow.parameterCount(9, 4, 8, false));
  }

  @Test
  void logDensityIsTheNumericalChangeOfVariables() {
    // 2-D, three couplings away from the identity: log q(w) = log N(z) − log|det ∂T/∂z| with the Jacobian by
    // central differences (step 1e-5: truncation ~1e-10 × T''', round-off ~1e-16/1e-5 ≈ 1e-11)
    CouplingFlow fl = new CouplingFlow(2, 3, 6, false);
    double[] th = genericTheta(fl, 7, 0.5);
    CouplingFlow.Workspace ws = fl.newWorkspace();
    RandomStream r = Vectors.rng(8);
    final double h = 1e-5;
    for (int rep = 0; rep < 20; rep++) {
      double[] z = Vectors.gaussian(r, 2);
      double[] w = new double[2];
      fl.forward(th, z, w, ws);
      double[][] jac = new double[2][2];
      for (int j = 0; j < 2; j++) {
        double[] zp = z.clone();
        double[] zm = z.clone();
        zp[j] += h;
        zm[j] -= h;
        double[] wp = new double[2];
        double[] wm = new double[2];
        fl.forward(th, zp, wp, ws);
        fl.forward(th, zm, wm, ws);
        for (int i = 0; i < 2; i++) {
          jac[i][j] = (wp[i] - wm[i]) / (2 * h);
        }
      }
      double det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
      double expected = -0.5 * (z[0] * z[0] + z[1] * z[1]) - Math.log(2 * Math.PI) - Math.log(Math.abs(det));
      assertEquals(expected, fl.logDensity(th, w, ws), 1e-7);
    }
  }

  @Test
  void theDensityIntegratesToOne() {
    // midpoint rule on [−L, L]² with step δ: the density is smooth and its tails beyond L are < 1e-8 of the mass
    // (checked below by the moments of the same grid); the midpoint error is O(δ² ‖q''‖) ≈ 1e-4 here
    CouplingFlow fl = new CouplingFlow(2, 4, 6, false);
    double[] th = genericTheta(fl, 9, 0.4);
    CouplingFlow.Workspace ws = fl.newWorkspace();
    // how far the flow reaches: the extent of 10⁴ draws, doubled
    RandomStream r = Vectors.rng(10);
    double ext = 0;
    double[] z = new double[2];
    double[] w = new double[2];
    for (int s = 0; s < 10000; s++) {
      r.fillGaussian(z, 0, 2);
      fl.forward(th, z, w, ws);
      ext = Math.max(ext, Math.max(Math.abs(w[0]), Math.abs(w[1])));
    }
    final double lim = 2 * ext;
    final int m = 800;
    final double d = 2 * lim / m;
    double mass = 0;
    double[] x = new double[2];
    for (int i = 0; i < m; i++) {
      x[0] = -lim + (i + 0.5) * d;
      for (int j = 0; j < m; j++) {
        x[1] = -lim + (j + 0.5) * d;
        mass += Math.exp(fl.logDensity(th, x, ws));
      }
    }
    mass *= d * d;
    assertEquals(1.0, mass, 2e-3, "grid half-width " + lim);
  }

  @Test
  void withoutCouplingsItIsTheGaussianAndTheFlowPosteriorAgreesWithGaussianPosterior() {
    final int n = 5;
    DenseTransform s = DenseTransform.periodicGaussian(Vectors.gaussian(Vectors.rng(11), n),
        new double[] {1, 0.7, 1.2, 0.9, 1.1}, 1.2);
    CouplingFlow fl = new CouplingFlow(n, 0, 0, false);
    double[] th = genericTheta(fl, 12, 0.3);
    double[] mu0 = Vectors.gaussian(Vectors.rng(13), n);
    double[] p = new double[n * n];
    RandomStream r = Vectors.rng(14);
    for (int i = 0; i < n; i++) {
      p[i * n + i] = 0.5 + r.nextDouble();
      for (int j = 0; j < i; j++) {
        p[i * n + j] = 0.3 * r.nextGaussian();
      }
    }
    AffineMap base = AffineMap.lower(mu0, p);
    FlowPosterior fp = new FlowPosterior(s, base, fl, th, 5, 3, Diagnostics.none());
    // the same Gaussian: μ_v = μ0 + P m, L_v = P F
    double[] muV = new double[n];
    base.apply(th, muV);
    double[] mean = new double[n];
    s.toControl(muV, mean);
    double[] lv = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = 0;
        for (int k = j; k <= i; k++) {
          double fkj = k == j ? Math.exp(th[n + k]) : th[fl.lowerIndex(k, j)];
          v += p[i * n + k] * fkj;
        }
        lv[i * n + j] = v;
      }
    }
    GaussianPosterior gp = new GaussianPosterior(mean, s, GaussianPosterior.Factor.LOWER, lv, 5, 3, null);
    Posterior.Sampler a = fp.sampler();
    Posterior.Sampler b = gp.sampler();
    double[] ca = new double[n];
    double[] cb = new double[n];
    for (long i = 0; i < 50; i++) {
      a.draw(i, ca);
      b.draw(i, cb);
      assertArrayEquals(cb, ca, 1e-12);
      assertEquals(b.logDensity(ca), a.logDensity(ca), 1e-11);
      double[] again = new double[n];
      a.draw(i, again);
      assertArrayEquals(ca, again, 0.0);
    }
    assertEquals(null, fp.exactMoments());
    assertTrue(fp.hasDensity());
  }
}
