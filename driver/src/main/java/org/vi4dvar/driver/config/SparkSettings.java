package org.vi4dvar.driver.config;

import java.io.Serializable;
import org.vi4dvar.kernels.config.ConfigError;
import org.vi4dvar.kernels.config.Require;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vi4dvar.driver.spark.MasterUrl;

/**
 * {@code spark.*}: where the tasks run. Other Spark properties belong in {@code conf/spark-defaults.conf}.
 *
 * @param master the Spark master URL, or null: {@code --master}, else this, else the {@code spark.master} that
 *     spark-submit set, else {@code local[*]} ({@code spark.master})
 * @param partitions partitions of the task RDDs; 0 = Spark's default parallelism ({@code spark.partitions},
 *     {@code >= 0})
 */
public record SparkSettings(String master, int partitions) implements Serializable {

  /** Most partitions (tasks per job) a run may ask for: the driver keeps a few objects per task. */
  public static final int MAX_PARTITIONS = 1_000_000;

  /** Validates every field. */
  public SparkSettings {
    if (master != null) {
      String why = MasterUrl.problem(master);
      if (why != null) {
        throw new ConfigError("spark.master", why);
      }
    }
    Require.atLeast("spark.partitions", partitions, 0);
    Require.atMost("spark.partitions", partitions, MAX_PARTITIONS);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("master", master);
    m.put("partitions", partitions);
    return m;
  }
}
