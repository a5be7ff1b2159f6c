package org.vi4dvar.kernels.var;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.Twin;

class TalkCostSmokeTest {

  @Test
  void costAtTruthMatchesTheDatasetReadme() {
    Twin tw = TalkData.load();
    FourDVarCost c = new FourDVarCost(tw.problem());
    double[] x0 = java.util.Arrays.copyOf(tw.truth(), 16);
    double j = c.cost(x0);
    // README: ≈ 49.13; the data were made in float32, so the truth trajectory itself carries float32 error
    assertEquals(49.13, j, 0.05);
    assertEquals(91, tw.problem().nObs());
  }
}
