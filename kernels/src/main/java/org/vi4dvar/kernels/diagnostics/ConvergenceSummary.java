package org.vi4dvar.kernels.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Convergence} diagnostics of every component of a vector quantity sampled by m chains: per component
 * the pooled mean and sd, R̂ (max of bulk and folded), bulk and tail ESS, and the MCSE of mean and sd; and the
 * worst values over components. Built by {@link #of}; a plain final class with public final arrays (Kryo),
 * owned by it and not to be modified.
 */
public final class ConvergenceSummary implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Components. */
  public final int n;
  /** Chains m. */
  public final int chains;
  /** Draws per chain S. */
  public final int draws;
  /** Pooled mean per component. */
  public final double[] mean;
  /** Pooled sd per component (divisor mS − 1). */
  public final double[] sd;
  /** Rank-normalised split-R̂ (max of bulk and folded) per component. */
  public final double[] rhat;
  /** Bulk ESS per component. */
  public final double[] essBulk;
  /** Tail ESS per component. */
  public final double[] essTail;
  /** MCSE of the mean per component. */
  public final double[] mcseMean;
  /** MCSE of the sd per component. */
  public final double[] mcseSd;

  private ConvergenceSummary(int n, int chains, int draws) {
    this.n = n;
    this.chains = chains;
    this.draws = draws;
    this.mean = new double[n];
    this.sd = new double[n];
    this.rhat = new double[n];
    this.essBulk = new double[n];
    this.essTail = new double[n];
    this.mcseMean = new double[n];
    this.mcseSd = new double[n];
  }

  /**
   * The diagnostics of every component.
   *
   * @param draws {@code draws[c]} = chain c's draws, row-major {@code S × n} ({@code draws[c][s·n + k]}), the
   *     same S for every chain; not modified
   * @param n components per draw
   */
  public static ConvergenceSummary of(double[][] draws, int n) {
    final int m = draws.length;
    if (m < 1 || n < 1) {
      throw new IllegalArgumentException("need at least one chain and one component");
    }
    final int s = draws[0].length / n;
    for (int c = 0; c < m; c++) {
      if (draws[c].length != s * n || draws[c].length == 0) {
        throw new IllegalArgumentException("chain " + c + " has " + draws[c].length + " values, expected "
            + s + " draws x " + n + " components");
      }
    }
    ConvergenceSummary out = new ConvergenceSummary(n, m, s);
    double[] x = new double[m * s];
    for (int k = 0; k < n; k++) {
      component(draws, n, k, x);
      out.mean[k] = Convergence.mean(x, 0, x.length);
      out.sd[k] = x.length > 1 ? Math.sqrt(Convergence.variance(x, 0, x.length)) : Double.NaN;
      out.rhat[k] = Convergence.rhat(x, m, s);
      out.essBulk[k] = Convergence.essBulk(x, m, s);
      out.essTail[k] = Convergence.essTail(x, m, s);
      out.mcseMean[k] = Convergence.mcseMean(x, m, s);
      out.mcseSd[k] = Convergence.mcseSd(x, m, s);
    }
    return out;
  }

  /** Component k of every draw as the flat chain-major array {@code out[c·S + s]} (m·S values; modified). */
  public static void component(double[][] draws, int n, int k, double[] out) {
    int o = 0;
    for (double[] chain : draws) {
      final int s = chain.length / n;
      for (int i = 0; i < s; i++) {
        out[o++] = chain[i * n + k];
      }
    }
  }

  /** The largest R̂ over components; NaN if any is NaN (an undiagnosable component is the worst case). */
  public double maxRhat() {
    return worst(rhat, true);
  }

  /** The smallest bulk ESS over components; NaN if any is NaN. */
  public double minEssBulk() {
    return worst(essBulk, false);
  }

  /** The smallest tail ESS over components; NaN if any is NaN. */
  public double minEssTail() {
    return worst(essTail, false);
  }

  private static double worst(double[] a, boolean max) {
    double w = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    for (double v : a) {
      if (Double.isNaN(v)) {
        return Double.NaN;
      }
      w = max ? Math.max(w, v) : Math.min(w, v);
    }
    return w;
  }

  /**
   * Whether max R̂ ≤ {@link Convergence#RHAT_WARN} and min bulk and tail ESS ≥ {@link Convergence#ESS_WARN}
   * (false when any is NaN).
   */
  public boolean passes() {
    return maxRhat() <= Convergence.RHAT_WARN && minEssBulk() >= Convergence.ESS_WARN
        && minEssTail() >= Convergence.ESS_WARN;
  }

  /**
   * One line per failed check, naming the worst components, e.g.
   * {@code "max R-hat 1.052 > 1.01 (component 3); chains have not mixed"}; empty when {@link #passes()}.
   *
   * @param what what the components are, e.g. {@code "x0"}
   */
  public List<String> warnings(String what) {
    List<String> w = new ArrayList<>();
    double r = maxRhat();
    if (!(r <= Convergence.RHAT_WARN)) {
      w.add(String.format(Locale.ROOT, "%s: max R-hat %s > %.2f (component %d): the chains have not mixed "
          + "(different modes, or too short)", what, fmt(r), Convergence.RHAT_WARN, argWorst(rhat, true)));
    }
    double eb = minEssBulk();
    if (!(eb >= Convergence.ESS_WARN)) {
      w.add(String.format(Locale.ROOT, "%s: min bulk ESS %s < %.0f (component %d): means and sds are "
          + "imprecise", what, fmt(eb), Convergence.ESS_WARN, argWorst(essBulk, false)));
    }
    double et = minEssTail();
    if (!(et >= Convergence.ESS_WARN)) {
      w.add(String.format(Locale.ROOT, "%s: min tail ESS %s < %.0f (component %d): 5 %%/95 %% quantiles are "
          + "imprecise", what, fmt(et), Convergence.ESS_WARN, argWorst(essTail, false)));
    }
    return w;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4g", v);
  }

  /** Index of the worst value (the first NaN if any). */
  private static int argWorst(double[] a, boolean max) {
    int best = 0;
    for (int k = 0; k < a.length; k++) {
      if (Double.isNaN(a[k])) {
        return k;
      }
      if (max ? a[k] > a[best] : a[k] < a[best]) {
        best = k;
      }
    }
    return best;
  }
}
