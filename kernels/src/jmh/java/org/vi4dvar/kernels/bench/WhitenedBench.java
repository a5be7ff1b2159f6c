package org.vi4dvar.kernels.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.map.FourDVarObjective;
import org.vi4dvar.kernels.optim.DifferentiableFunction;
import org.vi4dvar.kernels.optim.Lbfgs;
import org.vi4dvar.kernels.optim.LbfgsConfig;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.ControlTransform;
import org.vi4dvar.kernels.var.CorrelationModel;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.MinimizationSpace;
import org.vi4dvar.kernels.var.WhitenedObjective;

/**
 * Issue 12: one L-BFGS minimisation (default memory and line search, gradient tolerance 1e-6 on the minimised
 * function's gradient, cost criterion off, 20 000 iterations allowed) in x0 ({@code CONTROL}, as before) or in
 * v ({@code WHITENED}). The score is the time of one minimisation; the setup prints, for gradient tolerances
 * 1e-3 … 1e-6, the iterations, the stop reason and the final ‖∇_x J‖ and ‖∇_v f‖ (lines {@code ITER ...}).
 * Cases: the talk's data from the truth, from the lowest-J ABC trial and from the background; the talk's data
 * with a SOAR (L = 2) B of the same stds; a talk twin generated with SOAR (L = 2) background errors; the same
 * twin with a Gaussian (L = 2) B; both twins with sparse observations ({@code -sparse}: drop 0.9, 10 % of the
 * points observed instead of 50 %). Twins start from their truth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
@Threads(1)
public class WhitenedBench {

  /** Where L-BFGS works. */
  @Param({"CONTROL", "WHITENED"})
  public String space;

  /** The problem and start. */
  @Param({"talk-truth", "talk-abc", "talk-background", "talk-soar2", "twin-soar2", "twin-gauss2",
      "twin-soar2-sparse", "twin-gauss2-sparse"})
  public String problem;

  private FourDVarProblem p;
  private double[] start;
  private DifferentiableFunction f;
  private Lbfgs lbfgs;
  private double[] x;

  static LbfgsConfig config(double gtol) {
    return LbfgsConfig.defaults().withTolerances(gtol, 0.0).withMaxIterations(20_000).withMaxEvaluations(200_000)
        .withTrace(false);
  }

  @Setup(Level.Trial)
  public void setUp() {
    Twin talk = TalkData.load();
    FourDVarProblem tp = talk.problem();
    double[] truth0 = Arrays.copyOf(talk.truth(), 16);
    switch (problem) {
      case "talk-truth":
        p = tp;
        start = truth0;
        break;
      case "talk-abc": {
        p = tp;
        AbcResult r = new AbcSampler(p, AbcConfig.of(1, 100_000, 100)).runBlocks(new long[] {0, 1}, null);
        start = r.keptX(r.keptByCost()[0]);
        break;
      }
      case "talk-background":
        p = tp;
        start = tp.xb();
        break;
      case "talk-soar2":
        p = new FourDVarProblem(tp.model(), tp.obs(), tp.nStates(), tp.nAssim(),
            ControlTransform.correlated(tp.xb(), tp.bStd(), CorrelationModel.SOAR, 2.0), tp.y(), tp.obsStd());
        start = truth0;
        break;
      default: {
        CorrelationModel m = problem.startsWith("twin-soar2") ? CorrelationModel.SOAR : CorrelationModel.GAUSSIAN;
        TwinConfig t = TwinConfig.talk(1);
        if (problem.endsWith("-sparse")) {
          t = new TwinConfig(t.seed(), t.nx(), t.forcing(), t.dt(), t.spinup(), t.nStates(), t.nAssim(),
              t.pooling(), t.nonlinearity(), 0.9, t.timeStride(), t.obsNoiseMin(), t.obsNoiseMax(), t.bgNoiseMin(),
              t.bgNoiseMax(), t.initStd());
        }
        Twin tw = TwinExperiment.generate(t.withBackgroundCorrelation(m, 2.0));
        p = tw.problem();
        start = Arrays.copyOf(tw.truth(), 16);
        break;
      }
    }
    MinimizationSpace s = MinimizationSpace.valueOf(space);
    for (double gtol : new double[] {1e-3, 1e-4, 1e-5, 1e-6}) {
      DifferentiableFunction fn = function(s);
      double[] y = initial(s, fn);
      OptimResult r = new Lbfgs(config(gtol)).minimize(fn, y);
      double[] c = y;
      if (s == MinimizationSpace.WHITENED) {
        c = new double[16];
        ((WhitenedObjective) fn).toControl(y, c);
      }
      double[] gx = new double[16];
      double j = new FourDVarCost(p).costAndGradient(c, gx);
      double[] gv = new double[16];
      p.background().applyTranspose(gx, gv);
      System.out.printf("ITER %s %s gtol=%.0e iterations=%d evaluations=%d stop=%s J=%.10f |gx|=%.2e |gv|=%.2e%n",
          problem, space, gtol, r.iterations, r.evaluations, r.stopReason, j, norm(gx), norm(gv));
    }
    f = function(s);
    lbfgs = new Lbfgs(config(1e-6));
    x = new double[16];
  }

  private DifferentiableFunction function(MinimizationSpace s) {
    FourDVarCost cost = new FourDVarCost(p);
    return s == MinimizationSpace.WHITENED ? new WhitenedObjective(cost) : new FourDVarObjective(cost);
  }

  private double[] initial(MinimizationSpace s, DifferentiableFunction fn) {
    if (s == MinimizationSpace.CONTROL) {
      return start.clone();
    }
    double[] v = new double[16];
    ((WhitenedObjective) fn).toWhitened(start, v);
    return v;
  }

  private static double norm(double[] g) {
    double s = 0;
    for (double v : g) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** One minimisation to ‖∇‖ ≤ 1e-6 (or the stop that comes first). */
  @Benchmark
  public OptimResult minimise() {
    double[] y = initial(MinimizationSpace.valueOf(space), f);
    System.arraycopy(y, 0, x, 0, 16);
    return lbfgs.minimize(f, x);
  }
}
