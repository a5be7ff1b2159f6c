package org.vi4dvar.driver.tasks;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.vi4dvar.driver.spark.RunInputs;
import org.vi4dvar.kernels.vi.Vi4dVar;
import org.vi4dvar.kernels.vi.ViConfig;
import org.vi4dvar.kernels.vi.ViResult;
import scala.Tuple2;

/**
 * VI-4D-Var restarts on Spark: restart r (stream (seed, VI_RESTART, r), start {@code starts[r]}, jittered for
 * r &gt; 0 by the kernel) is one element of the task RDD, its start shipped as an MLlib {@link DenseVector}; one
 * {@link Vi4dVar} per partition. Results come back in restart order.
 */
public final class ViJob {

  private ViJob() {
  }

  /** Runs one restart per start ({@code starts[r]} null: the background). */
  public static ViResult[] run(Jobs jobs, ViConfig cfg, List<double[]> starts) {
    final int n = starts.size();
    final int parts = jobs.partitions(n);
    final var inputs = jobs.inputs();
    double[] xb = jobs.in().problem().xb();
    List<Tuple2<Integer, DenseVector>> shipped = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      shipped.add(new Tuple2<>(r, new DenseVector(starts.get(r) == null ? xb : starts.get(r))));
    }
    JavaRDD<ViResult> rdd = jobs.sc().parallelize(shipped, parts).mapPartitions(it -> {
      RunInputs in = inputs.value();
      Faults.check(in, "vi");
      Vi4dVar vi = new Vi4dVar(in.problem(), cfg);
      List<ViResult> out = new ArrayList<>();
      while (it.hasNext()) {
        Tuple2<Integer, DenseVector> r = it.next();
        out.add(vi.run(r._1(), r._2().values()));
      }
      return out.iterator();
    });
    try (Progress progress = new Progress(jobs, "vi", parts, n, "restarts")) {
      return rdd.collect().toArray(new ViResult[0]);
    }
  }
}
