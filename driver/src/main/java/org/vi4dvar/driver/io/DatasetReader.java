package org.vi4dvar.driver.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.model.ModelSpec;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Reads and validates a dataset directory ({@link DatasetFiles}) against the configuration: {@code obs.csv} and
 * {@code obs_std.csv} are {@code window.states × ny} with empty fields where unobserved, {@code background.csv}
 * and {@code background_std.csv} are {@code 1 × model.nx}, the optional {@code truth.csv} is
 * {@code window.states × model.nx}, and with it the optional {@code model_error_truth.csv}
 * ({@code (window.assimilated − 1) × model.nx}) and {@code parameters_truth.csv} (one row, one column per model
 * parameter); comma-separated, no header.
 *
 * <p>Every defect is a one-line {@link BadInputException} naming the file, the row and the column (1-based)
 * and what was expected: a missing required file, an empty file, a header line, a wrong number of rows or
 * columns, a non-numeric field, NaN or infinity, an empty field where a value is required, a non-positive
 * standard deviation, an observation without standard deviation or the reverse, an observation in a forecast
 * row ({@code t >= window.assimilated}), no observation at all in the assimilation window. Numbers are parsed
 * strictly (decimal, optional exponent): {@code Double.toString} output reads back to the same double.
 */
public final class DatasetReader {

  /** Largest accepted file: the talk's files are a few KB. */
  static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

  private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE = Pattern.compile("[+-]?(?:nan|inf|infinity)");

  private DatasetReader() {
  }

