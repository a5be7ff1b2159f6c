package org.vi4dvar.driver.tasks;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.vi4dvar.driver.spark.RunInputs;
import org.vi4dvar.kernels.vi.Vi4dVar;
import org.vi4dvar.kernels.vi.ViConfig;
import org.vi4dvar.kernels.vi.ViResult;

/**
 * VI-4D-Var restarts on Spark: restart r (stream (seed, VI_RESTART, r), start {@code starts[r]}, jittered for
 * r &gt; 0 by the kernel) is one element of the task RDD; one {@link Vi4dVar} per partition. Results come back in
 * restart order.
 */
public final class ViJob {

  private ViJob() {
  }

  /** Runs one restart per start ({@code starts[r]} null: the background). */
  public static ViResult[] run(Jobs jobs, ViConfig cfg, List<double[]> starts) {
    final int n = starts.size();
    final int parts = jobs.partitions(n);
    final var inputs = jobs.inputs();
    List<double[]> shipped = new ArrayList<>(starts);
    JavaRDD<Integer> idx = jobs.sc().parallelize(Jobs.indices(n), parts);
    JavaRDD<ViResult> rdd = idx.mapPartitions(it -> {
      RunInputs in = inputs.value();
      Faults.check(in, "vi");
      Vi4dVar vi = new Vi4dVar(in.problem(), cfg);
      List<ViResult> out = new ArrayList<>();
      while (it.hasNext()) {
        int r = it.next();
        out.add(vi.run(r, shipped.get(r)));
      }
      return out.iterator();
    });
    try (Progress progress = new Progress(jobs, "vi", parts, n, "restarts")) {
      return rdd.collect().toArray(new ViResult[0]);
    }
  }
}
