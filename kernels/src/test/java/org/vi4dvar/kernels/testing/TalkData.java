package org.vi4dvar.kernels.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vi4dvar.kernels.model.ModelSpec;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * The talk's dataset ({@code conf/data/l96-talk/} of this repository) as a {@link Twin}, for kernel tests.
 * A minimal reader: the driver's validating reader is the real one.
 */
public final class TalkData {

  private TalkData() {
  }

  /** Locates {@code conf/data/l96-talk} from the module directory or the repository root. */
  public static Path dir() {
    for (String p : new String[] {"../conf/data/l96-talk", "conf/data/l96-talk"}) {
      Path d = Path.of(p);
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    throw new IllegalStateException("conf/data/l96-talk not found from " + Path.of("").toAbsolutePath());
  }

  /** Loads the talk's dataset: nx 16, F 8, dt 0.1, 16 states, 12 assimilated, y = x². */
  public static Twin load() {
    Path d = dir();
    double[][] y = read(d.resolve("obs.csv"));
    double[][] s = read(d.resolve("obs_std.csv"));
    double[] xb = read(d.resolve("background.csv"))[0];
    double[] bs = read(d.resolve("background_std.csv"))[0];
    double[][] tr = read(d.resolve("truth.csv"));
    int nx = xb.length;
    int nStates = tr.length;
    int nAssim = 12;
    double[] yy = new double[nAssim * nx];
    double[] ss = new double[nAssim * nx];
    double[] truth = new double[nStates * nx];
    for (int t = 0; t < nStates; t++) {
      for (int i = 0; i < nx; i++) {
        truth[t * nx + i] = tr[t][i];
        if (t < nAssim) {
          yy[t * nx + i] = y[t][i];
          ss[t * nx + i] = s[t][i];
        }
      }
    }
    FourDVarProblem p = new FourDVarProblem(ModelSpec.lorenz96(nx, 8.0, 0.1),
        new ObservationOperator(nx, 1, Nonlinearity.SQUARE), nStates, nAssim, xb, bs, yy, ss);
    return new Twin(p, truth);
  }

  private static double[][] read(Path f) {
    try {
      List<String> lines = Files.readAllLines(f);
      double[][] a = new double[lines.size()][];
      for (int r = 0; r < a.length; r++) {
        String[] parts = lines.get(r).split(",", -1);
        a[r] = new double[parts.length];
        for (int c = 0; c < parts.length; c++) {
          a[r][c] = parts[c].isBlank() ? Double.NaN : Double.parseDouble(parts[c].trim());
        }
      }
      return a;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
