package org.vi4dvar.kernels.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.ViStarts;
import org.vi4dvar.kernels.testing.WhitenedCost;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * The defaults converge — stop reason {@code converged} — without tuning, for both Gaussian families, on the
 * talk's data (nx 16, y = x², conf/data/l96-talk) and on a near-linear twin, from the two kinds of start the
 * runner passes: the Laplace approximation at a minimum, and a fraction of the prior.
 */
class TalkViTest {

  private static void convergesFromBothStarts(Twin tw, String name) {
    FourDVarProblem p = tw.problem();
    WhitenedCost f = new WhitenedCost(p);
    // the minimum the cascade's best start leads to: here, L-BFGS from the truth (from the background it ends
    // in a poor local minimum of the talk's J, 1133 against 40)
    double[] vt = new double[p.nx()];
    f.transform().toWhitened(Arrays.copyOf(tw.truth(), p.nx()), new double[p.nx()], vt);
    ViStart laplace = ViStarts.laplace(f, vt);
    ViStart fraction = ViStart.isotropic(laplace.mean(), 0.1);
    for (ViStart st : new ViStart[] {laplace, fraction}) {
      VariationalResult[] r = new VariationalResult[2];
      int k = 0;
      for (VariationalFamily fam : new VariationalFamily[] {VariationalFamily.MEAN_FIELD,
          VariationalFamily.FULL_RANK}) {
        VariationalInference vi = new VariationalInference(f, f.transform(),
            VariationalConfig.builder(5).family(fam).build());
        r[k] = vi.run(0, st);
        assertEquals(ViStopReason.CONVERGED, r[k].stopReason, name + " " + st.kind() + " " + r[k]);
        assertTrue(Double.isFinite(r[k].elbo) && r[k].elboStdErr > 0 && r[k].elboStdErr < 0.5, r[k].toString());
        k++;
      }
      // full rank contains mean field: at the optimum its ELBO is not lower (issue 12: it was, by 2 nats)
      assertTrue(r[1].elbo > r[0].elbo - 3 * Math.hypot(r[0].elboStdErr, r[1].elboStdErr),
          name + ": " + r[0] + " vs " + r[1]);
    }
  }

  @Test
  void defaultsConvergeOnTheTalksData() {
    convergesFromBothStarts(TalkData.load(), "talk");
  }

  @Test
  void defaultsConvergeOnANearLinearTwin() {
    // identity observations of every other point, a short window (4 states, dt 0.05): the posterior is
    // Gaussian to a fraction of a percent
    TwinConfig c = new TwinConfig(21, 16, 8.0, 0.05, 64, 4, 4, 1, Nonlinearity.IDENTITY, 0.5, 1,
        0.05, 0.10, 0.10, 0.20, 1.0);
    convergesFromBothStarts(TwinExperiment.generate(c), "near-linear");
  }
}
