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
 * {@code control2} (the x0 block of the control vector: nx), {@code model_step} (weak constraint only: the steps
 * t = 0 … assimilated − 2 of the model errors η_t), {@code parameter}, {@code parameter_strlen} and
 * {@code quantile3} (only when parameters are estimated: their names and the probabilities 0.05 0.5 0.95 of
 * their quantiles), {@code sample} (trajectory samples: the largest count of any method; a method with fewer
 * has fill values in the rest). A strong-constraint run without estimated parameters has none of the
 * model-error and parameter dimensions and variables.
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
 * model_step(model_step)         int coordinate: step t of the model error η_t (x_{t+1} = M(x_t) + η_t)
 * parameter(parameter)           string coordinate: the estimated parameters' names (forcing)
 * quantile3(quantile3)           probabilities 0.05 0.5 0.95 of parameter_quantile
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
 * model_error_mean(estimator, model_step, x), model_error_std(estimator, model_step, x)
 *                                posterior of η_t (0 where the component has no model error; NaN for a
 *                                method without them): {@code <method>/model_error_mean.csv, _std.csv}
 * model_error_prior_std(model_step, x)   the model-error standard deviations q of η_t (0: none)
 * model_error_truth(model_step, x)       the true η_t (only when known: a twin's model_error_truth.csv)
 * parameter_mean(estimator, parameter), parameter_std(estimator, parameter)
 * parameter_quantile(estimator, quantile3, parameter)   summary.json's parameters.&lt;name&gt; q05, q50, q95
 * parameter_prior_mean(parameter), parameter_prior_std(parameter)   the Gaussian prior of each parameter
 * parameter_truth(parameter)     the true parameter values (only when known)
 * trajectory(estimator, sample, time, x)                                  last: the only one that may exceed 4 GiB
 * </pre>
 * Global attributes: {@code Conventions}, {@code title}, {@code source}, {@code history}, the caller's
 * {@link Run#attributes} (provenance: version, commit, start time, command line, Spark application id) and
 * {@code vi4dvar_configuration} (the effective configuration, HOCON). Variables with a time dimension name
 * {@code model_time} in {@code coordinates}.
 *
 * <p>The parameter quantiles are one variable along {@code quantile3} rather than three variables
 * {@code parameter_q05/q50/q95}: like {@code posterior_quantile} along {@code quantile}, the probability is then a
 * coordinate value an xarray user selects ({@code ds.parameter_quantile.sel(quantile3=0.95)}) or tabulates
 * ({@code ds.parameter_quantile.sel(parameter="forcing").to_pandas()}: an estimator × probability DataFrame),
 * instead of a part of a variable name. Its own dimension, not {@code quantile}: the parameters have three of
 * the trajectories' five probabilities. The parameter variables have no {@code units}: one variable along
 * {@code parameter} would hold parameters of different units (Lorenz96's forcing is dimensionless).
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
    /**
     * Weak constraint: the model-error standard deviations of η_t {@code [t·nx + i]}, t &lt; nAssim − 1 (zeros
     * where none); null for strong constraint (then the file has no {@code model_step} and no model errors).
     */
    public double[] modelErrorStd;
    /** The true model errors, as {@link #modelErrorStd}, or null. */
    public double[] modelErrorTruth;
    /** Names of the estimated parameters, in control order (empty: none, no {@code parameter} dimension). */
    public String[] parameters = new String[0];
    /** Probabilities of {@link Method#parameterQuantiles}, in that order. */
    public double[] parameterProbabilities = {0.05, 0.5, 0.95};
    /** Prior means of the {@link #parameters}. */
    public double[] parameterPriorMean;
    /** Prior standard deviations of the {@link #parameters}. */
    public double[] parameterPriorStd;
    /** True values of the {@link #parameters}, or null. */
    public double[] parameterTruth;
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

    /** Model-error steps (nAssim − 1) for a weak-constraint run, else 0. */
    public int modelSteps() {
      return modelErrorStd == null ? 0 : nAssim - 1;
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
    /** Posterior mean of η_t {@code [t·nx + i]} ({@link Run#modelSteps} × nx, 0 where no model error), or null. */
    public double[] modelErrorMean;
    /** Posterior standard deviation of η_t, as {@link #modelErrorMean}, or null. */
    public double[] modelErrorStd;
    /** Posterior means of {@link Run#parameters}, or null. */
    public double[] parameterMean;
    /** Posterior standard deviations of {@link Run#parameters}, or null. */
    public double[] parameterStd;
    /** Posterior quantiles {@code [q·nParameters + k]} for {@link Run#parameterProbabilities}[q], or null. */
    public double[] parameterQuantiles;

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
    final int steps = run.modelSteps();
    final int nPar = run.parameters.length;
    s.attribute("title", "vi4dvar: posterior of " + (steps > 0 ? "weak" : "strong")
        + "-constraint 4D-Var, per estimation method");
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
    if (steps > 0) {
      s.dimension("model_step", steps);
    }
    if (nPar > 0) {
      s.dimension("parameter", nPar);
      s.stringDimension("parameter_strlen", List.of(run.parameters));
      s.dimension("quantile3", run.parameterProbabilities.length);
    }
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
    if (steps > 0) {
      s.coordinate("model_step", NcType.INT).units("1")
          .longName("model step t of the model error η_t (x_{t+1} = M(x_t) + η_t)");
    }
    if (nPar > 0) {
      s.stringVariable("parameter", "parameter_strlen", "parameter").longName("estimated model parameter");
      s.coordinate("quantile3", NcType.DOUBLE).units("1")
          .longName("probability of the parameter's posterior quantile");
    }
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
    if (steps > 0) {
      s.variable("model_error_mean", NcType.DOUBLE, "estimator", "model_step", "x").units(u)
          .longName("posterior mean of the model error η_t (0 where the component has no model error)")
          .fillValue(Double.NaN);
      s.variable("model_error_std", NcType.DOUBLE, "estimator", "model_step", "x").units(u)
          .longName("posterior standard deviation of the model error η_t").fillValue(Double.NaN);
      s.variable("model_error_prior_std", NcType.DOUBLE, "model_step", "x").units(u)
          .longName("model-error standard deviation q of η_t (0: no model error)").fillValue(Double.NaN);
      if (run.modelErrorTruth != null) {
        s.variable("model_error_truth", NcType.DOUBLE, "model_step", "x").units(u)
            .longName("true model error η_t").fillValue(Double.NaN);
      }
    }
    if (nPar > 0) {
      s.variable("parameter_mean", NcType.DOUBLE, "estimator", "parameter")
          .longName("posterior mean of the parameter").fillValue(Double.NaN);
      s.variable("parameter_std", NcType.DOUBLE, "estimator", "parameter")
          .longName("posterior standard deviation of the parameter").fillValue(Double.NaN);
      s.variable("parameter_quantile", NcType.DOUBLE, "estimator", "quantile3", "parameter")
          .longName("posterior quantile of the parameter").fillValue(Double.NaN);
      s.variable("parameter_prior_mean", NcType.DOUBLE, "parameter")
          .longName("prior mean of the parameter (Gaussian prior)").fillValue(Double.NaN);
      s.variable("parameter_prior_std", NcType.DOUBLE, "parameter")
          .longName("prior standard deviation of the parameter").fillValue(Double.NaN);
      if (run.parameterTruth != null) {
        s.variable("parameter_truth", NcType.DOUBLE, "parameter").longName("true value of the parameter")
            .fillValue(Double.NaN);
      }
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
    final int steps = run.modelSteps();
    final int nPar = run.parameters.length;
    if (steps > 0) {
      w.write("model_step", range(steps));
    }
    if (nPar > 0) {
      w.writeStrings("parameter", List.of(run.parameters));
      w.write("quantile3", run.parameterProbabilities);
    }
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
      perMethod(w, "x0_mean", methods, m -> m.x0Mean);
      perMethod(w, "x0_covariance", methods, m -> m.x0Covariance);
    }
    if (steps > 0) {
      perMethod(w, "model_error_mean", methods, m -> m.modelErrorMean);
      perMethod(w, "model_error_std", methods, m -> m.modelErrorStd);
      w.write("model_error_prior_std", run.modelErrorStd);
      if (run.modelErrorTruth != null) {
        w.write("model_error_truth", run.modelErrorTruth);
      }
    }
    if (nPar > 0) {
      perMethod(w, "parameter_mean", methods, m -> m.parameterMean);
      perMethod(w, "parameter_std", methods, m -> m.parameterStd);
      perMethod(w, "parameter_quantile", methods, m -> m.parameterQuantiles);
      w.write("parameter_prior_mean", run.parameterPriorMean);
      w.write("parameter_prior_std", run.parameterPriorStd);
      if (run.parameterTruth != null) {
        w.write("parameter_truth", run.parameterTruth);
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

  /**
   * Writes {@code var} (estimator outermost): each method's {@code field}, or its share of fill values when the
   * method has none.
   */
  private static void perMethod(NetcdfWriter w, String var, List<Method> methods,
      java.util.function.Function<Method, double[]> field) throws IOException {
    long each = w.schema().variable(var).size() / methods.size();
    for (Method m : methods) {
      double[] a = field.apply(m);
      if (a != null) {
        w.write(var, a);
      } else {
        w.fill(var, each);
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
    if (run.modelErrorStd != null && run.nAssim < 2) {
      throw new IllegalArgumentException("posterior.nc: model errors need at least 2 assimilated states, got "
          + run.nAssim);
    }
    final int steps = run.modelSteps();
    length("modelErrorStd", run.modelErrorStd, steps * nx, true);
    if (run.modelErrorTruth != null && run.modelErrorStd == null) {
      throw new IllegalArgumentException("posterior.nc: modelErrorTruth without modelErrorStd (strong constraint)");
    }
    length("modelErrorTruth", run.modelErrorTruth, steps * nx, true);
    final int nPar = run.parameters.length;
    if (nPar > 0) {
      length("parameterPriorMean", run.parameterPriorMean, nPar, false);
      length("parameterPriorStd", run.parameterPriorStd, nPar, false);
      length("parameterTruth", run.parameterTruth, nPar, true);
    } else if (run.parameterTruth != null) {
      throw new IllegalArgumentException("posterior.nc: parameterTruth without parameters");
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
      length(p + "modelErrorMean", m.modelErrorMean, steps * nx, true);
      length(p + "modelErrorStd", m.modelErrorStd, steps * nx, true);
      length(p + "parameterMean", m.parameterMean, nPar, true);
      length(p + "parameterStd", m.parameterStd, nPar, true);
      length(p + "parameterQuantiles", m.parameterQuantiles, run.parameterProbabilities.length * nPar, true);
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
