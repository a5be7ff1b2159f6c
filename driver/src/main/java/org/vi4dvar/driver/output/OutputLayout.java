package org.vi4dvar.driver.output;

import java.util.Locale;
import org.vi4dvar.kernels.stats.TrajectoryStatistics;
import org.vi4dvar.kernels.var.ControlSpace;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * The layout of a run's output directory, defined once and used by the writer ({@link RunWriter}), the report
 * and the tests:
 * <pre>
 *   summary.json  config.conf  posterior.nc  report.html  figures/*.png
 *   data/                          the dataset used (the dataset format: header-less, see DatasetFiles)
 *   &lt;method&gt;/                      prior, abc, map, ensemble, vi, …
 *     mean.csv std.csv q05.csv … q95.csv   t,x_0,…,x_{nx−1}        one row per state t
 *     cov_t&lt;k&gt;.csv                        i,x_0,…,x_{nx−1}        the covariance of x_k, one row per grid point i
 *     samples.csv                           sample,t,x_0,…          sampled trajectories, long form (draw index, t)
 *     x0_mean.csv                           x0_0,…,x0_{n−1}         the posterior's exact mean of x0, one row
 *     x0_cov.csv                            i,x0_0,…                its exact covariance of x0 (n rows)
 *     model_error_mean.csv, _std.csv        t,x_0,…,x_{nx−1}        weak constraint: mean and std of η_t, t &lt; T−1
 *     posterior.json                        family, where its parameters are, how draws are made
 *     posterior.bin                         the posterior itself (Java serialization), for {@code sample}
 *     &lt;table&gt;.csv                          the method's tables, with their own header (e.g. map/starts.csv)
 *   abc/kept.csv, abc/accepted/            trial,distance,cost,&lt;control&gt;   the kept (accepted) trials' controls
 * </pre>
 * A column that holds a component of the whole control c = (x0, η, p) is named by {@link #control}: {@code x0_<i>},
 * {@code eta_<t>_<i>} (component i of the model error η_t), the parameter's name ({@code forcing}) — the one
 * naming of the control ({@code ControlSpace.componentName}), also of {@code mcmc/diagnostics.csv}'s rows.
 * Every CSV written here has a header line naming its columns; a leading coordinate column ({@code t},
 * {@code i}, {@code sample}) where rows are times, points or draws. Numbers are {@link Double#toString}
 * (shortest text that reads back to the same double); a missing value is an empty field.
 */
public final class OutputLayout {

  /** The run's summary. */
  public static final String SUMMARY = "summary.json";
  /** The effective configuration (HOCON). */
  public static final String CONFIG = "config.conf";
  /** The dataset folder. */
  public static final String DATA = "data/";
  /** The figures folder. */
  public static final String FIGURES = "figures/";
  /** The report page. */
  public static final String REPORT = "report.html";
  /** The self-describing NetCDF file of the whole run. */
  public static final String NETCDF = "posterior.nc";
  /**
   * ABC's accepted trials in threshold mode: a Parquet table (a directory of {@code part-<task>.parquet} files
   * and Spark's {@code _SUCCESS}), columns {@code trial} (long), {@code distance}, {@code cost} and the control,
   * {@link #control} ({@code x0_0 …}, {@code eta_<t>_<i> …}, parameters; doubles), as kept.csv's, written by
   * the tasks ({@link ParquetTrialSink}); rows in trial order within a file, files in trial order.
   */
  public static final String ACCEPTED = "abc/accepted";
  /** The prior's folder (a reference, not a method). */
  public static final String PRIOR = "prior";

  /** Per method: the posterior mean of x_t. */
  public static final String MEAN = "mean.csv";
  /** Per method: the posterior std of x_t. */
  public static final String STD = "std.csv";
  /** Per method: sampled trajectories. */
  public static final String SAMPLES = "samples.csv";
  /** Per method: the posterior's exact mean of x0. */
  public static final String X0_MEAN = "x0_mean.csv";
  /** Per method: the posterior's exact covariance of x0. */
  public static final String X0_COV = "x0_cov.csv";
  /** Per method: what the posterior is. */
  public static final String POSTERIOR_JSON = "posterior.json";
  /** Per method: the posterior object, for {@code vi4dvar sample}. */
  public static final String POSTERIOR_BIN = "posterior.bin";
  /** Per method, weak constraint: the posterior mean of η_t, {@code t < assimilated − 1} (header t,x_…). */
  public static final String MODEL_ERROR_MEAN = "model_error_mean.csv";
  /** Per method, weak constraint: the posterior std of η_t, same layout. */
  public static final String MODEL_ERROR_STD = "model_error_std.csv";
  /** MAP: the trajectory from the lowest minimum. */
  public static final String SOLUTION = "solution.csv";

  /** Column: state index. */
  public static final String T = "t";
  /** Column: grid point (row of a covariance). */
  public static final String I = "i";
  /** Column: draw index. */
  public static final String SAMPLE = "sample";
  /** Column prefix of the grid points of a state. */
  public static final String X = "x_";
  /** Column prefix of the components of x0 (x0_mean.csv, x0_cov.csv, and {@link #control}'s first nx). */
  public static final String X0 = ControlSpace.X0;

  private OutputLayout() {
  }

  /** {@code <method>/<file>}. */
  public static String file(String method, String file) {
    return method + "/" + file;
  }

  /** {@code <method>/<table>.csv}. */
  public static String table(String method, String table) {
    return method + "/" + table + ".csv";
  }

  /** The quantile file of probability {@code p}: {@code q05.csv} for 0.05. */
  public static String quantile(double p) {
    return String.format(Locale.ROOT, "q%02d.csv", Math.round(p * 100));
  }

  /** The quantile files, in {@link TrajectoryStatistics#PROBS} order. */
  public static String[] quantiles() {
    String[] q = new String[TrajectoryStatistics.PROBS.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = quantile(TrajectoryStatistics.PROBS[i]);
    }
    return q;
  }

  /** The covariance file of state k: {@code cov_t11.csv}. */
  public static String covariance(int k) {
    return "cov_t" + k + ".csv";
  }

  /**
   * The column names of the whole control of {@code p}, in control order: {@code x0_<i>}, {@code eta_<t>_<i>},
   * the estimated parameters' names ({@link FourDVarProblem#controlNames}).
   */
  public static String[] control(FourDVarProblem p) {
    return p.controlNames();
  }

  /** The header {@code first,prefix0,…,prefix(n−1)} (first may be null). */
  public static String header(String first, String prefix, int n) {
    StringBuilder b = new StringBuilder();
    if (first != null) {
      b.append(first);
    }
    for (int k = 0; k < n; k++) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(prefix).append(k);
    }
    return b.toString();
  }
}
