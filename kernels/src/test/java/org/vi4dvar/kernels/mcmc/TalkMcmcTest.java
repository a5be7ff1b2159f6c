package org.vi4dvar.kernels.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.diagnostics.ConvergenceSummary;
import org.vi4dvar.kernels.map.FourDVarObjective;
import org.vi4dvar.kernels.map.LaplaceConfig;
import org.vi4dvar.kernels.map.LaplaceResult;
import org.vi4dvar.kernels.map.MapLaplace;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * The default sampler on the talk's data, as the package comment reports it: 4 NUTS chains (dense metric) of 1000
 * draws after 1000 warm-up iterations from the MAP found from the best of 10⁵ ABC trials; and a cross-check
 * against HMC, a different algorithm on the same strongly non-Gaussian target: the two posterior means agree within
 * their Monte Carlo errors. ~15 s on one core, so tagged {@code slow} ({@code mvn -B -o -pl kernels verify -Pslow}).
 */
@Tag("slow")
class TalkMcmcTest {

  private static ConvergenceSummary run(FourDVarProblem p, double[] v0, McmcConfig cfg) {
    McmcSampler s = new McmcSampler(new WhitenedTarget(new FourDVarObjective(new FourDVarCost(p)),
        p.background()), cfg);
    List<ChainResult> chains = new ArrayList<>();
    for (int c = 0; c < cfg.chains; c++) {
      chains.add(s.run(c, v0));
    }
    return Mcmc.summary(chains, p.background());
  }

  @Test
  void nutsConvergesOnTheTalksPosteriorAndAgreesWithHmc() {
    Twin tw = TalkData.load();
    FourDVarProblem p = tw.problem();
    AbcResult abc = new AbcSampler(p, AbcConfig.of(1, 100_000, 100)).runBlocks(new long[] {0, 1}, null);
    LaplaceResult map = new MapLaplace(p, LaplaceConfig.defaults()).run(abc.keptX(abc.keptByCost()[0]));
    double[] v0 = new double[16];
    for (int i = 0; i < 16; i++) {
      v0[i] = (map.x0[i] - p.xb(i)) / p.bStd(i);
    }
    McmcConfig cfg = McmcConfig.defaults(7);
    assertEquals(SamplerKind.NUTS, cfg.sampler);
    assertEquals(MetricAdaptation.DENSE, cfg.metric);
    ConvergenceSummary sum = run(p, v0, cfg);
    assertTrue(sum.maxRhat() < 1.01, "R-hat " + sum.maxRhat());
    assertTrue(sum.minEssBulk() > 400 && sum.minEssTail() > 400, sum.minEssBulk() + " " + sum.minEssTail());
    // the posterior mean of x0 is closer to the truth than the background is
    double dm = 0;
    double db = 0;
    for (int i = 0; i < 16; i++) {
      dm += Math.pow(sum.mean[i] - tw.truth()[i], 2);
      db += Math.pow(p.xb(i) - tw.truth()[i], 2);
    }
    assertTrue(dm < db, "mean error " + Math.sqrt(dm / 16) + " vs background " + Math.sqrt(db / 16));
    // HMC on the same target, other seed: means within 4 combined MCSE (16 checks: a false alarm ≈ 1e-3)
    ConvergenceSummary hmc = run(p, v0, cfg.withSampler(SamplerKind.HMC).withSeed(8));
    assertTrue(hmc.maxRhat() < 1.01, "HMC R-hat " + hmc.maxRhat());
    for (int i = 0; i < 16; i++) {
      double se = Math.hypot(sum.mcseMean[i], hmc.mcseMean[i]);
      assertEquals(sum.mean[i], hmc.mean[i], 4 * se, "component " + i + " NUTS vs HMC");
      assertEquals(sum.sd[i], hmc.sd[i], 4 * Math.hypot(sum.mcseSd[i], hmc.mcseSd[i]), "sd " + i);
    }
  }
}
