package org.vi4dvar.kernels.var;

/**
 * Background-error correlation models on the periodic grid of {@code n} points, with a length L in grid points,
 * as functions of the chordal distance (math-2.md, "Control-variable transform"):
 * <pre>
 *   c_ij = (n/π) sin(π |i − j| / n)          the distance between points i and j placed on a circle of
 *                                            circumference n (grid spacing 1) in the plane
 *   NONE       C_ij = δ_ij
 *   GAUSSIAN   C_ij = exp(−c_ij² / 2L²)
 *   SOAR       C_ij = (1 + c_ij/L) exp(−c_ij/L)   (second-order auto-regressive)
 * </pre>
 * Both are positive definite by construction: they are isotropic covariance functions that are positive
 * definite on the plane (the Gaussian in every dimension; SOAR is the Matérn ν = 3/2 function, positive definite
 * in every dimension too, Gneiting 2013 / Stein 1999 §2.10), evaluated at distinct points of the plane (the grid
 * on its circle). A Gaussian of the periodic grid distance {@code min(|i−j|, n−|i−j|)} itself is <b>not</b>:
 * e.g. n = 16, L = 2 has a negative eigenvalue (−2.6·10⁻⁴; tested), because the geodesic distance on a circle is
 * not Euclidean and the Gaussian is not positive definite on the circle with it (Gneiting 2013, Bernoulli 19).
 *
 * <p><b>Numerical limit of GAUSSIAN.</b> The eigenvalues of the (circulant) Gaussian matrix decay like
 * {@code √(2π) L exp(−(2πkL/n)²/2)} with the wavenumber k ≤ n/2, down to ≈ {@code √(2π) L exp(−π²L²/2)}: on a
 * grid of spacing 1 the matrix is positive definite in exact arithmetic but singular to round-off for
 * {@code L ≳ 3}. Measured smallest eigenvalues (LAPACK): 3·10⁻⁵ at L = 2, n = 16 and 3·10⁻⁸ at L = 2, n = 1024;
 * 10⁻⁷ at L = 3, n = 16; below 10⁻¹¹ (round-off) for L ≥ 3, n ≥ 40. The Cholesky factorisation of B then fails
 * at a pivot (reported by {@link DenseTransform#correlated}) or succeeds with a useless condition number; use
 * SOAR for long correlations (smallest eigenvalue ≈ 0.01 at L = 2 and ≈ 2·10⁻⁵ at L = 16, for every n ≥ 40).
 */
public enum CorrelationModel implements org.vi4dvar.kernels.config.ConfigChoice {
  /** No correlation: B diagonal. */
  NONE("none"),
  /** {@code exp(−c²/2L²)} of the chordal distance. */
  GAUSSIAN("gaussian"),
  /** {@code (1 + c/L) exp(−c/L)} of the chordal distance. */
  SOAR("soar");

  private final String configName;

  CorrelationModel(String configName) {
    this.configName = configName;
  }

  /** The name used in configuration files ({@code none | gaussian | soar}). */
  @Override
  public String configName() {
    return configName;
  }

  /**
   * The model of a configuration name.
   *
   * @throws IllegalArgumentException naming the known models
   */
  public static CorrelationModel parse(String name) {
    for (CorrelationModel m : values()) {
      if (m.configName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown background correlation model '" + name
        + "' (known: none, gaussian, soar)");
  }

  /** {@code (n/π) sin(π |i − j| / n)}: the chordal distance of grid points i and j on a periodic grid of n. */
  public static double chordalDistance(int i, int j, int n) {
    return (n / Math.PI) * Math.sin(Math.PI * Math.abs(i - j) / n);
  }

  /** The correlation at distance {@code c ≥ 0} for length {@code length > 0} (NONE: 1 at c = 0, else 0). */
  public double correlation(double c, double length) {
    switch (this) {
      case GAUSSIAN:
        return Math.exp(-c * c / (2.0 * length * length));
      case SOAR:
        return (1.0 + c / length) * Math.exp(-c / length);
      default:
        return c == 0.0 ? 1.0 : 0.0;
    }
  }

  /**
   * The n×n correlation matrix (row-major, new array) of the chordal distance; the diagonal is exactly 1.
   *
   * @param n grid points, ≥ 1
   * @param length L in grid points, finite and &gt; 0 (ignored for NONE)
   */
  public double[] matrix(int n, double length) {
    if (n < 1) {
      throw new IllegalArgumentException("correlation matrix needs n >= 1, got " + n);
    }
    if (this != NONE) {
      requireLength(length);
    }
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      c[i * n + i] = 1.0;
      for (int j = 0; j < i; j++) {
        double v = this == NONE ? 0.0 : correlation(chordalDistance(i, j, n), length);
        c[i * n + j] = v;
        c[j * n + i] = v;
      }
    }
    return c;
  }

  /** Validates a correlation length: finite and &gt; 0. */
  static void requireLength(double length) {
    if (!(length > 0) || !Double.isFinite(length)) {
      throw new IllegalArgumentException("background correlation length must be finite and > 0 grid points, got "
          + length);
    }
  }
}
