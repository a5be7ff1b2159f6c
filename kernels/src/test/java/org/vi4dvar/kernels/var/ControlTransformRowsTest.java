package org.vi4dvar.kernels.var;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.testing.Vectors;

/** The batched {@link ControlTransform#toControlRows} gives {@link ControlTransform#toControl}'s numbers bit for bit. */
class ControlTransformRowsTest {

  /** The same transform seen only through the interface's other methods (so the default toControlRows runs). */
  private static ControlTransform viaDefault(ControlTransform t) {
    return new ControlTransform() {
      private static final long serialVersionUID = 1L;

      @Override
      public int n() {
        return t.n();
      }

      @Override
      public double center(int i) {
        return t.center(i);
      }

      @Override
      public void apply(double[] w, double[] out) {
        t.apply(w, out);
      }

      @Override
      public void applyTranspose(double[] g, double[] out) {
        t.applyTranspose(g, out);
      }

      @Override
      public void solve(double[] d, double[] out) {
        t.solve(d, out);
      }

      @Override
      public double logDet() {
        return t.logDet();
      }

      @Override
      public double scale(int i) {
        return t.scale(i);
      }

      @Override
      public boolean diagonal() {
        return t.diagonal();
      }
    };
  }

  @Test
  void rowsEqualToControlVectorByVector() {
    int n = 7;
    int nb = 19;
    RandomStream r = Vectors.rng(5);
    double[] center = new double[n];
    double[] std = new double[n];
    for (int i = 0; i < n; i++) {
      center[i] = 3 * r.nextGaussian();
      std[i] = r.nextUniform(0.1, 2);
    }
    ControlTransform d = ControlTransform.diagonal(center, std);
    double[][] w = new double[n][nb + 3];
    for (int i = 0; i < n; i++) {
      r.fillGaussian(w[i], 0, nb);
    }
    for (ControlTransform t : new ControlTransform[] {d, viaDefault(d)}) {
      double[][] rows = new double[n][nb + 3];
      t.toControlRows(w, nb, rows);
      double[] v = new double[n];
      double[] c = new double[n];
      for (int b = 0; b < nb; b++) {
        for (int i = 0; i < n; i++) {
          v[i] = w[i][b];
        }
        d.toControl(v, c);
        for (int i = 0; i < n; i++) {
          assertEquals(Double.doubleToLongBits(c[i]), Double.doubleToLongBits(rows[i][b]), "i " + i + ", b " + b);
          // and the literal x_b + σ ⊙ z of the diagonal B½
          assertEquals(Double.doubleToLongBits(center[i] + std[i] * w[i][b]), Double.doubleToLongBits(rows[i][b]));
        }
      }
      for (int i = 0; i < n; i++) {
        assertEquals(0.0, rows[i][nb], 0.0, "wrote past nb");
      }
    }
  }
}
