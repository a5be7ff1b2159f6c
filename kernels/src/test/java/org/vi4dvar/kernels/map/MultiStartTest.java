package org.vi4dvar.kernels.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.optim.StopReason;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarProblem;

class MultiStartTest {

  static LaplaceResult at(double[] x, double cost, StopReason why) {
    return new LaplaceResult(x.length, x, x, cost, 0, cost, new OptimResult(why, 1, 1, cost, 0, null),
        HessianMethod.GAUSS_NEWTON, new double[x.length * x.length], 0, false, null, null);
  }

  @Test
  void groupsMinimaByCostAndPointAndExcludesFailures() {
    FourDVarProblem p = TwinExperiment.generate(TwinConfig.talk(1)).problem();
    double[] a = p.xb();
    double[] near = a.clone();
    near[3] += 1e-4 * p.bStd(3);                    // the same minimum, within POINT_TOL
    double[] far = a.clone();
    far[3] += 0.5 * p.bStd(3);                      // another point of the same cost: another minimum
    LaplaceResult[] r = {at(a, 100.0, StopReason.GRADIENT_TOLERANCE), at(far, 100.0, StopReason.COST_TOLERANCE),
        at(near, 100.0 + 1e-8, StopReason.MAX_ITERATIONS), at(a, 50.0, StopReason.GRADIENT_TOLERANCE),
        at(a, Double.NaN, StopReason.DIVERGED), at(a, 10.0, StopReason.DIVERGED)};
    assertEquals(3, MultiStart.best(r));
    int[] ids = MultiStart.minimumIds(r, p);
    assertArrayEquals(new int[] {1, 2, 1, 0, -1, -1}, ids);
    assertEquals(3, MultiStart.distinct(ids));
    assertTrue(MultiStart.failed(r[4]) && MultiStart.failed(r[5]));
  }

  @Test
  void allFailedHasNoBest() {
    FourDVarProblem p = TwinExperiment.generate(TwinConfig.talk(1)).problem();
    LaplaceResult[] r = {at(p.xb(), Double.POSITIVE_INFINITY, StopReason.LINE_SEARCH_FAILED)};
    assertEquals(-1, MultiStart.best(r));
    assertEquals(0, MultiStart.distinct(MultiStart.minimumIds(r, p)));
  }
}
