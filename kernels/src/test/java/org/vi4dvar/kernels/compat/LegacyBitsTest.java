package org.vi4dvar.kernels.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.ensemble.EnsembleConfig;
import org.vi4dvar.kernels.ensemble.EnsembleMember;
import org.vi4dvar.kernels.ensemble.EnsembleResult;
import org.vi4dvar.kernels.map.HessianMethod;
import org.vi4dvar.kernels.map.LaplaceConfig;
import org.vi4dvar.kernels.map.LaplaceResult;
import org.vi4dvar.kernels.map.MapLaplace;
import org.vi4dvar.kernels.optim.AdamConfig;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.MinimizationSpace;

/**
 * With a strong-constraint problem and a diagonal B, every number the kernel produced before the control was
 * extended (issue 12: B as an operator, minimisation in v; issue 15: weak constraint and parameters) is still
 * produced, bit for bit: twins, the cost and its gradient, start jitter, the finite-difference and Gauss–Newton
 * Hessians, MAP/Laplace and ensemble members minimising in c ({@link MinimizationSpace#CONTROL}), and ABC (the talk's VI, also recorded then, was removed after commit 2886da8).
 * The expected values are FNV-1a hashes of the results' bit patterns recorded at commit fa6371f (before these
 * changes) by {@link #compute()}; a change of one ulp anywhere changes its hash.
 */
class LegacyBitsTest {

  /** Recorded at fa6371f. */
  private static final Map<String, Long> RECORDED = Map.ofEntries(
      Map.entry("twin42", 8985642650602842233L),
      Map.entry("twin7", 3812492422961886473L),
      Map.entry("jitter", 5482274709979716631L),
      Map.entry("cost", -1402132279237592947L),
      Map.entry("fdHessian", -7838315708403947173L),
      Map.entry("gnHessian", 4838117125350777404L),
      Map.entry("mapTalk", 6452254731279488294L),
      Map.entry("mapLinearFINITE_DIFFERENCE", 4201795487320115202L),
      Map.entry("mapLinearGAUSS_NEWTON", -5253591973130645246L),
      Map.entry("ensembleTalk", 9169652031287385860L),
      Map.entry("ensembleLinear", -5660498506082537650L),
      Map.entry("abc", -5093013363202405574L));

  /** FNV-1a over the lengths and the raw bits of the values. */
  static long hash(double[]... arrays) {
    long h = 0xcbf29ce484222325L;
    for (double[] a : arrays) {
      h = (h ^ a.length) * 0x100000001b3L;
      for (double v : a) {
        h = (h ^ Double.doubleToLongBits(v)) * 0x100000001b3L;
      }
    }
    return h;
  }

  /** The hashed results, by name. */
  static Map<String, Long> compute() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (long seed : new long[] {42, 7}) {
      Twin t = TwinExperiment.generate(TwinConfig.talk(seed));
      FourDVarProblem p = t.problem();
      m.put("twin" + seed, hash(p.xb(), p.bStd(), p.y(), p.obsStd(), t.truth()));
    }
    Twin talk = TalkData.load();
    FourDVarProblem p = talk.problem();
    FourDVarCost c = new FourDVarCost(p);
    double[] x = MapLaplace.jitteredStart(p, p.xb(), 0.5, 3, 1);
    m.put("jitter", hash(x));
    double[] g = new double[16];
    double j = c.costAndGradient(x, g);
    m.put("cost", hash(new double[] {j, c.lastBackgroundCost(), c.lastObservationCost()}, g));
    LaplaceConfig lc = LaplaceConfig.defaults().withSpace(MinimizationSpace.CONTROL);
    MapLaplace ml = new MapLaplace(p, lc);
    double[] truth0 = Arrays.copyOf(talk.truth(), 16);
    double[] h = new double[256];
    double asym = ml.finiteDifferenceHessian(truth0, h);
    m.put("fdHessian", hash(h, new double[] {asym}));
    ml.gaussNewtonHessian(truth0, h);
    m.put("gnHessian", hash(h));
    LaplaceResult r = ml.run(truth0);
    m.put("mapTalk", hash(r.x0, new double[] {r.cost, r.backgroundCost, r.observationCost}, r.hessian,
        r.covariance, r.optim.costTrace));
    LinearGaussian lg = LinearGaussian.standard();
    for (HessianMethod hm : HessianMethod.values()) {
      LaplaceResult q = new MapLaplace(lg.problem, lc.withHessian(hm)).runFromBackground();
      m.put("mapLinear" + hm, hash(q.x0, q.hessian, q.covariance, q.hessianCholesky));
    }
    EnsembleMember em = new EnsembleMember(p, EnsembleConfig.of(1).withSpace(MinimizationSpace.CONTROL));
    EnsembleResult e = em.run(3);
    FourDVarProblem pk = em.perturbedProblem(3);
    m.put("ensembleTalk", hash(e.x0, e.start, new double[] {e.cost, e.costUnperturbed}, e.costTrace, pk.xb(),
        pk.y()));
    EnsembleResult el = new EnsembleMember(lg.problem, EnsembleConfig.of(2).withSpace(MinimizationSpace.CONTROL)).run(5);
    m.put("ensembleLinear", hash(el.x0, el.costTrace));
    AbcResult a = new AbcSampler(p, AbcConfig.of(1, 2000, 20).withBlockSize(1000)).runBlocks(new long[] {0, 1},
        null);
    m.put("abc", hash(a.topX, a.topDistance, a.topCost));
    return m;
  }

  @Test
  void strongConstraintDiagonalBIsBitIdenticalToBefore() {
    Map<String, Long> now = compute();
    assertEquals(RECORDED.keySet(), now.keySet());
    for (Map.Entry<String, Long> e : now.entrySet()) {
      assertEquals(RECORDED.get(e.getKey()), e.getValue(), e.getKey());
    }
  }
}