  /**
   * Reads {@code dir} as the dataset of the configuration {@code s}.
   *
   * @throws BadInputException naming the file, row and column of the first defect
   */
  public static Dataset read(Path dir, ExperimentSettings s) {
    checkDirectory(dir);
    final int nx = s.model().nx();
    final int ny = s.ny();
    final int nStates = s.window().states();
    final int nAssim = s.window().assimilated();
    for (String f : new String[] {DatasetFiles.OBS, DatasetFiles.OBS_STD, DatasetFiles.BACKGROUND}) {
      checkFile(dir.resolve(f), true);
    }
    Path bStdFile = dir.resolve(DatasetFiles.BACKGROUND_STD);
    Path bCovFile = dir.resolve(DatasetFiles.BACKGROUND_COV);
    boolean diagonalB = checkFile(bStdFile, false);
    boolean hasCov = checkFile(bCovFile, false);
    if (diagonalB == hasCov) {
      throw new BadInputException("dataset '" + dir + "': " + (diagonalB ? "both " + DatasetFiles.BACKGROUND_STD
          + " and " + DatasetFiles.BACKGROUND_COV + " are present; give exactly one (std: diagonal B, cov: full B)"
          : "neither " + DatasetFiles.BACKGROUND_STD + " nor " + DatasetFiles.BACKGROUND_COV + " is present; give "
          + "exactly one (std: 1 × nx, diagonal B; cov: nx × nx, full B)"));
    }
    String statesWhy = "window.states = " + nStates;
    String nyWhy = s.obs().pooling() == 1 ? "model.nx = " + nx
        : "model.nx / obs.pooling = " + nx + " / " + s.obs().pooling();
    String nxWhy = "model.nx = " + nx;
    Path obsFile = dir.resolve(DatasetFiles.OBS);
    Path stdFile = dir.resolve(DatasetFiles.OBS_STD);
    double[] y = readGrid(obsFile, nStates, statesWhy, ny, nyWhy, false);
    double[] ystd = readGrid(stdFile, nStates, statesWhy, ny, nyWhy, false);
    Path bFile = dir.resolve(DatasetFiles.BACKGROUND);
    double[] xb = readGrid(bFile, 1, "one row: the background of x0", nx, nxWhy, true);
    double[] bStd = null;
    org.vi4dvar.kernels.var.DenseTransform bCov = null;
    if (diagonalB) {
      bStd = readGrid(bStdFile, 1, "one row: the background std of x0", nx, nxWhy, true);
      for (int i = 0; i < nx; i++) {
        checkStd(bStdFile, 1, i + 1, bStd[i]);
      }
    } else {
      double[] cov = readGrid(bCovFile, nx, "nx × nx: the background-error covariance B, " + nxWhy, nx, nxWhy,
          true);
      for (int i = 0; i < nx; i++) {
        if (!(cov[i * nx + i] > 0)) {
          throw new BadInputException(at(bCovFile, i + 1, i + 1) + ": a variance must be > 0, got "
              + cov[i * nx + i]);
        }
      }
      try {
        bCov = org.vi4dvar.kernels.var.DenseTransform.fromCovariance(xb, cov);
      } catch (IllegalArgumentException e) {
        // not symmetric (relative 1e-12), not positive definite (the first failing pivot), or out of range
        throw new BadInputException(bCovFile + ": " + e.getMessage(), e);
      }
    }

    // forecast rows must be empty in both files
    for (int t = nAssim; t < nStates; t++) {
      for (int j = 0; j < ny; j++) {
        int k = t * ny + j;
        if (!Double.isNaN(y[k]) || !Double.isNaN(ystd[k])) {
          Path f = !Double.isNaN(y[k]) ? obsFile : stdFile;
          throw new BadInputException(at(f, t + 1, j + 1) + ": a value in forecast state t = " + t
              + " (window.assimilated = " + nAssim + ": rows " + (nAssim + 1) + ".." + nStates
              + " must be empty); remove it or raise window.assimilated");
        }
      }
    }
    int count = 0;
    for (int t = 0; t < nAssim; t++) {
      for (int j = 0; j < ny; j++) {
        int k = t * ny + j;
        boolean hasY = !Double.isNaN(y[k]);
        boolean hasStd = !Double.isNaN(ystd[k]);
        if (hasY && !hasStd) {
          throw new BadInputException(at(obsFile, t + 1, j + 1) + " has an observation (" + y[k] + ") but "
              + at(stdFile, t + 1, j + 1) + " is empty: every observation needs a standard deviation");
        }
        if (!hasY && hasStd) {
          throw new BadInputException(at(stdFile, t + 1, j + 1) + " has a standard deviation (" + ystd[k]
              + ") but " + at(obsFile, t + 1, j + 1) + " is empty: leave both empty where not observed");
        }
        if (hasStd) {
          checkStd(stdFile, t + 1, j + 1, ystd[k]);
        }
        if (hasY) {
          count++;
        }
      }
    }
    if (count == 0) {
      throw new BadInputException(obsFile + ": no observation in the assimilation window (rows 1.." + nAssim
          + ", window.assimilated = " + nAssim + "); 4D-Var needs at least one");
    }

    double[] truth = null;
    Path truthFile = dir.resolve(DatasetFiles.TRUTH);
    if (checkFile(truthFile, false)) {
      // optional, but once named (even as a broken symbolic link) every row is read and checked
      truth = readGrid(truthFile, nStates, statesWhy, nx, nxWhy, true);
    }

    double[] yA = new double[nAssim * ny];
    double[] sA = new double[nAssim * ny];
    System.arraycopy(y, 0, yA, 0, yA.length);
    System.arraycopy(ystd, 0, sA, 0, sA.length);
    // model errors: the dataset's file, else the configuration's model.error-std
    Path qFile = dir.resolve(DatasetFiles.MODEL_ERROR_STD);
    double[] q = null;
    if (checkFile(qFile, false)) {
      if (nAssim < 2) {
        throw new BadInputException(qFile + ": window.assimilated = " + nAssim + " has no model step with error "
            + "(the file needs window.assimilated − 1 rows); remove the file or raise window.assimilated");
      }
      q = readGrid(qFile, nAssim - 1, "window.assimilated − 1 = " + (nAssim - 1) + ": one row per model step "
          + "t = 0 .. " + (nAssim - 2), nx, nxWhy, true);
      for (int k = 0; k < q.length; k++) {
        if (!(q[k] >= 0) || !(q[k] * q[k] < Double.POSITIVE_INFINITY)
            || (q[k] > 0 && !(1.0 / (q[k] * q[k]) > 0 && Double.isFinite(1.0 / (q[k] * q[k]))))) {
          throw new BadInputException(at(qFile, k / nx + 1, k % nx + 1) + ": a model-error std must be finite and "
              + ">= 0 (0 = no error) with 1/σ² a finite positive double, got " + q[k]);
        }
      }
    } else if (s.model().hasModelError() && nAssim > 1) {
      q = FourDVarProblem.modelErrorStd(nAssim, nx, s.model().errorStdArray());
    }
    FourDVarProblem p;
    try {
      ModelSpec spec = ModelSpec.lorenz96(nx, s.model().forcing(), s.model().dt());
      ObservationOperator op = new ObservationOperator(nx, s.obs().pooling(), s.obs().nonlinearity());
      p = bCov == null ? new FourDVarProblem(spec, op, nStates, nAssim, xb, bStd, yA, sA)
          : new FourDVarProblem(spec, op, nStates, nAssim, bCov, yA, sA);
    } catch (IllegalArgumentException e) {
      // every condition the kernel checks was checked above; this is a safety net with a clean message
      throw new BadInputException("dataset '" + dir + "': " + e.getMessage(), e);
    }
    checkCostIsFinite(p, truth, dir);
    checkPriorDraws(p, (diagonalB ? bStdFile : bCovFile).toString(), diagonalB ? "background standard deviations"
        : "background variances");
    if (q != null) {
      try {
        p = p.withModelError(q);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(qFile + ": " + e.getMessage(), e);
      }
      checkPriorDraws(p, p.nx(), p.control().parameterOffset(), Files.exists(qFile, LinkOption.NOFOLLOW_LINKS)
          ? qFile.toString() : "config key 'model.error-std'", "model-error standard deviations");
    }
    double[][] controlTruth = readControlTruth(dir, s, truth, p.model().parameterNames());
    Dataset d = new Dataset(checkParameterPrior(s, s.model().withEstimatedParameters(p)), truth, controlTruth[0],
        controlTruth[1], dir.toString());
    if (controlTruth[0] != null || controlTruth[1] != null) {
      double j = new FourDVarCost(d.problem()).cost(d.inputs(s).truthControl());
      if (!Double.isFinite(j)) {
        throw new BadInputException(dir.resolve(controlTruth[1] != null ? DatasetFiles.PARAMETERS_TRUTH
            : DatasetFiles.MODEL_ERROR_TRUTH) + ": the 4D-Var cost at the true control (truth.csv's first row, "
            + "the true model errors and parameters) is not finite (" + j + "): a value far outside the model's range");
      }
    }
    return d;
  }

