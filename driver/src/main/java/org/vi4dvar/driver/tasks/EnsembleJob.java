package org.vi4dvar.driver.tasks;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.vi4dvar.driver.spark.RunInputs;
import org.vi4dvar.kernels.ensemble.EnsembleConfig;
import org.vi4dvar.kernels.ensemble.EnsembleMember;
import org.vi4dvar.kernels.ensemble.EnsembleResult;

/**
 * Ensemble of 4D-Var on Spark: member k (perturbations from stream (seed, ENSEMBLE_MEMBER, k)) is one element
 * of the task RDD; one {@link EnsembleMember} per partition; the common start, if any, goes out with the tasks as
 * an MLlib {@link DenseVector}. Results come back in member order.
 */
public final class EnsembleJob {

  private EnsembleJob() {
  }

  /**
   * Runs the members.
   *
   * @param start where every member's minimisation starts, or null for its perturbed background
   */
  public static EnsembleResult[] run(Jobs jobs, EnsembleConfig cfg, int members, double[] start) {
    final int parts = jobs.partitions(members);
    final var inputs = jobs.inputs();
    final DenseVector from = start == null ? null : new DenseVector(start);
    JavaRDD<EnsembleResult> rdd = jobs.sc().parallelize(Jobs.indices(members), parts).mapPartitions(it -> {
      RunInputs in = inputs.value();
      Faults.check(in, "ensemble");
      EnsembleMember m = new EnsembleMember(in.problem(), cfg);
      List<EnsembleResult> out = new ArrayList<>();
      while (it.hasNext()) {
        int k = it.next();
        out.add(from == null ? m.run(k) : m.run(k, from.values()));
      }
      return out.iterator();
    });
    try (Progress progress = new Progress(jobs, "ensemble", parts, members, "members")) {
      return rdd.collect().toArray(new EnsembleResult[0]);
    }
  }
}
