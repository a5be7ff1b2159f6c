package org.vi4dvar.driver.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.vi4dvar.driver.App;
import org.vi4dvar.driver.spark.SparkHandle;
import org.vi4dvar.driver.spark.SparkProvider;

/**
 * {@code App} as {@code main} runs it (own JVM, a new Spark context from the run's configuration), except that
 * starting Spark also runs one job whose tasks fail the way {@code args[0]} says: {@code oom} (a task throws
 * OutOfMemoryError), {@code io} (a task fails with "No space left on device"), {@code write} (the tasks of a
 * Parquet write job fail with it). The rest of {@code args} is the command line.
 */
public final class FailingTaskMain {

  private FailingTaskMain() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    SparkProvider provider = conf -> {
      JavaSparkContext sc = new JavaSparkContext(conf);
      SparkHandle h = new SparkHandle(sc, true, 0.0);
      if (mode.equals("write")) {
        // a Parquet write job (as threshold mode's) whose tasks fail writing their rows
        org.apache.spark.sql.types.StructType schema = org.apache.spark.sql.types.DataTypes.createStructType(
            List.of(org.apache.spark.sql.types.DataTypes.createStructField("x",
            org.apache.spark.sql.types.DataTypes.LongType, false)));
        org.apache.spark.api.java.JavaRDD<org.apache.spark.sql.Row> rows = sc.parallelize(List.of(0, 1), 2)
            .map(i -> {
              throw new UncheckedIOException(new IOException("No space left on device"));
            });
        org.apache.spark.sql.SparkSession.builder().sparkContext(sc.sc()).getOrCreate()
            .createDataFrame(rows, schema).write().parquet(System.getProperty("java.io.tmpdir") + "/written");
        return h;
      }
      sc.parallelize(List.of(0, 1), 2).map(i -> {
        if (mode.equals("oom")) {
          throw new OutOfMemoryError("Java heap space");
        }
        throw new UncheckedIOException(new IOException("No space left on device"));
      }).collect();
      return h;
    };
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    int code = App.execute(rest, System.out, System.err, provider, true);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }
}