  /**
   * The optional truth of the control beyond x0: {@code model_error_truth.csv} ({@code (assimilated − 1) × nx}) and
   * {@code parameters_truth.csv} ({@code 1 × the model's parameters}), each null when absent; both need truth.csv.
   */
  private static double[][] readControlTruth(Path dir, ExperimentSettings s, double[] truth, String[] parameters) {
    final int nx = s.model().nx();
    final int nAssim = s.window().assimilated();
    Path eFile = dir.resolve(DatasetFiles.MODEL_ERROR_TRUTH);
    Path pFile = dir.resolve(DatasetFiles.PARAMETERS_TRUTH);
    double[] eta = null;
    double[] par = null;
    if (checkFile(eFile, false)) {
      if (truth == null) {
        throw new BadInputException(eFile + ": the true model errors need the true trajectory, " + DatasetFiles.TRUTH
            + ", which is absent; add it or remove this file");
      }
      if (nAssim < 2) {
        throw new BadInputException(eFile + ": window.assimilated = " + nAssim + " has no model step with error "
            + "(the file needs window.assimilated − 1 rows); remove the file or raise window.assimilated");
      }
      eta = readGrid(eFile, nAssim - 1, "window.assimilated − 1 = " + (nAssim - 1) + ": η_t of model step t = 0 .. "
          + (nAssim - 2), nx, "model.nx = " + nx, true);
    }
    if (checkFile(pFile, false)) {
      if (truth == null) {
        throw new BadInputException(pFile + ": the true model parameters need the true trajectory, "
            + DatasetFiles.TRUTH + ", which is absent; add it or remove this file");
      }
      par = readGrid(pFile, 1, "one row: the truth's model parameters", parameters.length, "the model's parameters: "
          + String.join(", ", parameters), true);
    }
    return new double[][] {eta, par};
  }

