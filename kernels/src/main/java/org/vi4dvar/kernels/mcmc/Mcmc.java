package org.vi4dvar.kernels.mcmc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.vi4dvar.kernels.diagnostics.Convergence;
import org.vi4dvar.kernels.diagnostics.ConvergenceSummary;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.var.ControlTransform;

/**
 * Combines the chains of one MCMC run into the posterior every method returns: an {@link EmpiricalPosterior} of
 * the control {@code c = c_b + S v} holding the draws of all chains in chain order (chain 0's draws first), with
 * {@link Diagnostics}:
 * <ul>
 *   <li>objective {@code rhat}: the largest rank-normalised split-R̂ over the components of c;</li>
 *   <li>converged = max R̂ ≤ 1.01 and min bulk and tail ESS ≥ 400 ({@link ConvergenceSummary#passes()});</li>
 *   <li>counts {@code chains, draws, draws-per-chain, divergences, warmup-divergences, rejections, non-finite,
 *       max-depth-hits, gradient-evaluations, warmup-gradient-evaluations} (summed over chains);</li>
 *   <li>extras {@code sampler, max_rhat, min_ess_bulk, min_ess_tail, rhat_potential} (R̂ of f, the −log
 *       target: chains in different modes differ in it), per component {@code rhat, ess_bulk, ess_tail,
 *       mcse_mean, mcse_sd}, per chain {@code step_size, accept_rate, mean_accept_stat, mean_steps}, and
 *       {@code warnings}: one line per failed check (R̂, bulk ESS, tail ESS, divergences after warm-up).</li>
 * </ul>
 * Every number is a function of the chain results alone, in chain order: bit-identical however the chains were
 * cut into tasks. Static.
 */
public final class Mcmc {

  private Mcmc() {
  }

  /**
   * The chains' draws of c, in chain order: {@code out[k][s·n + i]} (chains sorted by index).
   *
   * @param s the control transform the target was whitened with
   */
  public static double[][] controlDraws(List<ChainResult> chains, ControlTransform s) {
    List<ChainResult> cs = sorted(chains, s.n());
    final int n = s.n();
    double[][] out = new double[cs.size()][];
    double[] v = new double[n];
    double[] c = new double[n];
    for (int k = 0; k < cs.size(); k++) {
      ChainResult r = cs.get(k);
      out[k] = new double[r.nDraws * n];
      for (int d = 0; d < r.nDraws; d++) {
        System.arraycopy(r.draws, d * n, v, 0, n);
        s.toControl(v, c);
        System.arraycopy(c, 0, out[k], d * n, n);
      }
    }
    return out;
  }

  /** The convergence diagnostics of every component of c. */
  public static ConvergenceSummary summary(List<ChainResult> chains, ControlTransform s) {
    return ConvergenceSummary.of(controlDraws(chains, s), s.n());
  }

