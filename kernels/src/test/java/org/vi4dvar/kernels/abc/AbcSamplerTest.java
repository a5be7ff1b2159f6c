package org.vi4dvar.kernels.abc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.model.LinearModel;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.stats.RunningStats;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.SampleMoments;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

class AbcSamplerTest {

  private static final FourDVarProblem TALK = TalkData.load().problem();

  /** 13 blocks of 1000 trials, the last one partial; prior sample across two blocks; a threshold. */
  private static AbcConfig thirteenBlocks() {
    return AbcConfig.of(42, 12_500, 50).withBlockSize(1000).withPrior(1500).withThreshold(3000.0);
  }

  private static long[] range(long n) {
    long[] r = new long[(int) n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /**
   * Bit-for-bit equality of every field but {@link AbcResult#stepsDone} (Arrays.equals on double[] compares
   * bits via doubleToLongBits).
   */
  static void assertSameResult(AbcResult a, AbcResult b) {
    assertEquals(a.trials, b.trials);
    assertEquals(a.nonFinite, b.nonFinite);
    assertEquals(a.accepted, b.accepted);
    assertEquals(a.statsTrials, b.statsTrials);
    assertEquals(a.stepsFull, b.stepsFull); // stepsDone is the work, which depends on the grouping
    assertTrue(Arrays.equals(a.topDistance, b.topDistance), "topDistance");
    assertTrue(Arrays.equals(a.topIndex, b.topIndex), "topIndex");
    assertTrue(Arrays.equals(a.topCost, b.topCost), "topCost");
    assertTrue(Arrays.equals(a.topX, b.topX), "topX");
    assertTrue(Arrays.equals(a.priorIndex, b.priorIndex), "priorIndex");
    assertTrue(Arrays.equals(a.priorDistance, b.priorDistance), "priorDistance");
    assertTrue(Arrays.equals(a.priorCost, b.priorCost), "priorCost");
    assertTrue(Arrays.equals(a.priorX, b.priorX), "priorX");
    assertTrue(Arrays.equals(a.blockIndex, b.blockIndex), "blockIndex");
    assertTrue(Arrays.equals(a.blockCount, b.blockCount), "blockCount");
    assertTrue(Arrays.equals(a.blockMean, b.blockMean), "blockMean");
    assertTrue(Arrays.equals(a.blockM2, b.blockM2), "blockM2");
    assertTrue(Arrays.equals(a.blockMin, b.blockMin), "blockMin");
    assertTrue(Arrays.equals(a.blockMax, b.blockMax), "blockMax");
    assertTrue(Arrays.equals(a.histogram, b.histogram), "histogram");
    RunningStats sa = a.distanceStats();
    RunningStats sb = b.distanceStats();
    assertEquals(Double.doubleToLongBits(sa.mean()), Double.doubleToLongBits(sb.mean()));
    assertEquals(Double.doubleToLongBits(sa.m2()), Double.doubleToLongBits(sb.m2()));
  }

  @Test
  void oneBlockAtATimeMergedInAnyOrderEqualsOneSequentialPassBitForBit() {
    AbcConfig c = thirteenBlocks();
    assertEquals(13, c.blocks());
    AbcResult sequential = new AbcSampler(TALK, c).runBlocks(range(13), null);
    assertTrue(sequential.complete());
    List<AbcResult> parts = new ArrayList<>();
    for (long b = 0; b < 13; b++) {
      parts.add(new AbcSampler(TALK, c).runBlock(b)); // a fresh sampler per block, as in separate tasks
    }
    // left fold in block order
    AbcResult fold = AbcResult.empty(c, 16);
    for (AbcResult p : parts) {
      fold = AbcResult.merge(fold, p);
    }
    assertSameResult(sequential, fold);
    // shuffled left folds and a pairwise tree with the operands swapped
    for (long seed = 0; seed < 3; seed++) {
      List<AbcResult> sh = new ArrayList<>(parts);
      Collections.shuffle(sh, new Random(seed));
      AbcResult f = AbcResult.empty(c, 16);
      for (AbcResult p : sh) {
        f = AbcResult.merge(p, f);
      }
      assertSameResult(sequential, f);
      List<AbcResult> level = sh;
      while (level.size() > 1) {
        List<AbcResult> next = new ArrayList<>();
        for (int i = 0; i + 1 < level.size(); i += 2) {
          next.add(AbcResult.merge(level.get(i + 1), level.get(i)));
        }
        if (level.size() % 2 == 1) {
          next.add(level.get(level.size() - 1));
        }
        level = next;
      }
      assertSameResult(sequential, level.get(0));
    }
    // two uneven partitions, blocks given out of order within a task
    AbcSampler s = new AbcSampler(TALK, c);
    AbcResult p1 = s.runBlocks(new long[] {12, 0, 7, 3}, null);
    AbcResult p2 = s.runBlocks(new long[] {1, 2, 4, 5, 6, 8, 9, 10, 11}, null); // sampler reused
    assertSameResult(sequential, AbcResult.merge(p2, p1));
  }

  @Test
  void resultsDoNotDependOnTheEvaluationChunk() {
    AbcConfig c = thirteenBlocks().withTrials(2500);
    AbcResult ref = new AbcSampler(TALK, c).runBlocks(range(c.blocks()), null);
    for (int chunk : new int[] {1, 7, 1000, 4096}) {
      assertSameResult(ref, new AbcSampler(TALK, c.withChunk(chunk)).runBlocks(range(c.blocks()), null));
    }
  }

  /** One brute-force trial: index, distance, cost, x0, by the scalar cost and an independent draw loop. */
  private static final class Trial {
    long index;
    double distance;
    double cost;
    double[] x0;
  }

  private static List<Trial> bruteForce(FourDVarProblem p, AbcConfig c) {
    FourDVarCost cost = new FourDVarCost(p);
    List<Trial> all = new ArrayList<>();
    for (long b = 0; b < c.blocks(); b++) {
      RandomStream z = RandomStream.of(c.seed, Domain.ABC_BLOCK, b);
      RandomStream u = RandomStream.of(c.seed, Domain.ABC_BLOCK, -1 - b);
      for (int s = 0; s < c.trialsInBlock(b); s++) {
        Trial t = new Trial();
        t.index = b * c.blockSize + s;
        t.x0 = new double[p.nx()];
        for (int i = 0; i < p.nx(); i++) {
          t.x0[i] = p.xb(i) + p.bStd(i) * z.nextGaussian();
        }
        t.cost = cost.cost(t.x0);
        double jo = cost.lastObservationCost();
        t.distance = c.distance == AbcDistance.FULL ? t.cost
            : c.distance == AbcDistance.OBSERVATION ? jo : jo + Math.log1p(-u.nextDouble());
        all.add(t);
      }
    }
    return all;
  }

  @Test
  void keepsExactlyTheKSmallestAgainstABruteForcePass() {
    for (AbcDistance d : AbcDistance.values()) {
      AbcConfig c = AbcConfig.of(3, 5000, 37).withBlockSize(700).withPrior(800).withThreshold(2000.0)
          .withDistance(d);
      List<Long> consumed = new ArrayList<>();
      List<double[]> consumedX = new ArrayList<>();
      AbcResult r = new AbcSampler(TALK, c).runBlocks(range(c.blocks()), (trial, dist, j, x0) -> {
        consumed.add(trial);
        consumedX.add(x0.clone());
      });
      List<Trial> all = bruteForce(TALK, c);
      List<Trial> sorted = new ArrayList<>(all);
      sorted.sort(Comparator.<Trial>comparingDouble(t -> t.distance).thenComparingLong(t -> t.index));
      assertEquals(37, r.kept());
      for (int i = 0; i < 37; i++) {
        Trial t = sorted.get(i);
        assertEquals(t.index, r.topIndex[i], d + " rank " + i);
        assertEquals(t.distance, r.topDistance[i], 0.0);
        assertEquals(t.cost, r.topCost[i], 0.0);
        assertArrayEquals(t.x0, r.keptX(i), 0.0);
      }
      assertEquals(37, Arrays.stream(r.topIndex).distinct().count(), "no duplicates");
      // threshold: exactly the trials with distance ≤ 2000, in trial order
      List<Long> expect = new ArrayList<>();
      for (Trial t : all) {
        if (t.distance <= 2000.0) {
          expect.add(t.index);
        }
      }
      assertEquals(expect, consumed);
      assertEquals(expect.size(), r.accepted);
      for (int i = 0; i < consumed.size(); i++) {
        assertArrayEquals(all.get((int) (long) consumed.get(i)).x0, consumedX.get(i), 0.0);
      }
      // prior sample = trials 0..799
      assertEquals(800, r.priorIndex.length);
      for (int i = 0; i < 800; i++) {
        assertEquals(i, r.priorIndex[i]);
        assertEquals(all.get(i).distance, r.priorDistance[i], 0.0);
        assertArrayEquals(all.get(i).x0, Arrays.copyOfRange(r.priorX, i * 16, i * 16 + 16), 0.0);
      }
      // histogram and statistics of the distances
      double[] e = c.histogramEdges();
      long[] h = new long[e.length + 1];
      double sum = 0;
      for (Trial t : all) {
        int bin = 0;
        while (bin < e.length && e[bin] <= t.distance) {
          bin++;
        }
        h[bin]++;
        sum += t.distance;
      }
      assertArrayEquals(h, r.histogram);
      double mean = sum / all.size();
      double m2 = 0;
      for (Trial t : all) {
        m2 += (t.distance - mean) * (t.distance - mean);
      }
      RunningStats st = r.distanceStats();
      assertEquals(all.size(), st.count());
      assertEquals(mean, st.mean(), Tol.RUNNING_STATS * Math.abs(mean) + 1e-12);
      assertEquals(m2, st.m2(), Tol.RUNNING_STATS * m2);
      assertEquals(sorted.get(0).distance, st.min(), 0.0);
      assertEquals(sorted.get(sorted.size() - 1).distance, st.max(), 0.0);
    }
  }

  @Test
  void tiesAreBrokenByTrialIndexWithoutDuplicates() {
    TopK t = new TopK(5, 1);
    long[] order = {9, 3, 7, 1, 4, 8, 2, 6, 0, 5};
    double[] src = new double[1];
    for (long i : order) {
      double d = i % 2 == 0 ? 1.0 : 2.0; // five ties at 1.0 (even indices), five at 2.0
      src[0] = i;
      if (t.wants(d, i)) {
        t.offer(d, i, d, src, 0, 1);
      }
    }
    double[] dd = new double[5];
    long[] ii = new long[5];
    double[] cc = new double[5];
    double[] xx = new double[5];
    t.drainSorted(dd, ii, cc, xx);
    assertArrayEquals(new long[] {0, 2, 4, 6, 8}, ii);
    assertArrayEquals(new double[] {0, 2, 4, 6, 8}, xx, 0.0);
    assertArrayEquals(new double[] {1, 1, 1, 1, 1}, dd, 0.0);
  }

  @Test
  void nonFiniteDistancesAreCountedAndExcluded() {
    // x1 = 1e154 x0 and y1 observed: (1e154 x0 − y)² overflows to +∞ once |x0| > ~1.34
    FourDVarProblem p = new FourDVarProblem(new LinearModel(1, new double[] {1e154}),
        new ObservationOperator(1, 1, Nonlinearity.IDENTITY), 2, 2, new double[] {0.0}, new double[] {1.0},
        new double[] {Double.NaN, 0.0}, new double[] {Double.NaN, 1.0});
    AbcConfig c = AbcConfig.of(1, 10_000, 20).withBlockSize(3000).withPrior(10);
    AbcResult r = new AbcSampler(p, c).runBlocks(range(c.blocks()), null);
    long expected = 0;
    for (Trial t : bruteForce(p, c)) {
      if (!Double.isFinite(t.distance)) {
        expected++;
      }
    }
    assertTrue(expected > 1000 && expected < 2500, "about 18 % overflow: " + expected);
    assertEquals(expected, r.nonFinite);
    assertEquals(10_000 - expected, r.distanceStats().count());
    assertEquals(10_000 - expected, Arrays.stream(r.histogram).sum());
    assertTrue(Double.isFinite(r.distanceStats().mean()));
    for (double d : r.topDistance) {
      assertTrue(Double.isFinite(d));
    }
  }

  @Test
  void mergeRejectsOverlapsAndOtherRuns() {
    AbcConfig c = thirteenBlocks();
    AbcResult a = new AbcSampler(TALK, c).runBlock(2);
    assertThrows(IllegalArgumentException.class, () -> AbcResult.merge(a, a));
    AbcResult other = new AbcSampler(TALK, c.withKeep(3)).runBlock(3);
    assertThrows(IllegalArgumentException.class, () -> AbcResult.merge(a, other));
    assertThrows(IllegalArgumentException.class, () -> new AbcSampler(TALK, c).runBlock(13));
    assertThrows(IllegalArgumentException.class,
        () -> new AbcSampler(TALK, c).runBlocks(new long[] {1, 1}, null));
  }

  /**
   * With the likelihood-rejection distance, ABC is an exact posterior sampler: on a linear-Gaussian problem
   * with few, noisy observations (acceptance ≈ 10 %), both the threshold-0 trials and the k kept ones (whose
   * k-th distance is ≤ 0) have the exact posterior mean and covariance within Monte Carlo error.
   */
  @Test
  void likelihoodRejectionSamplesTheExactLinearGaussianPosterior() {
    LinearGaussian lg = LinearGaussian.create(77, 3, 4, 3, 0.6, 0.8, 1.2);
    int k = 4000;
    AbcConfig c = AbcConfig.of(11, 100_000, k).withBlockSize(8192).withThreshold(0.0)
        .withDistance(AbcDistance.LIKELIHOOD_REJECTION);
    List<double[]> acc = new ArrayList<>();
    AbcResult r = new AbcSampler(lg.problem, c).runBlocks(range(c.blocks()), (t, d, j, x) -> acc.add(x.clone()));
    assertTrue(r.accepted > 2 * k, "acceptance too low for the test: " + r.accepted);
    assertTrue(r.topDistance[k - 1] <= 0.0, "the k-th distance must be <= 0 for exactness");
    double[] flat = new double[acc.size() * 3];
    for (int i = 0; i < acc.size(); i++) {
      System.arraycopy(acc.get(i), 0, flat, 3 * i, 3);
    }
    SampleMoments all = new SampleMoments(flat, acc.size(), 3);
    assertTrue(all.maxStandardisedError(lg.mean, lg.covariance) <= Tol.MC_SIGMAS,
        "threshold sample: " + all.maxStandardisedError(lg.mean, lg.covariance));
    SampleMoments kept = new SampleMoments(r.topX, k, 3);
    assertTrue(kept.maxStandardisedError(lg.mean, lg.covariance) <= Tol.MC_SIGMAS,
        "kept sample: " + kept.maxStandardisedError(lg.mean, lg.covariance));
    // and the prior is not the posterior: the test can fail (the prior mean is many sd away)
    double[] prior = new double[30000];
    RandomStream z = RandomStream.of(5, Domain.OTHER, 0);
    for (int i = 0; i < 10000; i++) {
      for (int j = 0; j < 3; j++) {
        prior[3 * i + j] = lg.problem.xb(j) + lg.problem.bStd(j) * z.nextGaussian();
      }
    }
    assertTrue(new SampleMoments(prior, 10000, 3).maxStandardisedError(lg.mean, lg.covariance) > 10);
  }

  @Test
  void configValidationAndHelpers() {
    assertEquals(100, AbcConfig.keepCount(0.001, 100_000));
    assertEquals(1, AbcConfig.keepCount(0.001, 10));
    double[] e = AbcConfig.logEdges(1, 1000, 3);
    assertArrayEquals(new double[] {1, 10, 100, 1000}, e, 1e-12);
    assertThrows(IllegalArgumentException.class, () -> AbcConfig.of(1, 10, 1).withBlockSize(0));
    assertThrows(IllegalArgumentException.class,
        () -> AbcConfig.of(1, 10, 1).withHistogramEdges(new double[] {1, 1}));
    assertEquals(3, AbcConfig.of(1, 10, 1).withBlockSize(4).blocks());
    assertEquals(2, AbcConfig.of(1, 10, 1).withBlockSize(4).trialsInBlock(2));
  }
}
