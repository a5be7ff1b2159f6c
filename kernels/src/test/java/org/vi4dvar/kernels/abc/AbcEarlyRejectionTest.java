package org.vi4dvar.kernels.abc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vi4dvar.kernels.abc.AbcSamplerTest.assertSameResult;

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
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Exact early rejection: with it on, every result — kept indices, distances, J and x0, accepted counts, the
 * threshold consumer's calls, prior sample, statistics subsample — equals the full evaluation bit for bit, on
 * several problems, keep fractions, all three distances, ties, threshold mode, pilot bounds, block groupings
 * and merge orders. Only {@link AbcResult#stepsDone} (the work) differs, and it is checked to be smaller, so
 * that the comparisons are not vacuous.
 */
class AbcEarlyRejectionTest {

  private static final int TRIALS = 12_000;
  private static final int BLOCK = 2048;                      // 6 blocks, the last one partial (1760 trials)
  private static final long STATS = 1500;                      // a subsample cut inside block 0 and a chunk
  private static final int PRIOR = 300;

  /** A named problem. */
  private record Case(String name, FourDVarProblem problem) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static TwinConfig twin(long seed, Nonlinearity h, int pooling, int nx, int states, int assim,
      int timeStride) {
    TwinConfig t = TwinConfig.talk(seed);
    return new TwinConfig(seed, nx, t.forcing(), 0.05, t.spinup(), states, assim, pooling, h, 0.3, timeStride,
        t.obsNoiseMin(), t.obsNoiseMax(), t.bgNoiseMin(), t.bgNoiseMax(), t.initStd());
  }

  /** x1 = 0 whatever x0, only x1 observed: every trial has the same Jo (all observation distances tie). */
  static FourDVarProblem zeroModel() {
    int nx = 3;
    double[] y = {Double.NaN, Double.NaN, Double.NaN, 0.4, Double.NaN, -1.1, 0.2, 0.3, Double.NaN};
    double[] s = {Double.NaN, Double.NaN, Double.NaN, 0.5, Double.NaN, 0.7, 0.9, 0.4, Double.NaN};
    return new FourDVarProblem(new LinearModel(nx, new double[nx * nx]),
        new ObservationOperator(nx, 1, Nonlinearity.IDENTITY), 4, 3, new double[] {1, 2, 3},
        new double[] {0.5, 1, 2}, y, s);
  }

  /** Nothing observed: Jo = 0 for every trial. */
  static FourDVarProblem unobserved() {
    FourDVarProblem t = TalkData.load().problem();
    double[] nan = new double[t.nAssim() * t.ny()];
    Arrays.fill(nan, Double.NaN);
    return new FourDVarProblem(t.model(), t.obs(), t.nStates(), t.nAssim(), t.xb(), t.bStd(), nan, nan);
  }

  static List<Case> problems() {
    return List.of(
        new Case("talk", TalkData.load().problem()),
        new Case("nx8 identity", TwinExperiment.generate(twin(5, Nonlinearity.IDENTITY, 1, 8, 10, 8, 1))
            .problem()),
        new Case("nx40 cube pooling 2", TwinExperiment.generate(twin(6, Nonlinearity.CUBE, 2, 40, 9, 8, 1))
            .problem()),
        new Case("nx12 square pooling 3, every other state observed",
            TwinExperiment.generate(twin(7, Nonlinearity.SQUARE, 3, 12, 12, 10, 2)).problem()),
        new Case("linear", LinearGaussian.standard().problem),
        new Case("ties: zero model", zeroModel()),
        new Case("ties: unobserved", unobserved()));
  }

  private static AbcConfig config(int keep, AbcDistance d) {
    return AbcConfig.of(17, TRIALS, keep).withBlockSize(BLOCK).withPrior(PRIOR).withStatsTrials(STATS)
        .withDistance(d);
  }

  private static long[] range(long n) {
    long[] r = new long[(int) n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /** The consumer's calls: {trial, distance, J, x0...} each, compared bit for bit. */
  private static final class Recorder implements AbcTrialConsumer {
    final List<double[]> calls = new ArrayList<>();

    @Override
    public void accept(long trial, double distance, double cost, double[] x0) {
      double[] c = new double[3 + x0.length];
      c[0] = trial;
      c[1] = distance;
      c[2] = cost;
      System.arraycopy(x0, 0, c, 3, x0.length);
      calls.add(c);
    }

    List<double[]> sortedByTrial() {
      List<double[]> s = new ArrayList<>(calls);
      s.sort(Comparator.comparingDouble(c -> c[0]));
      return s;
    }
  }

  private static void assertSameCalls(List<double[]> a, List<double[]> b, String what) {
    assertEquals(a.size(), b.size(), what + ": consumer calls");
    for (int i = 0; i < a.size(); i++) {
      assertTrue(Arrays.equals(a.get(i), b.get(i)), what + ": consumer call " + i);
    }
  }

  /** A run and its consumer's calls. */
  private record Run(AbcResult result, List<double[]> calls) {
  }

  private static Run sequential(FourDVarProblem p, AbcConfig c, AbcBound pilot) {
    Recorder rec = new Recorder();
    AbcResult r = new AbcSampler(p, c).runBlocks(range(c.blocks()), rec, pilot);
    return new Run(r, rec.calls);
  }

  /**
   * The blocks dealt out in a shuffled order to 3 tasks of uneven size, each given its blocks out of order,
   * one sampler reused across tasks, the partial results merged in a shuffled pairwise tree.
   */
  private static Run partitioned(FourDVarProblem p, AbcConfig c, AbcBound pilot, long seed) {
    Random rnd = new Random(seed);
    List<Long> blocks = new ArrayList<>();
    for (long b = 0; b < c.blocks(); b++) {
      blocks.add(b);
    }
    Collections.shuffle(blocks, rnd);
    int cut1 = 1 + rnd.nextInt(blocks.size() - 2);
    int cut2 = cut1 + 1 + rnd.nextInt(blocks.size() - cut1 - 1);
    List<List<Long>> tasks = List.of(blocks.subList(0, cut1), blocks.subList(cut1, cut2),
        blocks.subList(cut2, blocks.size()));
    AbcSampler s = new AbcSampler(p, c);
    Recorder rec = new Recorder();
    List<AbcResult> parts = new ArrayList<>();
    for (List<Long> t : tasks) {
      parts.add(s.runBlocks(t.stream().mapToLong(Long::longValue).toArray(), rec, pilot));
    }
    Collections.shuffle(parts, rnd);
    List<AbcResult> level = parts;
    while (level.size() > 1) {
      List<AbcResult> next = new ArrayList<>();
      for (int i = 0; i + 1 < level.size(); i += 2) {
        next.add(AbcResult.merge(level.get(i + 1), level.get(i)));
      }
      if (level.size() % 2 == 1) {
        next.add(0, level.get(level.size() - 1));
      }
      level = next;
    }
    return new Run(level.get(0), rec.sortedByTrial());
  }

  private static void assertSameRun(Run full, Run early, String what) {
    assertSameResult(full.result, early.result);
    assertSameCalls(full.calls, early.calls, what);
  }

  /**
   * Issues 12 and 15: a dense B on the batched path (prior term ½‖z‖²) and the extended control (x0, η, F) on
   * the scalar path ({@code FourDVarCost.costControlsPruned}): early rejection keeps exactly the full
   * evaluation's trials, sequential and partitioned, and saves model steps. (Fewer combinations than the test
   * below: the scalar path is ~5× slower per trial; the likelihood distance shares the observation one's path.)
   */
  @Test
  void equalsTheFullEvaluationForADenseBAndAnExtendedControl() {
    List<Case> cases = List.of(
        new Case("talk SOAR B", TwinExperiment.generate(TwinConfig.talk(3).withBackgroundCorrelation(
            org.vi4dvar.kernels.var.CorrelationModel.SOAR, 2.0)).problem()),
        new Case("talk weak + forcing", TwinExperiment.generate(TwinConfig.talk(3).withModelError(0.05)
            .withTruthForcing(8.5)).problem().withEstimatedParameter("forcing", 8.0, 1.0)));
    for (Case pc : cases) {
      for (AbcDistance d : new AbcDistance[] {AbcDistance.OBSERVATION, AbcDistance.FULL}) {
        for (int k : new int[] {TRIALS / 1000, TRIALS + 5}) {
          String what = pc + ", " + d + ", k=" + k;
          AbcConfig c = config(k, d);
          Run full = sequential(pc.problem, c.withEarlyRejection(false), null);
          Run early = sequential(pc.problem, c, null);
          assertSameRun(full, early, what);
          assertSameRun(full, partitioned(pc.problem, c, null, k + d.ordinal()), what + ", partitioned");
          if (k <= TRIALS / 1000) {
            assertTrue(early.result.stepsDone < 0.9 * early.result.stepsFull,
                what + ": early rejection saved too little: " + early.result);
          }
        }
      }
    }
  }

  @Test
  void equalsTheFullEvaluationOnEveryProblemDistanceAndKeepFraction() {
    for (Case pc : problems()) {
      FourDVarProblem p = pc.problem;
      for (AbcDistance d : AbcDistance.values()) {
        // keep 1e-1, 1e-3, 1e-6 (k = 1) and k >= trials
        for (int k : new int[] {TRIALS / 10, TRIALS / 1000, 1, TRIALS + 5}) {
          String what = pc + ", " + d + ", k=" + k;
          AbcConfig c = config(k, d);
          Run full = sequential(p, c.withEarlyRejection(false), null);
          assertEquals(full.result.stepsFull, full.result.stepsDone, what + ": nothing saved without it");
          Run early = sequential(p, c, null);
          assertSameRun(full, early, what);
          assertSameRun(full, partitioned(p, c, null, k + d.ordinal()), what + ", partitioned");
          assertSameRun(full, sequential(p, c.withChunk(100), null), what + ", chunk 100");
          if (k <= TRIALS / 1000 && (pc.name.equals("talk") || pc.name.equals("linear"))) {
            assertTrue(early.result.stepsDone < 0.9 * early.result.stepsFull,
                what + ": early rejection saved too little: " + early.result);
          }
        }
      }
    }
  }

  @Test
  void thresholdModeAcceptsTheSameTrialsIncludingThoseExactlyAtTheThreshold() {
    for (Case pc : problems()) {
      FourDVarProblem p = pc.problem;
      for (AbcDistance d : AbcDistance.values()) {
        AbcResult ranked = new AbcSampler(p, config(TRIALS, d).withEarlyRejection(false))
            .runBlocks(range(config(TRIALS, d).blocks()), null);
        // thresholds at a trial's exact distance (rank 20 and 600), just below one, below every trial
        double[] thresholds = {ranked.topDistance[20], ranked.topDistance[600],
            Math.nextDown(ranked.topDistance[600]), ranked.topDistance[0] - 1.0};
        for (double thr : thresholds) {
          for (int k : new int[] {0, 1, TRIALS / 1000, TRIALS / 10}) {
            String what = pc + ", " + d + ", threshold " + thr + ", k=" + k;
            AbcConfig c = config(k, d).withThreshold(thr);
            Run full = sequential(p, c.withEarlyRejection(false), null);
            long atThreshold = full.calls.stream().filter(x -> x[1] == thr).count();
            if (thr == ranked.topDistance[20]) {
              assertTrue(atThreshold >= 1, what + ": no trial at the threshold");
            }
            assertSameRun(full, sequential(p, c, null), what);
            assertSameRun(full, partitioned(p, c, null, 99 + k), what + ", partitioned");
            AbcBound pilot = sequential(p, c, null).result.bound();
            if (pilot != null) {
              assertSameRun(full, partitioned(p, c, pilot, 7 + k), what + ", pilot");
            }
          }
        }
      }
    }
  }

  @Test
  void tiesAreKeptByTrialIndexAsInTheMerge() {
    // every observation distance is the same: the kept trials are the k lowest indices, whatever the grouping
    for (FourDVarProblem p : new FourDVarProblem[] {zeroModel(), unobserved()}) {
      for (int k : new int[] {1, 7, 2048, 2049, 5000}) {
        AbcConfig c = config(k, AbcDistance.OBSERVATION);
        Run full = sequential(p, c.withEarlyRejection(false), null);
        for (int r = 0; r < k; r++) {
          assertEquals(r, full.result.topIndex[r]);
          assertEquals(full.result.topDistance[0], full.result.topDistance[r], 0.0);
        }
        assertSameRun(full, sequential(p, c, null), "k=" + k);
        assertSameRun(full, partitioned(p, c, null, k), "k=" + k + ", partitioned");
        // the tightest valid pilot: the k-th pair itself (equal to the bound: must be kept)
        AbcBound exact = full.result.bound();
        assertSameRun(full, sequential(p, c, exact), "k=" + k + ", exact pilot");
        assertSameRun(full, partitioned(p, c, exact, k + 1), "k=" + k + ", exact pilot, partitioned");
        // and a threshold at the tied value accepts everyone
        AbcConfig ct = c.withThreshold(full.result.topDistance[0]);
        Run fullT = sequential(p, ct.withEarlyRejection(false), null);
        assertEquals(TRIALS, fullT.result.accepted);
        assertSameRun(fullT, partitioned(p, ct, exact, 3), "k=" + k + ", tied threshold");
      }
    }
  }

  @Test
  void aPilotBoundChangesNoCompleteResultAndSavesWork() {
    FourDVarProblem p = TalkData.load().problem();
    for (AbcDistance d : AbcDistance.values()) {
      for (int k : new int[] {1, 12, 1200}) {
        String what = d + ", k=" + k;
        AbcConfig c = config(k, d);
        Run full = sequential(p, c.withEarlyRejection(false), null);
        AbcBound exact = full.result.bound();
        // from a first small set of blocks (a broadcast pilot), run over all blocks or over the rest and merged
        AbcResult pilotRun = new AbcSampler(p, c).runBlocks(new long[] {0, 1}, null);
        AbcBound fromBlocks = pilotRun.bound();
        assertNotNull(fromBlocks, what);
        AbcBound distanceOnly = new AbcBound(exact.distance, Long.MAX_VALUE);
        for (AbcBound pilot : new AbcBound[] {fromBlocks, exact, distanceOnly}) {
          Run early = sequential(p, c, pilot);
          assertSameRun(full, early, what + ", " + pilot);
          assertSameRun(full, partitioned(p, c, pilot, 5), what + ", " + pilot + ", partitioned");
          // a tighter bound drops every lane at least as early (compaction timing aside: 2 %)
          assertTrue(early.result.stepsDone <= 1.02 * sequential(p, c, null).result.stepsDone, what);
        }
        AbcResult rest = new AbcSampler(p, c).runBlocks(new long[] {2, 3, 4, 5}, null, fromBlocks);
        assertSameResult(full.result, AbcResult.merge(rest, pilotRun));
        // the exact pilot saves work (it is the best possible bound from the first trial on)
        assertTrue(sequential(p, c, exact).result.stepsDone < sequential(p, c, null).result.stepsDone, what);
        // a pilot better than the true k-th pair is not a valid bound: trials are lost (the test can fail)
        AbcBound wrong = new AbcBound(full.result.topDistance[0] - 50.0, 0);
        AbcResult lost = sequential(p, c, wrong).result;
        assertFalse(Arrays.equals(full.result.topIndex, lost.topIndex), what + ": a wrong pilot changed nothing");
      }
    }
  }

  /**
   * Tasks sharing one bound — one after the other (deterministic), and concurrently on threads — give the
   * complete result of the full evaluation, in threshold mode too; sharing saves work.
   */
  @Test
  void aBoundSharedBetweenTasksChangesNoCompleteResult() throws Exception {
    FourDVarProblem p = TalkData.load().problem();
    long[][] tasks = {{0, 1}, {2, 3}, {4, 5}};
    for (AbcDistance d : AbcDistance.values()) {
      for (int k : new int[] {1, 12, 1200}) {
        for (boolean thr : new boolean[] {false, true}) {
          AbcConfig c = config(k, d);
          if (thr) {
            AbcResult ranked = new AbcSampler(p, c.withKeep(100).withEarlyRejection(false))
                .runBlocks(range(c.blocks()), null);
            c = c.withThreshold(ranked.topDistance[60]);
          }
          String what = d + ", k=" + k + ", threshold " + thr;
          Run full = sequential(p, c.withEarlyRejection(false), null);
          // one after the other, one sampler per task, one shared bound
          AbcSharedBound shared = new AbcSharedBound();
          Recorder rec = new Recorder();
          AbcResult merged = AbcResult.empty(c, p.nx());
          AbcResult alone = AbcResult.empty(c, p.nx());
          for (long[] t : tasks) {
            merged = AbcResult.merge(merged, new AbcSampler(p, c).runBlocksShared(t, rec, shared));
            alone = AbcResult.merge(alone, new AbcSampler(p, c).runBlocks(t, null));
          }
          assertSameRun(full, new Run(merged, rec.sortedByTrial()), what + ", shared in turn");
          if (k <= 12) {   // (with k = 1200 of 4096 trials per task there is little to share)
            assertTrue(merged.stepsDone < alone.stepsDone, what + ": sharing saved nothing");
          }
          // concurrently
          AbcSharedBound concurrent = new AbcSharedBound();
          final AbcConfig cc = c;
          java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
          try {
            List<java.util.concurrent.Future<Run>> futures = new ArrayList<>();
            for (long[] t : tasks) {
              futures.add(pool.submit(() -> {
                Recorder r = new Recorder();
                return new Run(new AbcSampler(p, cc).runBlocksShared(t, r, concurrent), r.calls);
              }));
            }
            AbcResult m = AbcResult.empty(c, p.nx());
            List<double[]> calls = new ArrayList<>();
            for (java.util.concurrent.Future<Run> f : futures) {
              m = AbcResult.merge(f.get().result, m);
              calls.addAll(f.get().calls);
            }
            calls.sort(Comparator.comparingDouble(x -> x[0]));
            assertSameRun(full, new Run(m, calls), what + ", shared concurrently");
          } finally {
            pool.shutdown();
          }
        }
      }
    }
  }

  @Test
  void boundIsTheKthPairOnlyWhenKTrialsAreKept() {
    FourDVarProblem p = TalkData.load().problem();
    AbcResult r = new AbcSampler(p, config(5, AbcDistance.OBSERVATION)).runBlock(0);
    AbcBound b = r.bound();
    assertEquals(r.topDistance[4], b.distance, 0.0);
    assertEquals(r.topIndex[4], b.index);
    assertNull(new AbcSampler(p, config(TRIALS + 5, AbcDistance.OBSERVATION)).runBlock(0).bound());
    assertNull(new AbcSampler(p, config(0, AbcDistance.OBSERVATION)).runBlock(0).bound());
  }

  /**
   * The statistics cover exactly the trials with index &lt; statsTrials, evaluated in full: histogram, per-block
   * Welford statistics and non-finite count equal those rebuilt from the prior sample of the same prefix (the
   * prior sample holds every distance of its trials), bit for bit, with early rejection on or off.
   */
  @Test
  void statisticsCoverExactlyTheDocumentedSubsample() {
    // the overflow problem of AbcSamplerTest (about 18 % non-finite distances) and the talk
    FourDVarProblem overflow = new FourDVarProblem(new LinearModel(1, new double[] {1e154}),
        new ObservationOperator(1, 1, Nonlinearity.IDENTITY), 2, 2, new double[] {0.0}, new double[] {1.0},
        new double[] {Double.NaN, 0.0}, new double[] {Double.NaN, 1.0});
    for (FourDVarProblem p : new FourDVarProblem[] {TalkData.load().problem(), overflow}) {
      for (long stats : new long[] {0, 1, STATS, 2048, 5000, TRIALS, Long.MAX_VALUE}) {
        AbcConfig c = config(12, AbcDistance.OBSERVATION).withStatsTrials(stats).withPrior(0);
        AbcResult r = new AbcSampler(p, c).runBlocks(range(c.blocks()), null);
        long n = Math.min(stats, TRIALS);
        assertEquals(n, r.statsTrials);
        assertEquals(n, r.nonFinite + r.distanceStats().count());
        assertEquals(r.distanceStats().count(), Arrays.stream(r.histogram).sum());
        // reference: the prior sample of the prefix, evaluated without early rejection
        AbcResult ref = new AbcSampler(p, c.withPrior((int) n).withEarlyRejection(false))
            .runBlocks(range(c.blocks()), null);
        long nonFinite = 0;
        long[] hist = new long[r.histogram.length];
        double[] e = c.histogramEdges();
        RunningStats all = new RunningStats();
        for (int b = 0; b < c.blocks(); b++) {
          RunningStats block = new RunningStats();
          for (int i = b * BLOCK; i < Math.min(n, (b + 1L) * BLOCK); i++) {
            double d = ref.priorDistance[i];
            if (!Double.isFinite(d)) {
              nonFinite++;
              continue;
            }
            block.add(d);
            int bin = 0;
            while (bin < e.length && e[bin] <= d) {
              bin++;
            }
            hist[bin]++;
          }
          assertEquals(block.count(), r.blockCount[b]);
          if (block.count() > 0) {
            assertEquals(Double.doubleToLongBits(block.mean()), Double.doubleToLongBits(r.blockMean[b]));
            assertEquals(Double.doubleToLongBits(block.m2()), Double.doubleToLongBits(r.blockM2[b]));
            assertEquals(block.min(), r.blockMin[b], 0.0);
            assertEquals(block.max(), r.blockMax[b], 0.0);
          }
          all.merge(block);
        }
        assertEquals(nonFinite, r.nonFinite);
        assertTrue(Arrays.equals(hist, r.histogram));
        assertEquals(Double.doubleToLongBits(all.mean()), Double.doubleToLongBits(r.distanceStats().mean()));
        // the same whether early rejection is on or off
        assertSameResult(new AbcSampler(p, c.withEarlyRejection(false)).runBlocks(range(c.blocks()), null), r);
      }
    }
  }

  @Test
  void workCountersAreExactAndAddUp() {
    FourDVarProblem p = TalkData.load().problem();
    AbcConfig c = config(12, AbcDistance.OBSERVATION);
    long steps = (long) TRIALS * (p.nAssim() - 1);
    AbcResult off = new AbcSampler(p, c.withEarlyRejection(false)).runBlocks(range(c.blocks()), null);
    assertEquals(steps, off.stepsFull);
    assertEquals(steps, off.stepsDone);
    assertEquals(0.0, off.stepsSaved(), 0.0);
    AbcSampler s = new AbcSampler(p, c);
    AbcResult a = s.runBlocks(new long[] {0, 1, 2}, null);
    AbcResult b = s.runBlocks(new long[] {3, 4, 5}, null);
    AbcResult m = AbcResult.merge(a, b);
    assertEquals(steps, m.stepsFull);
    assertEquals(a.stepsDone + b.stepsDone, m.stepsDone);
    assertEquals(m.stepsDone, AbcResult.merge(b, a).stepsDone);
    assertTrue(m.stepsSaved() > 0.1 && m.stepsSaved() < 1.0, "saved " + m.stepsSaved());
    // the prefix evaluated in full costs its full steps: block 0 holds it and saves less than the others
    AbcResult b0 = s.runBlock(0);
    assertTrue(b0.stepsDone >= STATS * (p.nAssim() - 1));
  }

  /** Prior draws go through problem.background(): with the diagonal B½ of today, x_b + σ ⊙ z bit for bit. */
  @Test
  void priorDrawsAreTheBackgroundTransformOfTheBlockStream() {
    FourDVarProblem p = TalkData.load().problem();
    AbcConfig c = config(3, AbcDistance.OBSERVATION).withPrior(2500);
    AbcResult r = new AbcSampler(p, c).runBlocks(new long[] {0, 1}, null);
    for (long b = 0; b < 2; b++) {
      RandomStream z = RandomStream.of(c.seed, Domain.ABC_BLOCK, b);
      for (int s = 0; s < (b == 0 ? BLOCK : 2500 - BLOCK); s++) {
        int row = (int) (b * BLOCK + s);
        for (int i = 0; i < p.nx(); i++) {
          double x = p.xb(i) + p.bStd(i) * z.nextGaussian();
          assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(r.priorX[row * p.nx() + i]));
        }
      }
    }
  }
}
