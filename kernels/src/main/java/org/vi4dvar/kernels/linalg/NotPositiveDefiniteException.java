package org.vi4dvar.kernels.linalg;

/**
 * A matrix that should be symmetric positive definite is not (numerically): its Cholesky factorisation met a
 * pivot {@code A_jj − Σ_{k<j} L_jk²} that is not strictly positive and finite. {@link #pivot()} is that row
 * (0-based), so that a caller can name it ("the first failing pivot is row 13").
 */
public final class NotPositiveDefiniteException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int pivot;

  /**
   * @param what what the matrix is (starts the message, e.g. "background covariance")
   * @param pivot the failing row, 0-based
   * @param n the order of the matrix
   */
  public NotPositiveDefiniteException(String what, int pivot, int n) {
    super(what + " is not positive definite: the Cholesky factorisation fails at pivot " + pivot
        + " (0-based row; " + n + "×" + n + ")");
    this.pivot = pivot;
  }

  /** The first failing pivot (0-based row). */
  public int pivot() {
    return pivot;
  }
}
