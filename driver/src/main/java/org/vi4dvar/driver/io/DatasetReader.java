package org.vi4dvar.driver.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code window.states × model.nx}; comma-separated, no header.
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
    if (!Files.exists(dir)) {
      throw new BadInputException("data directory '" + dir + "' does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new BadInputException("data directory '" + dir + "' is not a directory");
    }
    final int nx = s.model().nx();
    final int ny = s.ny();
    final int nStates = s.window().states();
    final int nAssim = s.window().assimilated();
    for (String f : new String[] {DatasetFiles.OBS, DatasetFiles.OBS_STD, DatasetFiles.BACKGROUND,
        DatasetFiles.BACKGROUND_STD}) {
      if (!Files.exists(dir.resolve(f))) {
        throw new BadInputException(dir.resolve(f) + ": missing required file (a dataset directory holds "
            + "obs.csv, obs_std.csv, background.csv, background_std.csv and optionally truth.csv)");
      }
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
    Path bStdFile = dir.resolve(DatasetFiles.BACKGROUND_STD);
    double[] xb = readGrid(bFile, 1, "one row: the background of x0", nx, nxWhy, true);
    double[] bStd = readGrid(bStdFile, 1, "one row: the background std of x0", nx, nxWhy, true);
    for (int i = 0; i < nx; i++) {
      checkStd(bStdFile, 1, i + 1, bStd[i]);
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
    if (Files.exists(truthFile)) {
      truth = readGrid(truthFile, nStates, statesWhy, nx, nxWhy, true);
    }

    double[] yA = new double[nAssim * ny];
    double[] sA = new double[nAssim * ny];
    System.arraycopy(y, 0, yA, 0, yA.length);
    System.arraycopy(ystd, 0, sA, 0, sA.length);
    FourDVarProblem p;
    try {
      p = new FourDVarProblem(ModelSpec.lorenz96(nx, s.model().forcing(), s.model().dt()),
          new ObservationOperator(nx, s.obs().pooling(), s.obs().nonlinearity()), nStates, nAssim, xb, bStd, yA,
          sA);
    } catch (IllegalArgumentException e) {
      // every condition the kernel checks was checked above; this is a safety net with a clean message
      throw new BadInputException("dataset '" + dir + "': " + e.getMessage(), e);
    }
    checkCostIsFinite(p, truth, dir);
    return new Dataset(p, truth, dir.toString());
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
      checkTrajectory(p, java.util.Arrays.copyOf(truth, nx), traj, dir.resolve(DatasetFiles.TRUTH),
          "the truth's first state (row 1)");
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
    if (Files.isDirectory(file)) {
      throw new BadInputException(file + ": is a directory, expected a CSV file");
    }
    List<String> lines = readLines(file, rows, rowsWhy);
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
   * The first {@code rows} lines; checks for an empty file, a header line, too few or too many rows (blank
   * lines at the end are ignored).
   */
  private static List<String> readLines(Path file, int rows, String rowsWhy) {
    List<String> lines = new ArrayList<>(rows);
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new BadInputException(file + ": " + Files.size(file) + " bytes, more than a dataset file can be ("
            + MAX_FILE_BYTES + ")");
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), dec))) {
        int n = 0;
        int lastNonBlank = 0;
        String line;
        while ((line = in.readLine()) != null) {
          n++;
          if (n == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
          }
          if (n == 1) {
            checkHeader(file, line);
          }
          if (!line.isBlank()) {
            if (n > rows) {
              throw new BadInputException(file + " row " + n + ": more than " + rows + " row"
                  + (rows == 1 ? "" : "s") + ", expected " + rows + " (" + rowsWhy + ")");
            }
            lastNonBlank = n;
          }
          if (n <= rows) {
            lines.add(line);
          }
        }
        if (lastNonBlank == 0) {
          throw new BadInputException(file + ": the file is empty, expected " + rows + " row"
              + (rows == 1 ? "" : "s") + " of comma-separated numbers");
        }
        if (lastNonBlank < rows) {
          throw new BadInputException(file + ": " + lastNonBlank + " row" + (lastNonBlank == 1 ? "" : "s")
              + ", expected " + rows + " (" + rowsWhy + ")");
        }
      }
    } catch (AccessDeniedException e) {
      throw new BadInputException(file + ": not readable (permission denied)", e);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot be read (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")", e);
    }
    return lines;
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
