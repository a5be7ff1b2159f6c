package org.vi4dvar.driver.output;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.vi4dvar.driver.spark.SparkParallel;
import org.vi4dvar.kernels.abc.AbcMethod;
import org.vi4dvar.kernels.experiment.Job;
import org.vi4dvar.kernels.experiment.Parallel;
import org.vi4dvar.kernels.experiment.RangeTask;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.experiment.TrialSink;

/**
 * ABC's accepted trials (threshold mode) as one Parquet table ({@link OutputLayout#ACCEPTED}: columns
 * {@code trial, distance, cost} and the control under its names, {@code x0_0 …} then {@code eta_<t>_<i> …} and
 * the parameters' names when it has them: {@code FourDVarProblem.controlNames()}, as in {@code kept.csv}),
 * written by the sweep's own Spark tasks through Spark SQL's DataFrame writer
 * ({@link SparkParallel#runAndMergeWriting}) into the run's temporary directory on the output's file
 * system (a local path, {@code file://}, {@code hdfs://}, ...), so that it is committed with the run or not at all.
 * Spark's file commit protocol keeps only the files of each task's successful attempt: a retried or lost task
 * rewrites the same rows. The executors write through Hadoop's FileSystem: with a local {@code --out} on a
 * cluster its directory must be one every node mounts; with a Hadoop URI nothing else is needed. Formatting only.
 */
public final class ParquetTrialSink implements TrialSink {

  private static final long serialVersionUID = 1L;

  /** The writer of the task function running on this thread (set by {@link #runAndMerge}'s tasks). */
  private static final ThreadLocal<Writer> CURRENT = new ThreadLocal<>();

  private final String uri;
  private final String[] names;
  private final int n;

  /**
   * @param uri the table's directory (a URI; must not exist yet)
   * @param controlNames the names of the control's components ({@code FourDVarProblem.controlNames()}): the
   *     columns after trial, distance, cost
   */
  public ParquetTrialSink(String uri, String[] controlNames) {
    this.uri = uri;
    this.names = controlNames.clone();
    this.n = controlNames.length;
  }

  /** The table's columns: trial (long), distance, cost, then one double per control component, named. */
  public static StructType schema(String[] controlNames) {
    List<StructField> f = new ArrayList<>(3 + controlNames.length);
    f.add(DataTypes.createStructField(AbcMethod.TRIAL, DataTypes.LongType, false));
    f.add(DataTypes.createStructField(AbcMethod.DISTANCE, DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField(AbcMethod.COST, DataTypes.DoubleType, false));
    for (String name : controlNames) {
      f.add(DataTypes.createStructField(name, DataTypes.DoubleType, false));
    }
    return DataTypes.createStructType(f);
  }

  @Override
  public Writer open(long firstBlock, long endBlock, int dim) {
    Writer w = CURRENT.get();
    if (w == null || dim != n) {
      throw new IllegalStateException("the Parquet table of accepted trials is written only by the tasks of "
          + "its own job (ParquetTrialSink.runAndMerge), of control dimension " + n + " (asked " + dim + ")");
    }
    return w;
  }

  @Override
  public void cleanUp() {
    // Spark's commit protocol has removed every attempt's temporary files
  }

  @Override
  public <T, R extends Serializable> R runAndMerge(Parallel parallel, Job job, Shared<T> shared, long units,
      RangeTask<T, R> task, Parallel.Merge<R> merge) {
    if (!(parallel instanceof SparkParallel)) {
      throw new IllegalStateException("the accepted trials' Parquet table is written by Spark tasks only");
    }
    final int dim = n;
    return ((SparkParallel) parallel).runAndMergeWriting(job, shared, units, (in, lo, hi, progress, rows) -> {
      CURRENT.set(new RowWriter(rows, dim));
      try {
        return task.run(in, lo, hi, progress);
      } finally {
        CURRENT.remove();
      }
    }, merge, schema(names), uri);
  }

  /** Hands every accepted trial to the task's rows; the table's commit is Spark's. */
  private static final class RowWriter implements Writer {
    private final java.util.function.Consumer<Row> rows;
    private final int n;

    RowWriter(java.util.function.Consumer<Row> rows, int n) {
      this.rows = rows;
      this.n = n;
    }

    @Override
    public void accept(long trial, double distance, double cost, double[] x0) {
      Object[] v = new Object[3 + n];
      v[0] = trial;
      v[1] = distance;
      v[2] = cost;
      for (int i = 0; i < n; i++) {
        v[3 + i] = x0[i];
      }
      rows.accept(RowFactory.create(v));
    }

    @Override
    public void commit() {
      // the rows are Spark's once handed over; its commit protocol makes them visible with the job
    }

    @Override
    public void abort() {
      // a failed attempt's files are discarded by the commit protocol
    }
  }
}
