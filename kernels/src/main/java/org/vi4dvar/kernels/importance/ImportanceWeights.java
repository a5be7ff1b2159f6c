package org.vi4dvar.kernels.importance;

import java.util.List;
import org.vi4dvar.kernels.posterior.Posterior;

/**
 * The raw log importance weights of a proposal's draws for the unnormalised target {@code exp(−J)}:
 * <pre>
 *   log w_i = −J(c_i) − log q(c_i),   c_i = draw i of the proposal q
 * </pre>
 * computed for a contiguous range of draw indices, so that the experiment runner can run ranges as tasks
 * ({@code org.vi4dvar.kernels.experiment.Parallel}) and {@link #concat concatenate} the parts in index order
 * before {@link Psis#smooth smoothing} (the smoothing needs all S weights: it sorts them). Every value is a pure
 * function of (proposal, target, i): the result does not depend on how the range is cut into tasks.
 *
 * <p>A typical task, with the problem and proposal shared:
 * <pre>
 *   (shared, lo, hi, progress) -&gt; ImportanceWeights.logWeights(shared.proposal(),
 *       new FourDVarCost(shared.problem())::cost, lo, hi)
 * </pre>
 * Static.
 */
public final class ImportanceWeights {

  private ImportanceWeights() {
  }

  /**
   * {@code log w_i} for {@code i ∈ [lo, hi)} (new array of {@code hi − lo} values): −∞ where J is +∞ or NaN
   * (density 0: a trajectory that overflowed), never NaN; +∞ only if the proposal's density vanished at
   * its own draw (a defect, which {@link Psis#smooth} rejects).
   *
   * @param proposal a posterior with a density whose draws are unweighted
   * @param target J, with its own workspaces (one per task)
   */
  public static double[] logWeights(Posterior proposal, NegLogTarget target, long lo, long hi) {
    requireProposal(proposal);
    if (lo < 0 || hi <= lo || hi - lo > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("bad draw range [" + lo + ", " + hi + ")");
    }
    Posterior.Sampler q = proposal.sampler();
    double[] c = new double[proposal.dimension()];
    double[] out = new double[(int) (hi - lo)];
    for (long i = lo; i < hi; i++) {
      q.draw(i, c);
      double logQ = q.logDensity(c);
      double j = target.value(c);
      double lw = -j - logQ;
      out[(int) (i - lo)] = Double.isNaN(lw) ? Double.NEGATIVE_INFINITY : lw;
    }
    return out;
  }

  /**
   * The parts of {@code [0, S)} in index order, concatenated (new array).
   *
   * @param parts the per-task arrays, in range order
   */
  public static double[] concat(List<double[]> parts) {
    int total = 0;
    for (double[] p : parts) {
      total += p.length;
    }
    double[] out = new double[total];
    int o = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  static void requireProposal(Posterior proposal) {
    if (!proposal.hasDensity()) {
      throw new IllegalArgumentException("the proposal (" + proposal.family().configName()
          + ") has no density");
    }
    if (proposal.weighted()) {
      throw new IllegalArgumentException("the proposal's draws are weighted; importance sampling needs "
          + "unweighted draws");
    }
  }
}
