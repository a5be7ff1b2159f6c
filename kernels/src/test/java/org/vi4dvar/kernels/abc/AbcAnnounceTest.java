package org.vi4dvar.kernels.abc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Experiments;
import org.vi4dvar.kernels.experiment.LocalParallel;
import org.vi4dvar.kernels.experiment.Shared;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.Twin;

/**
 * Issue 10: a sweep that will take more than a minute says so, with its estimated time, before it starts; a short
 * one says nothing. The estimate comes from 8192 trials timed now, so the test only checks the line's presence and
 * its figures' form (10¹⁵ trials at any plausible rate are years; 10⁷ are not estimated at all).
 */
class AbcAnnounceTest {

  private static List<String> announced(long trials) {
    Twin t = TalkData.load();
    ExperimentInputs in = new ExperimentInputs(t.problem(), t.truth(), Settings.small().build());
    List<String> lines = new ArrayList<>();
    LocalParallel par = LocalParallel.sequential();
    try (Shared<ExperimentInputs> shared = par.share(in)) {
      AbcMethod.announce(Experiments.of(in, shared, par, lines::add), AbcConfig.of(1, trials, 100), "abc");
    }
    return lines;
  }

  @Test
  void aSweepOfYearsIsAnnouncedWithItsTime() {
    List<String> lines = announced(1_000_000_000_000_000L);
    assertEquals(1, lines.size(), lines::toString);
    String l = lines.get(0);
    assertTrue(l.startsWith("abc: 1.00e+15 trials will take about "), l);
    assertTrue(l.contains("on 1 cores") && l.contains("Ctrl-C stops it"), l);
  }

  @Test
  void aShortSweepIsNotEstimated() {
    assertTrue(announced(AbcMethod.ESTIMATE_ABOVE).isEmpty());
  }
}