  /**
   * The prior of the estimated parameters ({@code model.forcing-prior}) at ± its std must keep the trajectory
   * finite too (a forcing of 8 ± 1e100 made every ABC trial diverge and passed validation).
   */
  static FourDVarProblem checkParameterPrior(ExperimentSettings s, FourDVarProblem p) {
    checkPriorDraws(p, p.control().parameterOffset(), p.controlDimension(), "config key 'model.forcing-prior' = ["
        + s.model().forcingPriorMean() + ", " + s.model().forcingPriorStd() + "]", "prior standard deviations of "
        + "the estimated parameters");
    return p;
  }

  /** Refuses a data directory that does not exist, is not a directory, or is a broken symbolic link. */
  private static void checkDirectory(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInputException("data directory '" + dir + "' does not exist");
    }
    String link = brokenLink(dir);
    if (link != null) {
      throw new BadInputException("data directory '" + dir + "' " + link);
    }
    if (!Files.isDirectory(dir)) {
      throw new BadInputException("data directory '" + dir + "' is not a directory");
    }
  }

  /**
   * Checks a dataset file before anything opens it (a named pipe would block the reader forever).
   *
   * @param required whether a missing file is an error
   * @return whether the file is there (false only for a missing optional file: absent means no entry at all; a
   *     dangling or looping symbolic link is an error)
   * @throws BadInputException for a missing required file, a broken symbolic link, a directory, a named pipe,
   *     device or socket, or a file that cannot be read
   */
  static boolean checkFile(Path file, boolean required) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (!required) {
        return false;
      }
      throw new BadInputException(file + ": missing required file (a dataset directory holds obs.csv, "
          + "obs_std.csv, background.csv, background_std.csv or background_cov.csv, and optionally "
          + "model_error_std.csv, truth.csv, model_error_truth.csv and parameters_truth.csv)");
    }
    checkReadable(file, MAX_FILE_BYTES);
    return true;
  }

  /**
   * Checks an input file that exists (as a directory entry) before anything opens it: the checks of
   * {@link #checkFile} but the one for a missing file, for the other inputs read as text (a reference directory's
   * CSV files).
   *
   * @param maxBytes the largest size accepted
   * @throws BadInputException naming the file: a broken symbolic link, a directory, a named pipe, device or
   *     socket, a file larger than {@code maxBytes}, or one that cannot be read
   */
  public static void checkReadable(Path file, long maxBytes) {
    String link = brokenLink(file);
    if (link != null) {
      throw new BadInputException(file + ": " + link);
    }
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot be read (" + OutputDirectory.reason(e) + ")", e);
    }
    if (a.isDirectory()) {
      throw new BadInputException(file + ": is a directory, expected a CSV file");
    }
    if (!a.isRegularFile()) {
      throw new BadInputException(file + ": is not a regular file (a named pipe, device or socket), expected a "
          + "CSV file");
    }
    if (a.size() > maxBytes) {
      throw new BadInputException(file + ": " + a.size() + " bytes, more than a dataset file can be ("
          + maxBytes + ")");
    }
    if (!Files.isReadable(file)) {
      throw new BadInputException(file + ": not readable (permission denied)");
    }
  }

  /** Null if {@code p} is not a symbolic link or leads to something, else what is wrong with it. */
  private static String brokenLink(Path p) {
    if (!Files.isSymbolicLink(p)) {
      return null;
    }
    try {
      p.toRealPath();
      return null;
    } catch (IOException e) {
      String to;
      try {
        to = " to '" + Files.readSymbolicLink(p) + "'";
      } catch (IOException | RuntimeException e2) {
        to = "";
      }
      String why = OutputDirectory.reason(e);
      if (why.toLowerCase(Locale.ROOT).contains("too many levels")) {
        return "is a symbolic link" + to + " that loops (" + why + ")";
      }
      if (e instanceof java.nio.file.NoSuchFileException) {
        return "is a symbolic link" + to + ", which does not exist";
      }
      return "is a symbolic link" + to + " that cannot be followed (" + why + ")";
    }
  }

  /**
   * Data-dependent validity of the prior (issue 10 item 12): at the points {@code x_b ± σ} (every component +σ,
   * every component −σ, and the two alternating sign patterns), at the scale of a typical prior draw, the model
   * trajectory and the 4D-Var cost must be finite. Otherwise every prior trial of ABC and every perturbed
   * member diverges, and the run would fail long after starting.
   *
   * @param culprit the file or configuration key that holds the standard deviations
   * @param what what it holds, for the message
   */
  public static void checkPriorDraws(FourDVarProblem p, String culprit, String what) {
    checkPriorDraws(p, 0, p.nx(), culprit, what);
  }

  /**
   * As {@link #checkPriorDraws(FourDVarProblem, String, String)} over the first {@code to} components of the
   * control {@code c = (x0, η, parameters)}, each at its prior mean ± its prior std (the rest at their means),
   * blaming the components {@code [from, to)}: checked block by block as the control grows (x0, then the model
   * errors η, then the estimated parameters), so that the block that makes the prior diverge is the one named.
   */
  public static void checkPriorDraws(FourDVarProblem p, int from, int to, String culprit, String what) {
    if (to <= from) {
      return;
    }
    final int nx = p.nx();
    double[] center = p.control().centerVector();
    double[] sd = new double[to];
    for (int i = 0; i < to; i++) {
      sd[i] = i < nx ? p.bStd(i) : p.control().scale(i);
    }
    FourDVarCost cost = new FourDVarCost(p);
    double[] x = center.clone(); // the whole control: what is not perturbed at its mean
    String[] names = {"every component +σ", "every component −σ", "alternating +σ, −σ",
        "alternating −σ, +σ"};
    for (int pattern = 0; pattern < 4; pattern++) {
      for (int i = 0; i < to; i++) {
        double sign = pattern == 0 ? 1 : pattern == 1 ? -1 : ((i + pattern) % 2 == 0 ? 1 : -1);
        x[i] = center[i] + sign * sd[i];
      }
      double j = cost.cost(x);
      if (!Double.isFinite(j)) {
        int worst = from;
        for (int i = from + 1; i < to; i++) {
          if (sd[i] > sd[worst]) {
            worst = i;
          }
        }
        throw new BadInputException(culprit + ": the 4D-Var cost at the prior point " + (from == 0 ? "x_b ± σ"
            : "c_b ± σ") + " (" + names[pattern] + ") is not finite: the " + what + " are far outside the "
            + "model's range (largest " + sd[worst] + " at " + where(p, worst) + "); every prior draw would "
            + "diverge");
      }
    }
  }

  /** Where control component {@code i} is, for a message: its column of x0, row and column of η, or parameter. */
  private static String where(FourDVarProblem p, int i) {
    org.vi4dvar.kernels.var.ControlSpace c = p.control();
    if (i < p.nx()) {
      return "column " + (i + 1);
    }
    if (i < c.parameterOffset()) {
      int k = i - c.etaOffset();
      return "row " + (c.etaStep(k) + 1) + ", column " + (c.etaComponent(k) + 1);
    }
    return "parameter " + p.estimatedParameters()[i - c.parameterOffset()];
  }

  /**
   * A standard deviation must be {@code > 0} and its precision {@code 1/σ²} a positive finite double, else the
   * cost would hold {@code ∞ · 0} or silently drop the point.
   */
  private static void checkStd(Path file, int row, int col, double std) {
    if (!(std > 0)) {
      throw new BadInputException(at(file, row, col) + ": a standard deviation must be > 0, got " + std);
    }
    double prec = 1.0 / (std * std);
    if (!(prec > 0) || !Double.isFinite(prec)) {
      throw new BadInputException(at(file, row, col) + ": standard deviation " + std + " is out of range (1/σ² "
          + "must be a finite positive double: roughly 1e-150 < σ < 1e150)");
    }
  }

  /**
   * Values can be well-formed yet far outside the model's range (a background of 1e7 makes the Lorenz96
   * trajectory overflow within a few steps): then every estimator would return NaN. The model trajectory of the
   * background (and of the truth's first state) over the whole window and the cost at the background must be
   * finite; otherwise the file that holds the culprit is named.
   */
  private static void checkCostIsFinite(FourDVarProblem p, double[] truth, Path dir) {
    final int nx = p.nx();
    final int nStates = p.nStates();
    double[] traj = new double[nStates * nx];
    checkTrajectory(p, p.xb(), traj, dir.resolve(DatasetFiles.BACKGROUND), "the background");
    if (truth != null) {
      Path truthFile = dir.resolve(DatasetFiles.TRUTH);
      checkTrajectory(p, java.util.Arrays.copyOf(truth, nx), traj, truthFile, "the truth's first state (row 1)");
      // every other row is a state too: one model step from it must stay finite (a value far outside the model's
      // range, e.g. 1e200, overflows there; its scores would be infinite)
      org.vi4dvar.kernels.model.Model m = p.model().newModel();
      double[] x = new double[nx];
      double[] step = new double[2 * nx];
      for (int t = 1; t < nStates; t++) {
        System.arraycopy(truth, t * nx, x, 0, nx);
        m.trajectory(x, 2, step);
        for (int i = nx; i < 2 * nx; i++) {
          if (!Double.isFinite(step[i])) {
            double max = 0;
            int col = 0;
            for (int k = 0; k < nx; k++) {
              if (Math.abs(x[k]) > max) {
                max = Math.abs(x[k]);
                col = k;
              }
            }
            throw new BadInputException(at(truthFile, t + 1, col + 1) + ": one model step from this row "
                + "(state t = " + t + ", largest |x| = " + max + ") is not finite; a value is far outside the "
                + "model's range");
          }
        }
      }
    }
    FourDVarCost cost = new FourDVarCost(p);
    double j = cost.cost(p.xb());
    if (Double.isFinite(j)) {
      return;
    }
    // the trajectory is finite, so an observation misfit overflows: name the first one
    double[] x = cost.lastTrajectory();
    double[] y = p.y();
    double[] ystd = p.obsStd();
    final int ny = p.ny();
    for (int t = 0; t < p.nAssim(); t++) {
      for (int jj = 0; jj < ny; jj++) {
        int k = t * ny + jj;
        if (Double.isNaN(y[k])) {
          continue;
        }
        double d = p.obs().nonlinearity().value(p.obs().pooled(x, t * nx, jj)) - y[k];
        if (!Double.isFinite(d * d / (ystd[k] * ystd[k]))) {
          throw new BadInputException(at(dir.resolve(DatasetFiles.OBS), t + 1, jj + 1) + ": the misfit of "
              + "observation " + y[k] + " (std " + ystd[k] + ") at the background overflows; the value is far "
              + "outside the range of the observed quantity");
        }
      }
    }
    throw new BadInputException("dataset '" + dir + "': the 4D-Var cost at the background is not finite (J = " + j
        + "); values are far outside the model's range");
  }

  private static void checkTrajectory(FourDVarProblem p, double[] x0, double[] traj, Path file, String what) {
    final int nx = p.nx();
    p.model().newModel().trajectory(x0, p.nStates(), traj);
    for (int t = 0; t < p.nStates(); t++) {
      for (int i = 0; i < nx; i++) {
        if (!Double.isFinite(traj[t * nx + i])) {
          double max = 0;
          for (double v : x0) {
            max = Math.max(max, Math.abs(v));
          }
          throw new BadInputException(file + ": the model trajectory from " + what + " is not finite at state t = "
              + t + " (largest |x0| = " + max + "); a value is far outside the model's range");
        }
      }
    }
  }

  /**
   * Reads a {@code rows × cols} grid, row-major; empty fields are NaN (or an error when {@code required}).
   */
  static double[] readGrid(Path file, int rows, String rowsWhy, int cols, String colsWhy, boolean required) {
    checkFile(file, true);
    List<String> lines = readLines(file, rows, rowsWhy, cols);
    double[] out = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      String line = lines.get(r);
      String[] fields = line.split(",", -1);
      if (fields.length != cols) {
        String hint = line.isBlank() && cols > 1 ? " (the row is blank; an unobserved row is " + (cols - 1)
            + " commas)" : "";
        throw new BadInputException(file + " row " + (r + 1) + ": " + fields.length + " column"
            + (fields.length == 1 ? "" : "s") + ", expected " + cols + " (" + colsWhy + ")" + hint);
      }
      for (int c = 0; c < cols; c++) {
        String f = fields[c].strip();
        if (f.isEmpty()) {
          if (required) {
            throw new BadInputException(at(file, r + 1, c + 1) + ": empty field, a number is required");
          }
          out[r * cols + c] = Double.NaN;
          continue;
        }
        out[r * cols + c] = parse(f, file, r + 1, c + 1);
      }
    }
    return out;
  }

  private static double parse(String f, Path file, int row, int col) {
    if (NUMBER.matcher(f).matches()) {
      double v = Double.parseDouble(f);
      if (!Double.isFinite(v)) {
        throw new BadInputException(at(file, row, col) + ": '" + show(f) + "' overflows a double (must be "
            + "finite)");
      }
      return v;
    }
    if (NON_FINITE.matcher(f.toLowerCase(Locale.ROOT)).matches()) {
      throw new BadInputException(at(file, row, col) + ": '" + show(f) + "' is not a finite number"
          + " (leave the field empty where there is no value)");
    }
    throw new BadInputException(at(file, row, col) + ": '" + show(f) + "' is not a number");
  }

  /**
   * The first {@code rows} lines; checks for an empty file, a header line, too few or too many rows, and for what
   * is not UTF-8 text (a UTF-16 or UTF-32 byte-order mark, NUL bytes — UTF-16 without a mark, or binary — or an
   * invalid UTF-8 sequence). A UTF-8 byte-order mark is skipped. Blank lines at the end are ignored; a blank line
   * before the last row is an error naming it (unless rows have one field, where a blank line is an empty field).
   */
  private static List<String> readLines(Path file, int rows, String rowsWhy, int cols) {
    List<String> lines = new ArrayList<>(rows);
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    int n = 0;
    try (TextCheck in = new TextCheck(Files.newInputStream(file));
        BufferedReader r = new BufferedReader(new InputStreamReader(in, dec))) {
      String bom = in.byteOrderMark();
      if (bom != null) {
        throw new BadInputException(file + ": starts with a " + bom + " byte-order mark: " + bom + " text, expected "
            + "UTF-8 text (save it as UTF-8 or plain ASCII)");
      }
      int lastNonBlank = 0;
      int blankSince = 0; // first blank line after the last non-blank one, or 0
      String line;
      while ((line = r.readLine()) != null) {
        n++;
        if (n == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (n == 1) {
          checkHeader(file, line);
        }
        if (line.isBlank() && cols > 1) {
          if (blankSince == 0) {
            blankSince = n;
          }
        } else {
          if (blankSince > 0 && cols > 1) {
            throw new BadInputException(file + " row " + blankSince + ": a blank line before row " + n + " (every "
                + "row needs " + cols + " fields; an unobserved row is " + (cols - 1) + " commas; blank lines are "
                + "only allowed at the end of the file)");
          }
          blankSince = 0;
          if (!line.isBlank()) {
            if (n > rows) {
              throw new BadInputException(file + " row " + n + ": more than " + rows + " row"
                  + (rows == 1 ? "" : "s") + ", expected " + rows + " (" + rowsWhy + ")");
            }
          }
          lastNonBlank = line.isBlank() ? lastNonBlank : n;
        }
        if (n <= rows) {
          lines.add(line);
        }
      }
      if (lastNonBlank == 0 && (cols > 1 || n == 0)) {
        throw new BadInputException(file + ": the file is empty, expected " + rows + " row"
            + (rows == 1 ? "" : "s") + " of comma-separated numbers");
      }
      int have = cols > 1 ? lastNonBlank : Math.min(n, rows);
      if (have < rows) {
        throw new BadInputException(file + ": " + have + " row" + (have == 1 ? "" : "s") + ", expected " + rows
            + " (" + rowsWhy + ")" + (cols == 1 ? "; with one field per row an unobserved row is an empty line"
            : ""));
      }
    } catch (TextCheck.NulByte e) {
      throw new BadInputException(file + ": contains a NUL byte (byte " + e.offset + "): UTF-16 or binary data, "
          + "expected UTF-8 text", e);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new BadInputException(file + invalidUtf8(file) + ": not UTF-8 text (an invalid byte sequence; "
          + "Latin-1 or another encoding?), expected UTF-8 text", e);
    } catch (AccessDeniedException e) {
      throw new BadInputException(file + ": not readable (permission denied)", e);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot be read (" + OutputDirectory.reason(e) + ")", e);
    }
    return lines;
  }

  /** {@code " row R (byte B)"} of the first invalid UTF-8 sequence of {@code file}, or "" if none is found. */
  private static String invalidUtf8(Path file) {
    try {
      byte[] b = Files.readAllBytes(file);
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
      java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
      CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      while (true) {
        java.nio.charset.CoderResult cr = dec.decode(in, out, true);
        if (cr.isError()) {
          int at = in.position();
          int row = 1;
          for (int i = 0; i < at; i++) {
            if (b[i] == '\n') {
              row++;
            }
          }
          return " row " + row + " (byte " + at + ")";
        }
        if (cr.isUnderflow()) {
          return "";
        }
        out.clear();
      }
    } catch (IOException | OutOfMemoryError e) {
      return "";
    }
  }

  /**
   * The bytes of a dataset file as they are read: reports a UTF-16/UTF-32 byte-order mark at the start and stops
   * at the first NUL byte (text in UTF-16 without a mark has one in every other byte).
   */
  private static final class TextCheck extends java.io.FilterInputStream {

    /** A NUL byte at {@code offset} (0-based). */
    static final class NulByte extends IOException {
      private static final long serialVersionUID = 1L;
      final long offset;

      NulByte(long offset) {
        super("NUL byte at " + offset);
        this.offset = offset;
      }
    }

    private final byte[] head = new byte[4];
    private int headLength;
    private long offset;

    TextCheck(java.io.InputStream in) throws IOException {
      super(new java.io.PushbackInputStream(in, 4));
      java.io.PushbackInputStream pb = (java.io.PushbackInputStream) this.in;
      headLength = Math.max(0, pb.readNBytes(head, 0, 4));
      pb.unread(head, 0, headLength);
    }

    /** {@code UTF-16}/{@code UTF-32} if the file starts with such a byte-order mark, else null. */
    String byteOrderMark() {
      int b0 = headLength > 0 ? head[0] & 0xff : -1;
      int b1 = headLength > 1 ? head[1] & 0xff : -1;
      int b2 = headLength > 2 ? head[2] & 0xff : -1;
      int b3 = headLength > 3 ? head[3] & 0xff : -1;
      if ((b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) || (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0)) {
        return "UTF-32";
      }
      if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
        return "UTF-16";
      }
      return null;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b == 0) {
        throw new NulByte(offset);
      }
      if (b >= 0) {
        offset++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int k = in.read(b, off, len);
      for (int i = 0; i < k; i++) {
        if (b[off + i] == 0) {
          throw new NulByte(offset + i);
        }
      }
      offset += Math.max(k, 0);
      return k;
    }
  }

  /**
   * A first line whose non-empty fields are mostly words (at least half not numbers, one with a letter) is a
   * header; a single bad field among numbers is reported as a non-numeric field with its column instead.
   */
  private static void checkHeader(Path file, String line) {
    int fields = 0;
    int words = 0;
    String first = null;
    for (String f : line.split(",", -1)) {
      String t = f.strip();
      if (t.isEmpty()) {
        continue;
      }
      fields++;
      if (NUMBER.matcher(t).matches() || NON_FINITE.matcher(t.toLowerCase(Locale.ROOT)).matches()) {
        continue;
      }
      for (int i = 0; i < t.length(); i++) {
        if (Character.isLetter(t.charAt(i))) {
          words++;
          first = first == null ? t : first;
          break;
        }
      }
    }
    if (words > 0 && 2 * words >= fields) {
      throw new BadInputException(file + " row 1: looks like a header line ('" + show(first)
          + "'); dataset files have no header, only numbers");
    }
  }

  /** {@code file row R, column C}. */
  static String at(Path file, int row, int col) {
    return file + " row " + row + ", column " + col;
  }

  /** A field for a message: at most 30 characters, control characters as '?'. */
  private static String show(String f) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < f.length() && i < 30; i++) {
      char ch = f.charAt(i);
      b.append(Character.isISOControl(ch) ? '?' : ch);
    }
    if (f.length() > 30) {
      b.append("...");
    }
    return b.toString();
  }
}
