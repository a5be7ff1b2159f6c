package org.vi4dvar.driver.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.vi4dvar.kernels.var.FourDVarCost;

/**
 * The 4D-Var cost {@code J = Jb + Jo} of the background and (when known) of the true x0, each evaluated in a
 * Spark task from the broadcast inputs: a cheap end-to-end check of the broadcast, Kryo and task path before
 * the estimators run.
 */
public final class CostCheck {

  /**
   * One evaluated start.
   *
   * @param label {@code background} or {@code truth}
   * @param j the cost
   * @param jb its background part
   * @param jo its observation part
   */
  public record Cost(String label, double j, double jb, double jo) {
  }

  private CostCheck() {
  }

  /** Evaluates the costs in tasks, one per start. */
  public static List<Cost> run(JavaSparkContext sc, Broadcast<RunInputs> inputs) {
    RunInputs in = inputs.value();
    int n = in.hasTruth() ? 2 : 1;
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      idx.add(i);
    }
    List<double[]> res = sc.parallelize(idx, n).map(i -> evaluate(inputs.value(), i)).collect();
    List<Cost> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] r = res.get(i);
      out.add(new Cost(i == 0 ? "background" : "truth", r[0], r[1], r[2]));
    }
    return out;
  }

  /** {@code {J, Jb, Jo}} of start {@code i} (0 = background, 1 = true x0); runs in a task. */
  static double[] evaluate(RunInputs in, int i) {
    FourDVarCost cost = new FourDVarCost(in.problem());
    double[] x0 = i == 0 ? in.problem().xb() : in.truthX0();
    double j = cost.cost(x0);
    return new double[] {j, cost.lastBackgroundCost(), cost.lastObservationCost()};
  }
}
