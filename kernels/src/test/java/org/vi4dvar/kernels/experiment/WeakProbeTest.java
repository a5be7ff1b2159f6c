package org.vi4dvar.kernels.experiment;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.CorrelationModel;
import org.vi4dvar.kernels.var.FourDVarProblem;

class WeakProbeTest {
  @Test
  void probe() {
    Twin t = TwinExperiment.generate(TwinConfig.talk(3).withTruthForcing(8.5).withModelError(0.05)
        .withBackgroundCorrelation(CorrelationModel.GAUSSIAN, 2.0));
    FourDVarProblem p = t.problem().withEstimatedParameter("forcing", 8.0, 1.0);
    System.out.println(p);
    Settings s = Settings.small();
    ExperimentResult r = ExperimentRunner.run(new ExperimentInputs(p, t.truth(), s.build()),
        LocalParallel.threads(2), l -> System.out.println(l), null);
    for (MethodResult m : r.methods) {
      System.out.println(m.name + " avail=" + m.available() + " " + m.unavailable + " dim="
          + (m.posterior == null ? -1 : m.posterior.dimension()));
      if (m.available()) {
        System.out.println("  rmse " + m.summary().assim.rmse);
      }
    }
  }
}
