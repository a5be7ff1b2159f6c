package org.vi4dvar.driver.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.io.DatasetReader;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.kernels.stats.ReferenceScore;

/**
 * A reference posterior read from a directory in the method layout of {@link OutputLayout} ({@code --reference
 * DIR}, key {@code reference}): a method directory of an earlier run (e.g. its {@code mcmc/}), or any directory
 * with {@code mean.csv} and {@code std.csv} ({@code t,x_0,…} with one row per state) and optionally
 * {@code samples.csv} ({@code sample,t,x_0,…}, long form; its first {@value #MAX_SAMPLES} complete trajectories
 * are read, as unweighted draws). Every defect — a missing file, another header, number of states or nx, a
 * field that is not a number, a std that is not &gt; 0 — is a {@link BadInputException} naming the file and
 * line (exit 2, one line), raised before Spark starts.
 */
public final class ReferenceDirectory {

  /** Reference trajectories read from samples.csv at most (the energy distance costs samples² × points). */
  public static final int MAX_SAMPLES = 1000;

  private ReferenceDirectory() {
  }

  /**
   * Reads DIR for a window of {@code nStates} states of {@code nx} points.
   *
   * @param option how the user named it, for messages ({@code --reference} or {@code config key 'reference'})
   */
  public static ReferenceScore.Trajectories read(Path dir, int nx, int nStates, String option) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(option + " '" + dir + "' is not a directory");
    }
    double[] mean = grid(dir.resolve(OutputLayout.MEAN), nx, nStates, option);
    double[] std = grid(dir.resolve(OutputLayout.STD), nx, nStates, option);
    for (int k = 0; k < std.length; k++) {
      if (!(std[k] > 0) || !Double.isFinite(std[k])) {
        throw new BadInputException(option + " " + dir.resolve(OutputLayout.STD) + ": line " + (k / nx + 2)
            + ", x_" + (k % nx) + ": a reference std must be finite and > 0, got " + std[k]);
      }
    }
    Path samples = dir.resolve(OutputLayout.SAMPLES);
    // optional, but once there (even as a broken symbolic link or a named pipe) it must be readable text
    double[] s = Files.exists(samples, LinkOption.NOFOLLOW_LINKS) ? samples(samples, nx, nStates, option) : null;
    return new ReferenceScore.Trajectories(nx, nStates, mean, std, s);
  }

  /**
   * Checks a file of the directory before opening it (a named pipe would block the reader): the dataset's checks
   * ({@link DatasetReader#checkReadable}), without its size cap (the reader stops after what it needs).
   */
  private static void check(Path f, String option) {
    try {
      DatasetReader.checkReadable(f, Long.MAX_VALUE);
    } catch (BadInputException e) {
      throw new BadInputException(option + " " + e.getMessage(), e);
    }
  }

  private static double[] grid(Path f, int nx, int nStates, String option) {
    if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInputException(option + " has no " + f.getFileName() + " (" + f + "): a reference directory "
          + "needs mean.csv and std.csv of a run's method directory");
    }
    check(f, option);
    String header = OutputLayout.header(OutputLayout.T, OutputLayout.X, nx);
    double[] out = new double[nx * nStates];
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String h = r.readLine();
      if (h == null || !h.strip().equals(header)) {
        throw new BadInputException(option + " " + f + ": line 1 must be the header of nx = " + nx + " points ("
            + shorten(header) + "), got '" + shorten(h == null ? "" : h.strip()) + "'");
      }
      for (int t = 0; t < nStates; t++) {
        String line = r.readLine();
        if (line == null) {
          throw new BadInputException(option + " " + f + ": " + t + " states, this run's window has " + nStates);
        }
        String[] fields = line.split(",", -1);
        if (fields.length != nx + 1) {
          throw new BadInputException(option + " " + f + ": line " + (t + 2) + " has " + fields.length
              + " fields, expected " + (nx + 1));
        }
        if (!fields[0].strip().equals(Integer.toString(t))) {
          throw new BadInputException(option + " " + f + ": line " + (t + 2) + " must be state t = " + t
              + ", got '" + fields[0].strip() + "'");
        }
        for (int i = 0; i < nx; i++) {
          out[t * nx + i] = number(fields[i + 1], f, t + 2, option);
        }
      }
      String extra;
      while ((extra = r.readLine()) != null) {
        if (!extra.isBlank()) {
          throw new BadInputException(option + " " + f + ": more than the " + nStates + " states of this run's "
              + "window");
        }
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new BadInputException(option + " " + f + ": not UTF-8 text (UTF-16, Latin-1 or binary?), expected the "
          + "CSV of a run's method directory", e);
    } catch (IOException e) {
      throw new BadInputException(option + " " + f + ": cannot be read (" + OutputDirectory.reason(e) + ")", e);
    }
    return out;
  }

  private static double[] samples(Path f, int nx, int nStates, String option) {
    check(f, option);
    String header = OutputLayout.header(OutputLayout.SAMPLE + "," + OutputLayout.T, OutputLayout.X, nx);
    int dim = nx * nStates;
    List<double[]> traj = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String h = r.readLine();
      if (h == null || !h.strip().equals(header)) {
        throw new BadInputException(option + " " + f + ": line 1 must be the header of nx = " + nx + " points ("
            + shorten(header) + "), got '" + shorten(h == null ? "" : h.strip()) + "'");
      }
      String line;
      int lineNo = 1;
      double[] cur = null;
      String curDraw = null;
      int t = 0;
      while ((line = r.readLine()) != null && traj.size() < MAX_SAMPLES) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(",", -1);
        if (fields.length != nx + 2) {
          throw new BadInputException(option + " " + f + ": line " + lineNo + " has " + fields.length
              + " fields, expected " + (nx + 2));
        }
        if (cur == null || !fields[0].equals(curDraw)) {
          if (cur != null) {
            throw new BadInputException(option + " " + f + ": line " + lineNo + ": sample " + curDraw + " has "
                + t + " states, this run's window has " + nStates);
          }
          cur = new double[dim];
          curDraw = fields[0];
          t = 0;
        }
        if (!fields[1].strip().equals(Integer.toString(t))) {
          throw new BadInputException(option + " " + f + ": line " + lineNo + " must be state t = " + t
              + " of sample " + curDraw + ", got '" + fields[1].strip() + "'");
        }
        for (int i = 0; i < nx; i++) {
          cur[t * nx + i] = number(fields[i + 2], f, lineNo, option);
        }
        t++;
        if (t == nStates) {
          traj.add(cur);
          cur = null;
        }
      }
      if (cur != null) {
        throw new BadInputException(option + " " + f + ": sample " + curDraw + " has " + t + " states, this "
            + "run's window has " + nStates);
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new BadInputException(option + " " + f + ": not UTF-8 text (UTF-16, Latin-1 or binary?), expected the "
          + "CSV of a run's method directory", e);
    } catch (IOException e) {
      throw new BadInputException(option + " " + f + ": cannot be read (" + OutputDirectory.reason(e) + ")", e);
    }
    double[] out = new double[traj.size() * dim];
    for (int s = 0; s < traj.size(); s++) {
      System.arraycopy(traj.get(s), 0, out, s * dim, dim);
    }
    return out;
  }

  private static double number(String field, Path f, int line, String option) {
    String s = field.strip();
    try {
      double v = Double.parseDouble(s);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new BadInputException(option + " " + f + ": line " + line + ": '" + shorten(s) + "' is not a finite "
        + "number");
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
