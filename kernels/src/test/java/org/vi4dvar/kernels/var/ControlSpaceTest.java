package org.vi4dvar.kernels.var;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vi4dvar.kernels.testing.TaylorCheck.dot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.model.ModelSpec;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.TaylorCheck;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.testing.Vectors;

/**
 * The whole-control transform: its layout (x0, the η components with q &gt; 0 by step then component, the
 * parameters), splitting and propagating a control, and the block-diagonal S with its identities.
 */
class ControlSpaceTest {

  static final int NX = 5;
  static final int NASSIM = 4;

  /** Dense B (SOAR), q = 0.1·(1 + i) except component 1 everywhere and step 2 entirely (zero), F ~ N(8, 0.5²). */
  static ControlSpace space() {
    ControlTransform b = DenseTransformTest.soar(NX, 1.5, 77);
    double[] q = new double[(NASSIM - 1) * NX];
    for (int t = 0; t + 1 < NASSIM; t++) {
      for (int i = 0; i < NX; i++) {
        q[t * NX + i] = (i == 1 || t == 2) ? 0.0 : 0.1 * (1 + i);
      }
    }
    return ControlSpace.strong(b, NASSIM).withModelError(q).withParameter(0, 8.0, 0.5);
  }

  @Test
  void layout() {
    ControlSpace s = space();
    assertEquals(NX + 2 * 4 + 1, s.n());
    assertEquals(8, s.nEta());
    assertEquals(1, s.nParameters());
    assertTrue(s.weakConstraint());
    assertEquals(NX, s.etaOffset());
    assertEquals(NX, s.etaStart(0));
    assertEquals(NX + 4, s.etaEnd(0));
    assertEquals(NX + 4, s.etaStart(1));
    assertEquals(NX + 8, s.etaEnd(1));
    assertEquals(s.etaEnd(2), s.etaStart(2), "step 2 has no error components");
    assertEquals(NX + 8, s.parameterOffset());
    assertEquals(0, s.parameterModelIndex(0));
    assertEquals(0, s.parameterPosition(0));
    assertEquals(-1, s.parameterPosition(1));
    int[] comps = {0, 2, 3, 4, 0, 2, 3, 4};
    for (int k = 0; k < 8; k++) {
      assertEquals(comps[k], s.etaComponent(k));
      assertEquals(k / 4, s.etaStep(k));
      assertEquals(0.1 * (1 + comps[k]), s.scale(NX + k), 0.0);
      assertEquals(0.0, s.center(NX + k), 0.0);
    }
    assertEquals(0.5, s.scale(s.parameterOffset()), 0.0);
    assertEquals(8.0, s.center(s.parameterOffset()), 0.0);
    assertThrows(IndexOutOfBoundsException.class, () -> s.etaStart(3));
    ControlSpace strong = ControlSpace.strong(DenseTransformTest.soar(NX, 1.5, 77), NASSIM);
    assertEquals(NX, strong.n());
    assertFalse(strong.weakConstraint());
    assertEquals(NX, strong.withModelError(new double[(NASSIM - 1) * NX]).n(), "all q = 0: strong");
    assertEquals(NX, strong.withModelError(null).n());
    assertEquals(NX, ControlSpace.strong(DenseTransformTest.soar(NX, 1.5, 77), 1).withModelError(new double[0]).n());
  }

  /** Every component is named by what it is: the η slots by their (t, i), skipping the q = 0 components. */
  @Test
  void componentNames() {
    ControlSpace s = space();
    assertArrayEquals(new String[] {"x0_0", "x0_1", "x0_2", "x0_3", "x0_4", "eta_0_0", "eta_0_2", "eta_0_3",
        "eta_0_4", "eta_1_0", "eta_1_2", "eta_1_3", "eta_1_4", "forcing"}, s.componentNames(new String[] {"forcing"}));
    assertEquals("eta_1_2", s.componentName(NX + 5, new String[] {"forcing"}));
    ControlSpace strong = ControlSpace.strong(DenseTransformTest.soar(NX, 1.5, 77), NASSIM);
    assertArrayEquals(new String[] {"x0_0", "x0_1", "x0_2", "x0_3", "x0_4"}, strong.componentNames(new String[0]));
    assertThrows(IllegalArgumentException.class, () -> s.componentNames(new String[0]));
    assertThrows(IndexOutOfBoundsException.class, () -> s.componentName(s.n(), new String[] {"forcing"}));
  }

