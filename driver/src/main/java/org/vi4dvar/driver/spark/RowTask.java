package org.vi4dvar.driver.spark;

import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.vi4dvar.kernels.experiment.TaskProgress;

/**
 * A task of {@link SparkParallel#runAndMergeWriting}: a pure function of (the shared input, its unit range) that
 * returns its result and hands the rows of its share of a table to {@code rows}, in the order they are to be
 * stored.
 */
@FunctionalInterface
public interface RowTask<T, R> extends Serializable {

  /**
   * @param shared the shared input
   * @param lo first unit
   * @param hi one past the last unit
   * @param progress receives the number of units done so far (progress only)
   * @param rows receives the task's rows (the schema of the table; no row is kept after it is handed over)
   */
  R run(T shared, long lo, long hi, TaskProgress progress, Consumer<Row> rows);
}