  /**
   * The combined posterior of c with its diagnostics (class comment).
   *
   * @param chains at least 2 chains of the same run (same n and draws per chain, distinct indices), any order
   * @param s the control transform the target was whitened with
   */
  public static EmpiricalPosterior combine(List<ChainResult> chains, ControlTransform s) {
    List<ChainResult> cs = sorted(chains, s.n());
    final int n = s.n();
    double[][] draws = controlDraws(cs, s);
    ConvergenceSummary sum = ConvergenceSummary.of(draws, n);
    final int m = cs.size();
    final int per = cs.get(0).nDraws;
    double[] flat = new double[m * per * n];
    double[] pot = new double[m * per];
    long div = 0;
    long warmDiv = 0;
    long rej = 0;
    long nonFinite = 0;
    long depth = 0;
    long grads = 0;
    long warmGrads = 0;
    List<Double> step = new ArrayList<>();
    List<Double> acc = new ArrayList<>();
    List<Double> stat = new ArrayList<>();
    List<Double> steps = new ArrayList<>();
    for (int k = 0; k < m; k++) {
      ChainResult r = cs.get(k);
      System.arraycopy(draws[k], 0, flat, k * per * n, per * n);
      System.arraycopy(r.potential, 0, pot, k * per, per);
      div += r.divergences;
      warmDiv += r.warmupDivergences;
      rej += r.rejections;
      nonFinite += r.nonFinite;
      depth += r.maxDepthHits;
      grads += r.gradientEvaluations;
      warmGrads += r.warmupGradientEvaluations;
      step.add(r.stepSize);
      acc.add(r.acceptRate);
      stat.add(r.meanAcceptStat);
      steps.add(r.meanSteps);
    }
    double rhatPot = Convergence.rhat(pot, m, per);
    List<String> warnings = new ArrayList<>(sum.warnings("x0"));
    if (div > 0) {
      warnings.add(String.format(Locale.ROOT, "%d divergent transitions after warm-up (of %d): the sampler "
          + "cannot resolve part of the posterior at its step size; its draws may be biased", div, (long) m
          * per * cs.get(0).thin));
    }
    if (!(rhatPot <= Convergence.RHAT_WARN)) {
      warnings.add(String.format(Locale.ROOT, "R-hat of the log density %.4g > %.2f: chains sit at different "
          + "levels of the posterior (different modes?)", rhatPot, Convergence.RHAT_WARN));
    }
    Diagnostics d = Diagnostics.builder("rhat")
        .objective(sum.maxRhat(), Double.NaN)
        .converged(sum.passes(), "max rank-normalised split-R-hat <= 1.01 and min bulk and tail ESS >= 400 "
            + "over the components of the control (Vehtari et al. 2021)")
        .count("chains", m)
        .count("draws", (long) m * per)
        .count("draws-per-chain", per)
        .count("divergences", div)
        .count("warmup-divergences", warmDiv)
        .count("rejections", rej)
        .count("non-finite", nonFinite)
        .count("max-depth-hits", depth)
        .count("gradient-evaluations", grads)
        .count("warmup-gradient-evaluations", warmGrads)
        .extra("sampler", cs.get(0).sampler.configName())
        .extra("max_rhat", sum.maxRhat())
        .extra("min_ess_bulk", sum.minEssBulk())
        .extra("min_ess_tail", sum.minEssTail())
        .extra("rhat_potential", rhatPot)
        .extra("rhat", list(sum.rhat))
        .extra("ess_bulk", list(sum.essBulk))
        .extra("ess_tail", list(sum.essTail))
        .extra("mcse_mean", list(sum.mcseMean))
        .extra("mcse_sd", list(sum.mcseSd))
        .extra("step_size", step)
        .extra("accept_rate", acc)
        .extra("mean_accept_stat", stat)
        .extra("mean_steps", steps)
        .extra("warnings", warnings)
        .build();
    return new EmpiricalPosterior(n, flat, null, d);
  }

  private static List<Double> list(double[] a) {
    List<Double> l = new ArrayList<>(a.length);
    for (double v : a) {
      l.add(v);
    }
    return l;
  }

  private static List<ChainResult> sorted(List<ChainResult> chains, int n) {
    if (chains.size() < 2) {
      throw new IllegalArgumentException("need at least 2 chains (R-hat), got " + chains.size());
    }
    List<ChainResult> cs = new ArrayList<>(chains);
    cs.sort(Comparator.comparingInt(r -> r.chain));
    ChainResult first = cs.get(0);
    for (int k = 0; k < cs.size(); k++) {
      ChainResult r = cs.get(k);
      if (r.n != n) {
        throw new IllegalArgumentException("chain " + r.chain + " has dimension " + r.n + ", expected " + n);
      }
      if (r.nDraws != first.nDraws || r.sampler != first.sampler) {
        throw new IllegalArgumentException("chain " + r.chain + " differs from chain " + first.chain
            + " in its draws or sampler");
      }
      if (k > 0 && cs.get(k - 1).chain == r.chain) {
        throw new IllegalArgumentException("chain " + r.chain + " appears twice");
      }
    }
    return cs;
  }
}