  @Test
  void splitAndSet() {
    ControlSpace s = space();
    double[] c = Vectors.gaussian(Vectors.rng(1), s.n());
    double[] x0 = new double[NX];
    s.x0(c, x0);
    assertArrayEquals(java.util.Arrays.copyOf(c, NX), x0, 0.0);
    double[] e = new double[NX];
    s.eta(c, 1, e);
    assertArrayEquals(new double[] {c[NX + 4], 0, c[NX + 5], c[NX + 6], c[NX + 7]}, e, 0.0);
    s.eta(c, 2, e);
    assertArrayEquals(new double[NX], e, 0.0);
    double[] full = s.modelErrors(c);
    assertEquals((NASSIM - 1) * NX, full.length);
    double[] c2 = new double[s.n()];
    s.setModelErrors(full, c2);
    for (int k = NX; k < s.parameterOffset(); k++) {
      assertEquals(c[k], c2[k], 0.0);
    }
    double[] p = new double[1];
    s.parameters(c, p);
    assertEquals(c[s.n() - 1], p[0], 0.0);
  }

  /** x_{t+1} = M(x_t) + η_t in the window, M alone after it, with the control's F. */
  @Test
  void propagateAddsModelErrorInTheWindowOnly() {
    ControlSpace s = space();
    ModelSpec spec = ModelSpec.lorenz96(NX, 8.0, 0.05);
    double[] c = Vectors.gaussian(Vectors.rng(2), s.n());
    c[s.n() - 1] = 9.25;
    int nStates = NASSIM + 3;
    double[] traj = s.trajectory(c, spec, nStates);
    Model m = ModelSpec.lorenz96(NX, 9.25, 0.05).newModel();
    double[] x = java.util.Arrays.copyOf(c, NX);
    double[] e = new double[NX];
    for (int t = 0; t + 1 < nStates; t++) {
      double[] nx = new double[NX];
      m.step(x, nx);
      if (t + 1 < NASSIM) {
        s.eta(c, t, e);
        for (int i = 0; i < NX; i++) {
          nx[i] += e[i];
        }
      }
      x = nx;
      assertArrayEquals(x, java.util.Arrays.copyOfRange(traj, (t + 1) * NX, (t + 2) * NX), 0.0, "x_" + (t + 1));
    }
  }

  @Test
  void blockTransformIdentities() {
    ControlSpace s = space();
    int n = s.n();
    RandomStream r = Vectors.rng(3);
    double[] v = Vectors.gaussian(r, n);
    double[] w = Vectors.gaussian(r, n);
    double[] sv = Vectors.nans(n);
    double[] stw = Vectors.nans(n);
    s.apply(v, sv);
    s.applyTranspose(w, stw);
    assertTrue(TaylorCheck.relativeMismatch(dot(sv, w), dot(v, stw)) < Tol.ADJOINT_ONE_STEP);
    double[] back = Vectors.nans(n);
    s.solve(sv, back);
    assertArrayEquals(v, back, 1e-12);
    s.solveTranspose(stw, back);
    assertArrayEquals(w, back, 1e-12);
    double ld = s.background().logDet();
    for (int k = NX; k < n; k++) {
      ld += Math.log(s.scale(k));
    }
    assertEquals(ld, s.logDet(), 1e-13);
    double[] cov = s.covarianceMatrix();
    double[] prec = s.precisionMatrix();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double t = 0;
        for (int k = 0; k < n; k++) {
          t += prec[i * n + k] * cov[k * n + j];
        }
        assertEquals(i == j ? 1.0 : 0.0, t, 1e-10);
      }
    }
    double[] c = new double[n];
    s.toControl(v, c);
    double[] v2 = new double[n];
    s.toWhitened(c, new double[n], v2);
    assertArrayEquals(v, v2, 1e-12);
    ControlSpace moved = s.withCenter(c);
    assertArrayEquals(c, moved.centerVector(), 0.0);
    moved.apply(v, w);
    assertArrayEquals(sv, w, 0.0);
  }

  @Test
  void survivesJavaSerialisation() throws Exception {
    ControlSpace s = space();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(s);
    }
    ControlSpace t;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
      t = (ControlSpace) in.readObject();
    }
    double[] v = Vectors.gaussian(Vectors.rng(4), s.n());
    double[] a = new double[s.n()];
    double[] c = new double[s.n()];
    s.toControl(v, a);
    t.toControl(v, c);
    assertArrayEquals(a, c, 0.0);
  }

  @Test
  void badInputIsNamed() {
    ControlSpace s = ControlSpace.strong(new DiagonalTransform(new double[NX], new double[] {1, 1, 1, 1, 1}), 3);
    assertThrows(IllegalArgumentException.class, () -> s.withParameter(0, 8, -1));
    assertThrows(IllegalArgumentException.class, () -> s.withParameter(0, 8, 1).withParameter(0, 8, 1));
    double[] q = new double[2 * NX];
    q[3] = 1e-200;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.withModelError(q));
    assertTrue(e.getMessage().contains("(t=0, i=3)") && e.getMessage().contains("1/σ²"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.withCenter(new double[NX + 1]));
    assertThrows(IllegalArgumentException.class, () -> ControlSpace.strong(s.background(), 0));
  }
}
