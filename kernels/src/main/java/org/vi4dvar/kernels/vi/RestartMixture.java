package org.vi4dvar.kernels.vi;

import java.util.ArrayList;
import java.util.List;
import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.MixturePosterior;
import org.vi4dvar.kernels.posterior.Posterior;

/**
 * The ELBO-weighted mixture of independent restarts (the pipeline's former {@code vi.posterior = mixture}): each
 * restart's q weighted by the softmax of its final ELBO,
 * <pre>
 *   w_r = exp(ELBO_r − max_s ELBO_s) / Σ_s exp(ELBO_s − max_s ELBO_s)       (diverged restarts: ELBO −∞, w = 0)
 * </pre>
 * This is <b>not</b> a fitted mixture (that is {@link VariationalInference#runMixture}, family {@code mixture}):
 * the components were fitted separately, each to the whole posterior, so their weights only rank the basins by
 * the (exponentiated) ELBO — {@code exp(ELBO_r)} is the evidence a restart explains when the basins do not
 * overlap. Named "restart-mixture" for that reason.
 */
public final class RestartMixture {

  private RestartMixture() {
  }

  /** The softmax of the ELBOs (−∞ gives 0; NaN is treated as −∞); all −∞ gives all 0. New array. */
  public static double[] weights(double[] elbos) {
    double max = Double.NEGATIVE_INFINITY;
    for (double e : elbos) {
      if (e > max) {
        max = e;
      }
    }
    double[] w = new double[elbos.length];
    if (max == Double.NEGATIVE_INFINITY) {
      return w;
    }
    if (max == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("an ELBO of +infinity");
    }
    double s = 0.0;
    for (int i = 0; i < w.length; i++) {
      double e = elbos[i];
      w[i] = e > Double.NEGATIVE_INFINITY ? Math.exp(e - max) : 0.0;
      s += w[i];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= s;
    }
    return w;
  }

  /**
   * The restart mixture of the non-diverged runs with a posterior that has a density.
   *
   * @throws IllegalArgumentException if no run qualifies
   */
  public static MixturePosterior of(VariationalResult[] runs, long seed, long tag) {
    double[] elbos = new double[runs.length];
    for (int i = 0; i < runs.length; i++) {
      boolean ok = !runs[i].diverged() && runs[i].posterior != null && runs[i].posterior.hasDensity();
      elbos[i] = ok ? runs[i].elbo : Double.NEGATIVE_INFINITY;
    }
    double[] w = weights(elbos);
    List<Posterior> comps = new ArrayList<>();
    List<Double> ws = new ArrayList<>();
    long diverged = 0;
    for (int i = 0; i < runs.length; i++) {
      diverged += runs[i].diverged() ? 1 : 0;
      if (w[i] > 0) {
        comps.add(runs[i].posterior);
        ws.add(w[i]);
      }
    }
    if (comps.isEmpty()) {
      throw new IllegalArgumentException("no restart with a finite ELBO among " + runs.length);
    }
    double[] wa = new double[ws.size()];
    for (int i = 0; i < wa.length; i++) {
      wa[i] = ws.get(i);
    }
    int best = 0;
    for (int i = 1; i < runs.length; i++) {
      if (elbos[i] > elbos[best]) {
        best = i;
      }
    }
    long converged = 0;
    for (VariationalResult r : runs) {
      converged += r.converged() ? 1 : 0;
    }
    Diagnostics.Builder d = Diagnostics.builder("ELBO").objective(runs[best].elbo, runs[best].elboStdErr)
        .converged(converged == runs.length - diverged, "every non-diverged restart passed the VI convergence "
            + "test (" + VariationalInference.CONVERGENCE_MEANING + ")")
        .count("restarts", runs.length).count("converged", converged).count("diverged", diverged)
        .count("excluded", diverged).extra("best_restart", best);
    for (VariationalResult r : runs) {
      d.stopReason(r.stopReason.configName());
    }
    return new MixturePosterior(comps.toArray(new Posterior[0]), wa, seed, tag, d.build());
  }
}
