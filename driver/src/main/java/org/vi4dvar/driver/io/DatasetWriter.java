package org.vi4dvar.driver.io;

import java.io.IOException;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Writes a dataset directory ({@link DatasetFiles}) that {@link DatasetReader} reads back to the identical
 * arrays (a dense B as {@code background_cov.csv} instead of {@code background_std.csv}, model-error std as
 * {@code model_error_std.csv} when the problem is weak constraint, the truth's model errors and parameters as
 * {@code model_error_truth.csv} and {@code parameters_truth.csv} when known; estimated parameters are
 * configuration, not data): doubles are written with {@link Double#toString(double)} (shortest text that parses
 * to the same double), unobserved points and forecast rows as empty fields.
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
  public static void write(org.vi4dvar.driver.output.OutputSink out, FourDVarProblem p, double[] truth)
      throws IOException {
    write(out, "", p, truth, null, null);
  }

  /** As {@link #write(org.vi4dvar.driver.output.OutputSink, FourDVarProblem, double[])}, into the subfolder {@code prefix} ("" or "x/"). */
  public static void write(org.vi4dvar.driver.output.OutputSink out, String prefix, FourDVarProblem p,
      double[] truth) throws IOException {
    write(out, prefix, p, truth, null, null);
  }

  /** The dataset of experiment inputs {@code in}, the truth's whole control with it, into {@code prefix}. */
  public static void write(org.vi4dvar.driver.output.OutputSink out, String prefix, ExperimentInputs in)
      throws IOException {
    write(out, prefix, in.problem(), in.truth(), in.modelErrorTruth(), in.parameterTruth());
  }

  /**
   * As {@link #write(org.vi4dvar.driver.output.OutputSink, String, FourDVarProblem, double[])}, with the truth's
   * model errors ({@code model_error_truth.csv} when given) and its model parameters ({@code
   * parameters_truth.csv} when given and informative: the problem estimates a parameter, or the truth's values are
   * not the model's own). Both only with a truth.
   *
   * @param modelErrorTruth the model errors the truth drew, {@code (nAssim − 1) × nx}, or null
   * @param parameterTruth the truth's model parameters in the model's order, or null
   */
  public static void write(org.vi4dvar.driver.output.OutputSink out, String prefix, FourDVarProblem p,
      double[] truth, double[] modelErrorTruth, double[] parameterTruth) throws IOException {
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
      if (modelErrorTruth != null && nAssim > 1) {
        out.writeString(prefix + DatasetFiles.MODEL_ERROR_TRUTH, grid(modelErrorTruth, nAssim - 1, nAssim - 1, nx));
      }
      if (parameterTruth != null && informative(p, parameterTruth)) {
        out.writeString(prefix + DatasetFiles.PARAMETERS_TRUTH, grid(parameterTruth, 1, 1, parameterTruth.length));
      }
    }
  }

  /** Whether the truth's parameters say anything a dataset without them would not: some are estimated or differ. */
  private static boolean informative(FourDVarProblem p, double[] parameterTruth) {
    if (p.control().nParameters() > 0) {
      return true;
    }
    for (int k = 0; k < parameterTruth.length; k++) {
      if (Double.compare(parameterTruth[k], p.model().parameterValue(k)) != 0) {
        return true;
      }
    }
    return false;
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
