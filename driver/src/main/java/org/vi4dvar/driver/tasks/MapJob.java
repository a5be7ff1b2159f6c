package org.vi4dvar.driver.tasks;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.vi4dvar.driver.spark.RunInputs;
import org.vi4dvar.kernels.map.LaplaceConfig;
import org.vi4dvar.kernels.map.LaplaceResult;
import org.vi4dvar.kernels.map.MapLaplace;

/**
 * MAP multi-start on Spark: start s (an x0, shipped to the tasks as an MLlib {@link DenseVector}, the RDD's
 * elements) is minimised by L-BFGS and the Laplace approximation taken at its minimum ({@link MapLaplace#run});
 * one {@link MapLaplace} per partition. Results come back in start order.
 */
public final class MapJob {

  private MapJob() {
  }

  /** Minimises from every start; {@code starts[s]} has nx values. */
  public static LaplaceResult[] run(Jobs jobs, LaplaceConfig cfg, List<double[]> starts) {
    final int n = starts.size();
    final int parts = jobs.partitions(n);
    final var inputs = jobs.inputs();
    List<DenseVector> shipped = new ArrayList<>();
    for (double[] x : starts) {
      shipped.add(new DenseVector(x));
    }
    JavaRDD<LaplaceResult> rdd = jobs.sc().parallelize(shipped, parts).mapPartitions(it -> {
      RunInputs in = inputs.value();
      Faults.check(in, "map");
      MapLaplace m = new MapLaplace(in.problem(), cfg);
      List<LaplaceResult> out = new ArrayList<>();
      while (it.hasNext()) {
        out.add(m.run(it.next().values()));
      }
      return out.iterator();
    });
    // parallelize keeps the order of the list across partitions, so collect() is in start order
    return rdd.collect().toArray(new LaplaceResult[0]);
  }
}
