package org.vi4dvar.driver.io.netcdf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of a run's {@code DIR/posterior.nc}: one CF-1.8 NetCDF-3 file (64-bit offset) with the data, and
 * per method the posterior statistics and sampled trajectories, the effective configuration and provenance as
 * global attributes. The caller fills a {@link Run} and one {@link Method} per estimator; {@link #write} streams
 * them (the trajectory samples from an iterator of chunks, never whole).
 *
 * <p>Dimensions: {@code estimator} (the methods; not named "method", which xarray's {@code sel(method=...)} takes
 * for its own keyword, so that {@code sel(method="vi")} would silently select nothing), {@code estimator_strlen},
 * {@code time} (window states), {@code x} (grid points) and
 * {@code x2} (the second axis of the covariances), {@code y} (observed points, nx / pooling), {@code quantile},
 * {@code cov_time} (the states of {@code output.cov-times}; absent when there are none), {@code control} and
 * {@code control2} (the x0 block of the control vector: nx; model errors and parameters, when the control has
 * them, are in the method directories' CSVs and summary.json), {@code sample} (trajectory samples: the
 * largest count of any method; a method with fewer has fill values in the rest).
 *
 * <p>Variables (all doubles {@code _FillValue = NaN} unless said):
 * <pre>
 * estimator(estimator)           string coordinate: map, abc, ensemble, vi, prior, ...
 * time(time)                     int coordinate: model step t = 0..states-1
 * model_time(time)               t · dt in the model's time units (auxiliary coordinate)
 * assimilated(time)              int 1 for states that carry observations, 0 for the forecast
 * x(x), x2(x2), y(y)             int coordinates: grid point, grid point, observed point
 * quantile(quantile)             probabilities 0.05 0.25 0.5 0.75 0.95
 * cov_time(cov_time)             int: the states whose covariance is given
 * control(control), control2     int coordinates: component i of x0
 * sample(sample)                 int coordinate: trajectory sample index
 * truth(time, x)                 the true trajectory (only when known)
 * observation(time, y)           observations, NaN where not observed
 * observation_std(time, y)       their error standard deviations, NaN where not observed
 * background(x), background_std(x)
 * sample_count(estimator)        int: posterior samples behind the statistics
 * trajectory_count(estimator)    int: trajectory samples given in `trajectory`
 * posterior_mean(estimator, time, x), posterior_std(estimator, time, x)
 * posterior_quantile(estimator, quantile, time, x)
 * posterior_covariance(estimator, cov_time, x, x2)
 * x0_mean(estimator, control), x0_covariance(estimator, control, control2)   (NaN for a method without them)
 * trajectory(estimator, sample, time, x)                                  last: the only one that may exceed 4 GiB
 * </pre>
 * Global attributes: {@code Conventions}, {@code title}, {@code source}, {@code history}, the caller's
 * {@link Run#attributes} (provenance: version, commit, start time, command line, Spark application id) and
 * {@code vi4dvar_configuration} (the effective configuration, HOCON). Variables with a time dimension name
 * {@code model_time} in {@code coordinates}.
 *
 * <p>In Python: {@code ds = xarray.open_dataset("DIR/posterior.nc")}, then e.g.
 * {@code ds.posterior_mean.sel(estimator="vi").to_pandas()} (a time × x DataFrame); {@code scipy.io.netcdf_file} reads
 * it too. See {@code vi4dvar-posterior-nc.md} in the resources.
 */
public final class PosteriorNetcdf {

  /** The file name inside the output directory. */
  public static final String FILE = "posterior.nc";

  private PosteriorNetcdf() {
  }

  /** What the file holds beyond the methods: sizes, the data, configuration and provenance. */
  public static final class Run {
    /** Grid points. */
    public final int nx;
    /** States in the window. */
    public final int nStates;
    /** The first {@code nAssim} states carry observations. */
    public final int nAssim;
    /** The model's time step (model time units). */
    public final double dt;
    /** Average-pooling factor of the observation operator ({@code ny = nx / pooling}). */
    public final int pooling;
    /** Length of the control vector (x0: nx for strong constraint). */
    public final int nControl;
    /** Units of the state (UDUNITS; "1": dimensionless, as for Lorenz96). */
    public String stateUnits = "1";
    /** Quantile probabilities, in the order of {@link Method#quantiles}. */
    public double[] quantiles = {0.05, 0.25, 0.5, 0.75, 0.95};
    /** States whose covariance {@link Method#covariances} holds, in that order (may be empty). */
    public int[] covTimes = new int[0];
    /** The true trajectory {@code [t·nx + i]}, or null. */
    public double[] truth;
    /** Observations {@code [t·ny + j]}, NaN where not observed: nAssim or nStates rows. */
    public double[] obs;
    /** Observation-error standard deviations, NaN exactly where {@link #obs} is. */
    public double[] obsStd;
    /** The background x_b (nx). */
    public double[] background;
    /** Background-error standard deviations (nx). */
    public double[] backgroundStd;
    /** The effective configuration (HOCON text), or null. */
    public String configuration;
    /** Further global text attributes (provenance), in order. */
    public final Map<String, String> attributes = new LinkedHashMap<>();

    /**
     * @param nx grid points
     * @param nStates states in the window
     * @param nAssim states with observations (1..nStates)
     * @param dt model time step
     * @param pooling observation pooling factor (divides nx)
     * @param nControl length of the control vector
     */
    public Run(int nx, int nStates, int nAssim, double dt, int pooling, int nControl) {
      if (nx < 1 || nStates < 1 || nAssim < 1 || nAssim > nStates || pooling < 1 || nx % pooling != 0
          || nControl < 1) {
        throw new IllegalArgumentException("posterior.nc: bad sizes nx " + nx + ", states " + nStates
            + ", assimilated " + nAssim + ", pooling " + pooling + ", control " + nControl);
      }
      this.nx = nx;
      this.nStates = nStates;
      this.nAssim = nAssim;
      this.dt = dt;
      this.pooling = pooling;
      this.nControl = nControl;
    }

    /** Observed points per state. */
    public int ny() {
      return nx / pooling;
    }
  }

  /** One estimator's posterior, as {@code RunWriter} writes it to {@code <name>/*.csv}. */
  public static final class Method {
    /** map, abc, ensemble, vi, prior, ... */
    public final String name;
    /** Posterior samples behind the statistics. */
    public int sampleCount;
    /** Mean {@code [t·nx + i]}. */
    public double[] mean;
    /** Standard deviation {@code [t·nx + i]}. */
    public double[] std;
    /** Quantiles {@code [q·nStates·nx + t·nx + i]} for {@link Run#quantiles}[q]. */
    public double[] quantiles;
    /** Covariance of x_k for each {@link Run#covTimes}[c]: {@code covariances[c][i·nx + j]}. */
    public double[][] covariances = new double[0][];
    /** Trajectory samples given by {@link #trajectories}. */
    public int trajectoryCount;
    /**
     * The trajectory samples, sample-major {@code [(s·nStates + t)·nx + i]}, in chunks of any size (together
     * exactly {@code trajectoryCount·nStates·nx} values); consumed once, while the file is written.
     */
    public Iterator<double[]> trajectories = Collections.emptyIterator();
    /** Mean of the control vector (nControl), or null. */
    public double[] x0Mean;
    /** Covariance of the control vector {@code [i·nControl + j]}, or null. */
    public double[] x0Covariance;

    /** A method named {@code name}. */
    public Method(String name) {
      this.name = name;
    }

    /**
     * Sets {@link #trajectories} to the first {@code count} trajectories of {@code traj} (sample-major, as
     * {@code TrajectoryStatistics.trajectories} returns them), given one trajectory ({@code nStates·nx} values)
     * at a time.
     */
    public Method trajectories(double[] traj, int count, int nStates, int nx) {
      final int dim = nStates * nx;
      if (count < 0 || (long) count * dim > traj.length) {
        throw new IllegalArgumentException("posterior.nc: method '" + name + "': " + count + " trajectories of "
            + dim + " values, but the array holds " + traj.length);
      }
      this.trajectoryCount = count;
      this.trajectories = new Iterator<double[]>() {
        int s;

        @Override
        public boolean hasNext() {
          return s < count;
        }

        @Override
        public double[] next() {
          if (s >= count) {
            throw new java.util.NoSuchElementException();
          }
          s++;
          return java.util.Arrays.copyOfRange(traj, (s - 1) * dim, s * dim);
        }
      };
      return this;
    }
  }

  /** Writes {@code run} and {@code methods} to {@code file}. */
  public static void write(Path file, Run run, List<Method> methods) throws IOException {
    NcSchema s = schema(run, methods);
    try (NetcdfWriter w = NetcdfWriter.create(file, s)) {
      data(w, run, methods);
    }
  }

  /** Writes {@code run} and {@code methods} to {@code out} (closed at the end). */
  public static void write(OutputStream out, Run run, List<Method> methods) throws IOException {
    NcSchema s = schema(run, methods);
    try (NetcdfWriter w = NetcdfWriter.open(out, s)) {
      data(w, run, methods);
    }
  }

  /**
   * The schema of the file (its size: {@link NcSchema#fileBytes()}).
   *
   * @throws IllegalArgumentException if an array has the wrong length (naming the method and the field)
   */
  public static NcSchema schema(Run run, List<Method> methods) {
    check(run, methods);
    final int nx = run.nx;
    NcSchema s = new NcSchema().conventions();
    s.attribute("title", "vi4dvar: posterior of strong-constraint 4D-Var, per estimation method");
    s.attribute("source", ("vi4dvar " + run.attributes.getOrDefault("vi4dvar_version", "")).trim());
    String history = (run.attributes.getOrDefault("vi4dvar_start_time", "") + " "
        + run.attributes.getOrDefault("vi4dvar_command_line", "")).trim();
    if (!history.isEmpty()) {
      s.attribute("history", history);
    }
    s.attribute("comment", "Trajectories x[t, i] of the model over the assimilation window and its forecast; "
        + "states 0.." + (run.nAssim - 1) + " carry observations. The CSV files of the run hold the same numbers.");
    for (Map.Entry<String, String> a : run.attributes.entrySet()) {
      s.attribute(a.getKey(), a.getValue());
    }
    if (run.configuration != null) {
      s.attribute("vi4dvar_configuration", run.configuration);
    }

    List<String> names = new ArrayList<>();
    for (Method m : methods) {
      names.add(m.name);
    }
    int nSample = 1;
    for (Method m : methods) {
      nSample = Math.max(nSample, m.trajectoryCount);
    }
    boolean x0 = methods.stream().anyMatch(m -> m.x0Mean != null || m.x0Covariance != null);
    boolean cov = run.covTimes.length > 0;

    s.dimension("estimator", methods.size());
    s.stringDimension("estimator_strlen", names);
    s.dimension("time", run.nStates);
    s.dimension("x", nx).dimension("x2", nx).dimension("y", run.ny());
    s.dimension("quantile", run.quantiles.length);
    if (cov) {
      s.dimension("cov_time", run.covTimes.length);
    }
    s.dimension("control", run.nControl).dimension("control2", run.nControl);
    s.dimension("sample", nSample);

    s.stringVariable("estimator", "estimator_strlen", "estimator").longName("estimation method");
    s.coordinate("time", NcType.INT).units("1").longName("model step index t (state x_t of the window)")
        .axis("T");
    s.variable("model_time", NcType.DOUBLE, "time").units("1")
        .longName("model time t · dt (model time units; dt = " + run.dt + ")");
    s.variable("assimilated", NcType.INT, "time").longName("whether state t carries observations")
        .attribute("flag_values", 0, 1).attribute("flag_meanings", "forecast assimilated");
    s.coordinate("x", NcType.INT).units("1").longName("grid point index").axis("X");
    s.coordinate("x2", NcType.INT).units("1").longName("grid point index (second axis of covariances)");
    s.coordinate("y", NcType.INT).units("1").longName("observed point index j: the average of grid points j·"
        + run.pooling + " .. j·" + run.pooling + " + " + (run.pooling - 1) + " (obs.pooling = " + run.pooling + ")");
    s.coordinate("quantile", NcType.DOUBLE).units("1").longName("probability of the posterior quantile");
    if (cov) {
      s.coordinate("cov_time", NcType.INT).units("1").longName("model step of the posterior covariance");
    }
    s.coordinate("control", NcType.INT).units("1").longName("component of x0 (the x0 block of the control vector)");
    s.coordinate("control2", NcType.INT).units("1").longName("component of x0 (second axis)");
    s.coordinate("sample", NcType.INT).units("1").longName("trajectory sample index");

    String u = run.stateUnits;
    if (run.truth != null) {
      state(s.variable("truth", NcType.DOUBLE, "time", "x"), u, "true trajectory");
    }
    state(s.variable("observation", NcType.DOUBLE, "time", "y"), u, "observation y_t (NaN: not observed)");
    state(s.variable("observation_std", NcType.DOUBLE, "time", "y"), u,
        "observation-error standard deviation (NaN: not observed)");
    s.variable("background", NcType.DOUBLE, "x").units(u).longName("background x_b").fillValue(Double.NaN);
    s.variable("background_std", NcType.DOUBLE, "x").units(u).longName("background-error standard deviation")
        .fillValue(Double.NaN);
    s.variable("sample_count", NcType.INT, "estimator").units("1")
        .longName("posterior samples behind the statistics");
    s.variable("trajectory_count", NcType.INT, "estimator").units("1")
        .longName("trajectory samples in 'trajectory' (the rest of its sample axis is NaN)");
    state(s.variable("posterior_mean", NcType.DOUBLE, "estimator", "time", "x"), u, "posterior mean of x_t");
    state(s.variable("posterior_std", NcType.DOUBLE, "estimator", "time", "x"), u,
        "posterior standard deviation of x_t");
    state(s.variable("posterior_quantile", NcType.DOUBLE, "estimator", "quantile", "time", "x"), u,
        "posterior quantile of x_t");
    if (cov) {
      s.variable("posterior_covariance", NcType.DOUBLE, "estimator", "cov_time", "x", "x2")
          .units(u.equals("1") ? "1" : "(" + u + ")2").longName("posterior covariance of x_t at cov_time")
          .fillValue(Double.NaN);
    }
    if (x0) {
      s.variable("x0_mean", NcType.DOUBLE, "estimator", "control").units(u)
          .longName("posterior mean of x0").fillValue(Double.NaN);
      s.variable("x0_covariance", NcType.DOUBLE, "estimator", "control", "control2")
          .units(u.equals("1") ? "1" : "(" + u + ")2").longName("posterior covariance of x0")
          .fillValue(Double.NaN);
    }
    state(s.variable("trajectory", NcType.DOUBLE, "estimator", "sample", "time", "x"), u,
        "sampled posterior trajectory (NaN beyond trajectory_count)");
    return s;
  }

  private static void state(NcVariable v, String units, String longName) {
    v.units(units).longName(longName).fillValue(Double.NaN).coordinates("model_time");
  }

  private static void data(NetcdfWriter w, Run run, List<Method> methods) throws IOException {
    final int nx = run.nx;
    final int nStates = run.nStates;
    final int dim = nx * nStates;
    List<String> names = new ArrayList<>();
    for (Method m : methods) {
      names.add(m.name);
    }
    w.writeStrings("estimator", names);
    w.write("time", range(nStates));
    double[] mt = new double[nStates];
    int[] assim = new int[nStates];
    for (int t = 0; t < nStates; t++) {
      mt[t] = t * run.dt;
      assim[t] = t < run.nAssim ? 1 : 0;
    }
    w.write("model_time", mt);
    w.write("assimilated", assim);
    w.write("x", range(nx));
    w.write("x2", range(nx));
    w.write("y", range(run.ny()));
    w.write("quantile", run.quantiles);
    if (run.covTimes.length > 0) {
      w.write("cov_time", run.covTimes);
    }
    w.write("control", range(run.nControl));
    w.write("control2", range(run.nControl));
    w.write("sample", range((int) w.schema().dimensionLength("sample")));
    if (run.truth != null) {
      w.write("truth", run.truth);
    }
    w.write("observation", run.obs);
    w.fillRest("observation");
    w.write("observation_std", run.obsStd);
    w.fillRest("observation_std");
    w.write("background", run.background);
    w.write("background_std", run.backgroundStd);
    int[] sc = new int[methods.size()];
    int[] tc = new int[methods.size()];
    for (int k = 0; k < sc.length; k++) {
      sc[k] = methods.get(k).sampleCount;
      tc[k] = methods.get(k).trajectoryCount;
    }
    w.write("sample_count", sc);
    w.write("trajectory_count", tc);
    for (Method m : methods) {
      w.write("posterior_mean", m.mean);
    }
    for (Method m : methods) {
      w.write("posterior_std", m.std);
    }
    for (Method m : methods) {
      w.write("posterior_quantile", m.quantiles);
    }
    if (run.covTimes.length > 0) {
      for (Method m : methods) {
        for (double[] c : m.covariances) {
          w.write("posterior_covariance", c);
        }
      }
    }
    if (w.schema().variable("x0_mean") != null) {
      for (Method m : methods) {
        if (m.x0Mean != null) {
          w.write("x0_mean", m.x0Mean);
        } else {
          w.fill("x0_mean", run.nControl);
        }
      }
      for (Method m : methods) {
        if (m.x0Covariance != null) {
          w.write("x0_covariance", m.x0Covariance);
        } else {
          w.fill("x0_covariance", (long) run.nControl * run.nControl);
        }
      }
    }
    long perMethod = w.schema().dimensionLength("sample") * dim;
    for (Method m : methods) {
      long want = (long) m.trajectoryCount * dim;
      long got = 0;
      while (m.trajectories.hasNext()) {
        double[] c = m.trajectories.next();
        if (c.length > want - got) {
          throw new IllegalArgumentException("posterior.nc: method '" + m.name + "': its trajectories give more "
              + "than trajectoryCount (" + m.trajectoryCount + ") × " + nStates + " × " + nx + " values");
        }
        w.write("trajectory", c);
        got += c.length;
      }
      if (got != want) {
        throw new IllegalArgumentException("posterior.nc: method '" + m.name + "': its trajectories gave " + got
            + " values, expected trajectoryCount (" + m.trajectoryCount + ") × " + nStates + " × " + nx);
      }
      if (perMethod > want) {
        w.fill("trajectory", perMethod - want);
      }
    }
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  private static void check(Run run, List<Method> methods) {
    final int nx = run.nx;
    final int dim = nx * run.nStates;
    int ny = run.ny();
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("posterior.nc: no method");
    }
    length("truth", run.truth, dim, true);
    if (run.obs == null || (run.obs.length != run.nAssim * ny && run.obs.length != run.nStates * ny)) {
      throw new IllegalArgumentException("posterior.nc: obs must have " + run.nAssim + " or " + run.nStates
          + " rows of " + ny + " values, got " + (run.obs == null ? "null" : run.obs.length + " values"));
    }
    length("obsStd", run.obsStd, run.obs.length, false);
    length("background", run.background, nx, false);
    length("backgroundStd", run.backgroundStd, nx, false);
    for (int k : run.covTimes) {
      if (k < 0 || k >= run.nStates) {
        throw new IllegalArgumentException("posterior.nc: cov time " + k + " outside the window 0.."
            + (run.nStates - 1));
      }
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Method m : methods) {
      String p = "method '" + m.name + "': ";
      if (!seen.add(m.name)) {
        throw new IllegalArgumentException("posterior.nc: method '" + m.name + "' given twice");
      }
      length(p + "mean", m.mean, dim, false);
      length(p + "std", m.std, dim, false);
      length(p + "quantiles", m.quantiles, run.quantiles.length * dim, false);
      if (m.covariances.length != run.covTimes.length) {
        throw new IllegalArgumentException("posterior.nc: " + p + "covariances holds " + m.covariances.length
            + " matrices, expected one per cov time (" + run.covTimes.length + ")");
      }
      for (double[] c : m.covariances) {
        length(p + "covariances[]", c, nx * nx, false);
      }
      length(p + "x0Mean", m.x0Mean, run.nControl, true);
      length(p + "x0Covariance", m.x0Covariance, run.nControl * run.nControl, true);
      if (m.trajectoryCount < 0 || m.trajectories == null) {
        throw new IllegalArgumentException("posterior.nc: " + p + "trajectoryCount " + m.trajectoryCount
            + (m.trajectories == null ? " with null trajectories" : ""));
      }
    }
  }

  private static void length(String what, double[] a, int n, boolean nullable) {
    if (a == null ? !nullable : a.length != n) {
      throw new IllegalArgumentException("posterior.nc: " + what + " must have " + n + " values, got "
          + (a == null ? "null" : a.length));
    }
  }
}
