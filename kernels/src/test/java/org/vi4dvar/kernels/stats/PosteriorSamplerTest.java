package org.vi4dvar.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.linalg.Cholesky;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.stats.PosteriorSampler.Form;
import org.vi4dvar.kernels.testing.Vectors;

class PosteriorSamplerTest {

  static final int N = 4;
  static final int DRAWS = 40_000;

  /** A random SPD matrix {@code G Gᵀ + n I}. */
  static double[] spd(long id) {
    RandomStream r = Vectors.rng(id);
    double[] g = Vectors.gaussian(r, N * N);
    double[] a = new double[N * N];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        double s = i == j ? N : 0;
        for (int k = 0; k < N; k++) {
          s += g[i * N + k] * g[j * N + k];
        }
        a[i * N + j] = s;
      }
    }
    return a;
  }

  /** Sample mean and covariance of {@code DRAWS} draws. */
  static double[][] moments(PosteriorSampler ps) {
    double[] x = new double[DRAWS * N];
    ps.sample(0, DRAWS, x);
    double[] m = new double[N];
    for (int s = 0; s < DRAWS; s++) {
      for (int i = 0; i < N; i++) {
        m[i] += x[s * N + i] / DRAWS;
      }
    }
    double[] c = new double[N * N];
    for (int s = 0; s < DRAWS; s++) {
      for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
          c[i * N + j] += (x[s * N + i] - m[i]) * (x[s * N + j] - m[j]) / (DRAWS - 1);
        }
      }
    }
    return new double[][] {m, c};
  }

  /**
   * Moments within 5 Monte Carlo standard deviations: the mean's sd is √(Σ_ii/n), a covariance entry's
   * √((Σ_ii Σ_jj + Σ_ij²)/n) (Wishart).
   */
  static void assertMoments(double[] mean, double[] cov, double[][] got) {
    for (int i = 0; i < N; i++) {
      assertEquals(mean[i], got[0][i], 5 * Math.sqrt(cov[i * N + i] / DRAWS), "mean " + i);
      for (int j = 0; j < N; j++) {
        double sd = Math.sqrt((cov[i * N + i] * cov[j * N + j] + cov[i * N + j] * cov[i * N + j]) / DRAWS);
        assertEquals(cov[i * N + j], got[1][i * N + j], 5 * sd, "cov " + i + "," + j);
      }
    }
  }

  @Test
  void precisionFactorSamplesHaveTheInverseCovariance() {
    double[] a = spd(1);
    double[] l = new double[N * N];
    Cholesky.decompose(N, a, l);
    double[] cov = new double[N * N];
    Cholesky.inverse(N, l, cov);
    double[] mean = {1, -2, 3, 0.5};
    assertMoments(mean, cov, moments(PosteriorSampler.gaussian(mean, l, Form.PRECISION_FACTOR, 7, 2)));
  }

  @Test
  void covarianceFactorAndDiagonalSamples() {
    double[] sigma = spd(2);
    double[] l = new double[N * N];
    Cholesky.decompose(N, sigma, l);
    double[] mean = {0, 1, 2, 3};
    assertMoments(mean, sigma, moments(PosteriorSampler.gaussian(mean, l, Form.COVARIANCE_FACTOR, 7, 3)));
    double[] std = {0.5, 1, 2, 4};
    double[] diag = new double[N * N];
    for (int i = 0; i < N; i++) {
      diag[i * N + i] = std[i] * std[i];
    }
    assertMoments(mean, diag, moments(PosteriorSampler.gaussian(mean, std, Form.DIAGONAL, 7, 1)));
  }

  @Test
  void sampleSDependsOnlyOnSeedTagAndS() {
    PosteriorSampler ps = PosteriorSampler.gaussian(new double[] {0, 0, 0, 0}, new double[] {1, 1, 1, 1},
        Form.DIAGONAL, 11, 5);
    double[] all = new double[100 * N];
    ps.sample(0, 100, all);
    double[] part = new double[10 * N];
    ps.sample(37, 10, part);
    for (int k = 0; k < 10 * N; k++) {
      assertEquals(Double.doubleToLongBits(all[37 * N + k]), Double.doubleToLongBits(part[k]));
    }
    double[] other = new double[N];
    PosteriorSampler.gaussian(new double[] {0, 0, 0, 0}, new double[] {1, 1, 1, 1}, Form.DIAGONAL, 11, 6)
        .sample(37, other, 0);
    assertEquals(false, other[0] == part[0], "another tag, another stream");
  }

  /** Component frequencies follow the weights: 30 % within 5 binomial sd (√(0.21/n)). */
  @Test
  void mixtureDrawsComponentsByWeight() {
    double[][] means = {{-100, 0, 0, 0}, {100, 0, 0, 0}};
    double[][] std = {{1, 1, 1, 1}, {1, 1, 1, 1}};
    PosteriorSampler ps = PosteriorSampler.mixture(means, std, Form.DIAGONAL, new double[] {3, 7}, 1, 4);
    assertEquals(0.3, ps.weight(0), 1e-15);
    double[] x = new double[DRAWS * N];
    ps.sample(0, DRAWS, x);
    int left = 0;
    for (int s = 0; s < DRAWS; s++) {
      left += x[s * N] < 0 ? 1 : 0;
    }
    assertEquals(0.3, (double) left / DRAWS, 5 * Math.sqrt(0.21 / DRAWS));
  }

  @Test
  void softmaxWeighsByExpAndDropsNonFinite() {
    double[] w = PosteriorSampler.softmax(new double[] {-10, Double.NEGATIVE_INFINITY, -10 + Math.log(3),
        Double.NaN});
    assertArrayEquals(new double[] {0.25, 0, 0.75, 0}, w, 1e-15);
    assertArrayEquals(new double[2], PosteriorSampler.softmax(new double[] {Double.NaN,
        Double.NEGATIVE_INFINITY}), 0.0);
    assertArrayEquals(new double[] {0.5, 0.5}, PosteriorSampler.softmax(new double[] {-1e300, -1e300}), 0.0);
  }

  @Test
  void rejectsInconsistentComponents() {
    assertThrows(IllegalArgumentException.class, () -> PosteriorSampler.gaussian(new double[3], new double[4],
        Form.DIAGONAL, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> PosteriorSampler.mixture(new double[][] {{0}, {1}},
        new double[][] {{1}, {1}}, Form.DIAGONAL, new double[] {0, 0}, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> PosteriorSampler.gaussian(new double[1], new double[1],
        Form.DIAGONAL, 1, -1));
  }
}
