package org.vi4dvar.driver.io;

import java.io.IOException;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Writes a dataset directory ({@link DatasetFiles}) that {@link DatasetReader} reads back to the identical
 * arrays (a dense B as {@code background_cov.csv} instead of {@code background_std.csv}, model-error std as
 * {@code model_error_std.csv} when the problem is weak constraint; estimated parameters are configuration, not
 * data): doubles are written with {@link Double#toString(double)} (shortest text that parses to the same
 * double), unobserved points and forecast rows as empty fields.
 */
public final class DatasetWriter {

  private DatasetWriter() {
  }

  /**
   * Writes the dataset into {@code out} (files relative to its root).
   *
   * @param out the output directory being assembled
   * @param p the problem
   * @param truth the true trajectory {@code truth[t*nx+i]}, or null to write no {@code truth.csv}
   */
  public static void write(org.vi4dvar.driver.output.OutputSink out, FourDVarProblem p, double[] truth) throws IOException {
    write(out, "", p, truth);
  }

  /** As {@link #write(org.vi4dvar.driver.output.OutputSink, FourDVarProblem, double[])}, into the subfolder {@code prefix} ("" or "x/"). */
  public static void write(org.vi4dvar.driver.output.OutputSink out, String prefix, FourDVarProblem p,
      double[] truth)
      throws IOException {
    final int nx = p.nx();
    final int ny = p.ny();
    final int nStates = p.nStates();
    final int nAssim = p.nAssim();
    double[] y = p.y();
    double[] s = p.obsStd();
    out.writeString(prefix + DatasetFiles.OBS, grid(y, nAssim, nStates, ny));
    out.writeString(prefix + DatasetFiles.OBS_STD, grid(s, nAssim, nStates, ny));
    out.writeString(prefix + DatasetFiles.BACKGROUND, grid(p.xb(), 1, 1, nx));
    if (p.background().diagonal()) {
      out.writeString(prefix + DatasetFiles.BACKGROUND_STD, grid(p.bStd(), 1, 1, nx));
    } else {
      // B = U Uᵀ, written exactly symmetric (the upper triangle mirrored) so that the reader's check passes,
      // with the variances σ_i² of the transform's own std per point (the diagonal of D C D; U Uᵀ has it to
      // round-off), so that the std read back, √(σ²) = σ, is the same double
      double[] cov = p.background().covarianceMatrix();
      for (int i = 0; i < nx; i++) {
        double sd = p.background().scale(i);
        cov[i * nx + i] = sd * sd;
        for (int j = i + 1; j < nx; j++) {
          cov[j * nx + i] = cov[i * nx + j];
        }
      }
      out.writeString(prefix + DatasetFiles.BACKGROUND_COV, grid(cov, nx, nx, nx));
    }
    if (p.weakConstraint() && nAssim > 1) {
      out.writeString(prefix + DatasetFiles.MODEL_ERROR_STD, grid(p.modelErrorStd(), nAssim - 1, nAssim - 1, nx));
    }
    if (truth != null) {
      if (truth.length != nStates * nx) {
        throw new IllegalArgumentException("truth must have " + nStates + " × " + nx + " values, got "
            + truth.length);
      }
      out.writeString(prefix + DatasetFiles.TRUTH, grid(truth, nStates, nStates, nx));
    }
  }

  /** Writes {@code a} as {@code rows} rows of {@code cols} ({@code a} holds {@code filled} rows; NaN → empty). */
  static String grid(double[] a, int filled, int rows, int cols) {
    StringBuilder b = new StringBuilder(rows * cols * 20);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (c > 0) {
          b.append(',');
        }
        if (r < filled) {
          double v = a[r * cols + c];
          if (!Double.isNaN(v)) {
            b.append(Double.toString(v));
          }
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** {@code a} as CSV rows of {@code cols} values (results: mean, std, covariance); NaN never expected. */
  public static String csv(double[] a, int rows, int cols) {
    return grid(a, rows, rows, cols);
  }
}
