package org.vi4dvar.kernels.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.kernels.var.ControlPropagator;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Facts about the data, computed in one task before the methods (an end-to-end check of the shared inputs):
 * the 4D-Var cost J at the background and, when the truth is known, at the true control
 * ({@link ExperimentInputs#truthControl}: its x0, the η it drew and its parameters where known), and the RMSE of
 * the background's trajectory against the truth over the assimilated and the forecast states (the number every
 * method should beat).
 */
public final class DataFacts {

  private DataFacts() {
  }

  /** The facts, with the keys of summary.json's {@code data} section. */
  public static Map<String, Object> compute(Parallel parallel, Shared<ExperimentInputs> inputs) {
    List<Parallel.Part<double[]>> parts = parallel.run(Job.of("data", "data: J at the background and the truth",
        "checks", 1), inputs, 1, (ExperimentInputs in, long lo, long hi, TaskProgress p) -> evaluate(in));
    double[] v = parts.get(0).value;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cost_at_background", v[0]);
    m.put("background_cost_at_background", v[1]);
    m.put("observation_cost_at_background", v[2]);
    if (v.length > 3) {
      m.put("cost_at_truth", v[3]);
      String source = inputs.get().truthControlSource();
      if (source != null) {
        m.put("cost_at_truth_control", source);
      }
      m.put("background_cost_at_truth", v[4]);
      m.put("observation_cost_at_truth", v[5]);
      m.put("background_rmse_assim", v[6]);
      m.put("background_rmse_forecast", v[7]);
    }
    return m;
  }

  static double[] evaluate(ExperimentInputs in) {
    FourDVarProblem p = in.problem();
    FourDVarCost cost = new FourDVarCost(p);
    double[] cb = p.control().centerVector();
    double j = cost.cost(cb);
    double jb = cost.lastPriorCost();
    double jo = cost.lastObservationCost();
    if (!in.hasTruth()) {
      return new double[] {j, jb, jo};
    }
    // J at the true control: x0, and for an extended control the η it drew and its parameters where known
    double jt = cost.cost(in.truthControl());
    double jbt = cost.lastPriorCost();
    double jot = cost.lastObservationCost();
    ControlPropagator prop = p.newPropagator();
    double[] traj = new double[prop.trajectorySize()];
    prop.trajectory(cb, traj);
    double[] truth = in.truth();
    int split = p.nAssim() * p.nx();
    double a = 0;
    double f = 0;
    for (int k = 0; k < traj.length; k++) {
      double d = traj[k] - truth[k];
      if (k < split) {
        a += d * d;
      } else {
        f += d * d;
      }
    }
    double ra = Math.sqrt(a / split);
    double rf = traj.length > split ? Math.sqrt(f / (traj.length - split)) : Double.NaN;
    return new double[] {j, jb, jo, jt, jbt, jot, ra, rf};
  }
}
