package org.vi4dvar.kernels.importance;

import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.EmpiricalPosterior;
import org.vi4dvar.kernels.posterior.Family;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.posterior.Posterior;

/**
 * An importance-corrected posterior ({@code <method>-is}): the S draws of a proposal q with a density (Laplace,
 * VI, mixtures, flows), weighted by Pareto-smoothed importance weights of the unnormalised target
 * {@code p̃(c) = exp(−J(c))}:
 * <pre>
 *   draw i = draw i of q (recomputed from q by index; nothing but the S weights is stored)
 *   weight  w̃_i = PSIS-smoothed, normalised exp(−J(c_i) − log q(c_i))          ({@link Psis})
 *   E[f] ≈ Σ w̃_i f(c_i)   (self-normalised importance sampling)
 * </pre>
 * Building one: compute the raw log weights by ranges as tasks ({@link ImportanceWeights#logWeights}), concatenate
 * them in index order and pass them to {@link #of}. Its {@link #diagnostics()}: objective {@code pareto-k}
 * (k̂; NaN when not finite, see {@link PsisResult.Fit}), converged = k̂ ≤ min(0.7, 1 − 1/log₁₀ S), counts
 * {@code draws, tail, zero-weights}, extras {@code pareto_k, pareto_k_threshold, reliability, ess, ess_raw,
 * fit, proposal}.
 *
 * <p>{@link #sampler()} returns draw i with weight {@code S w̃_i} (mean 1: equal weights are 1). Exact moments
 * are the weighted sample moments with reliability weights, as {@link EmpiricalPosterior}'s. Immutable and
 * shippable if the proposal is.
 */
public final class ImportancePosterior implements Posterior {

  private static final long serialVersionUID = 1L;

  private final Posterior proposal;
  private final PsisResult psis;
  /** Not shipped (as every posterior's): posterior.bin and the tasks need the distribution, not the run's record. */
  private final transient Diagnostics diagnostics;

  /**
   * @param proposal the proposal (density, unweighted draws), the one the weights were computed with
   * @param psis the smoothed weights of its first S draws
   */
  public ImportancePosterior(Posterior proposal, PsisResult psis) {
    ImportanceWeights.requireProposal(proposal);
    this.proposal = proposal;
    this.psis = psis;
    this.diagnostics = buildDiagnostics(proposal, psis);
  }

  private ImportancePosterior(Posterior proposal, PsisResult psis, Diagnostics diagnostics) {
    this.proposal = proposal;
    this.psis = psis;
    this.diagnostics = diagnostics;
  }

  /** The same posterior with other diagnostics (e.g. the method's, extending {@link #diagnostics()}). */
  public ImportancePosterior withDiagnostics(Diagnostics d) {
    return new ImportancePosterior(proposal, psis, d);
  }

  /** Smooths the raw log weights of the proposal's draws {@code 0 … S−1} and builds the posterior. */
  public static ImportancePosterior of(Posterior proposal, double[] rawLogWeights) {
    return new ImportancePosterior(proposal, Psis.smooth(rawLogWeights));
  }

  private static Diagnostics buildDiagnostics(Posterior proposal, PsisResult p) {
    return Diagnostics.builder("pareto-k")
        .objective(Double.isFinite(p.k) ? p.k : Double.NaN, Double.NaN)
        .converged(p.reliability != Reliability.UNRELIABLE, "Pareto k-hat <= min(0.7, 1 - 1/log10 S) "
            + "(Vehtari et al. 2024): the importance-weighted estimates are reliable")
        .count("draws", p.draws)
        .count("tail", p.tailLength)
        .count("zero-weights", p.zeroWeights)
        .extra("pareto_k", Double.isFinite(p.k) ? p.k : Double.NaN)
        .extra("pareto_k_threshold", p.threshold)
        .extra("reliability", p.reliability.configName())
        .extra("ess", p.ess)
        .extra("ess_raw", p.rawEss)
        .extra("fit", p.fit.description())
        .extra("proposal", proposal.family().configName())
        .build();
  }

  /** The proposal. */
  public Posterior proposal() {
    return proposal;
  }

  /** The smoothing result (weights, k̂, ESS). */
  public PsisResult psis() {
    return psis;
  }

  /** k̂. */
  public double paretoK() {
    return psis.k;
  }

  /** The reliability class of k̂. */
  public Reliability reliability() {
    return psis.reliability;
  }

  @Override
  public int dimension() {
    return proposal.dimension();
  }

  @Override
  public Family family() {
    return Family.EMPIRICAL;
  }

  /** S, whatever is requested. */
  @Override
  public long draws(long requested) {
    return psis.draws;
  }

  @Override
  public boolean weighted() {
    return true;
  }

  @Override
  public boolean hasDensity() {
    return false;
  }

  @Override
  public Diagnostics diagnostics() {
    return diagnostics == null ? buildDiagnostics(proposal, psis) : diagnostics;
  }

  /**
   * The weighted mean and covariance of the S draws (two passes, each redrawing from the proposal):
   * {@code mean = Σ w̃ c},  {@code cov = Σ w̃ (c − mean)(c − mean)ᵀ / (1 − Σ w̃²)}.
   */
  @Override
  public Moments exactMoments() {
    final int n = dimension();
    final int s = psis.draws;
    Posterior.Sampler q = proposal.sampler();
    double[] c = new double[n];
    double[] mean = new double[n];
    double w2 = 0.0;
    for (int i = 0; i < s; i++) {
      double w = psis.weight(i);
      if (w == 0.0) {
        continue;
      }
      w2 += w * w;
      q.draw(i, c);
      for (int k = 0; k < n; k++) {
        mean[k] += w * c[k];
      }
    }
    double[] cov = new double[n * n];
    double[] d = new double[n];
    for (int i = 0; i < s; i++) {
      double w = psis.weight(i);
      if (w == 0.0) {
        continue;
      }
      q.draw(i, c);
      for (int k = 0; k < n; k++) {
        d[k] = c[k] - mean[k];
      }
      for (int a = 0; a < n; a++) {
        final double wa = w * d[a];
        for (int b = 0; b <= a; b++) {
          cov[a * n + b] += wa * d[b];
        }
      }
    }
    double denom = 1.0 - w2;
    double inv = denom > 0 ? 1.0 / denom : 0.0;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b <= a; b++) {
        double v = cov[a * n + b] * inv;
        cov[a * n + b] = v;
        cov[b * n + a] = v;
      }
    }
    return Moments.dense(mean, cov);
  }

  /**
   * Monte Carlo standard errors of the weighted mean and sd of every component, by the delta method for
   * self-normalised importance sampling (Owen 2013, Monte Carlo theory, methods and examples, §9.2):
   * <pre>
   *   se(mean_k)² ≈ Σ_i w̃_i² (c_ik − mean_k)²
   *   se(var_k)²  ≈ Σ_i w̃_i² ((c_ik − mean_k)² − var_k)²,   se(sd_k) ≈ se(var_k) / (2 sd_k)
   * </pre>
   * (with the smoothed weights, as loo's {@code E_loo}: approximate when k̂ &gt; 0.5).
   *
   * @return {@code {se(mean), se(sd)}}, n values each
   */
  public double[][] mcse() {
    final int n = dimension();
    final int s = psis.draws;
    Moments mom = exactMoments();
    Posterior.Sampler q = proposal.sampler();
    double[] c = new double[n];
    double[] varW = new double[n]; // Σ w (c − m)² (plain weighted variance, no reliability factor)
    for (int i = 0; i < s; i++) {
      double w = psis.weight(i);
      if (w == 0.0) {
        continue;
      }
      q.draw(i, c);
      for (int k = 0; k < n; k++) {
        double d = c[k] - mom.mean[k];
        varW[k] += w * d * d;
      }
    }
    double[] seMean = new double[n];
    double[] seVar = new double[n];
    for (int i = 0; i < s; i++) {
      double w = psis.weight(i);
      if (w == 0.0) {
        continue;
      }
      q.draw(i, c);
      double w2 = w * w;
      for (int k = 0; k < n; k++) {
        double d = c[k] - mom.mean[k];
        seMean[k] += w2 * d * d;
        double e = d * d - varW[k];
        seVar[k] += w2 * e * e;
      }
    }
    double[] seSd = new double[n];
    for (int k = 0; k < n; k++) {
      seMean[k] = Math.sqrt(seMean[k]);
      seSd[k] = Math.sqrt(seVar[k]) / (2.0 * Math.sqrt(varW[k]));
    }
    return new double[][] {seMean, seSd};
  }

  /** The S draws with their weights {@code S w̃_i}, materialised as an {@link EmpiricalPosterior}. */
  public EmpiricalPosterior toEmpirical() {
    final int n = dimension();
    final int s = psis.draws;
    double[] draws = new double[s * n];
    double[] w = new double[s];
    Posterior.Sampler q = sampler();
    double[] c = new double[n];
    for (int i = 0; i < s; i++) {
      w[i] = q.draw(i, c);
      System.arraycopy(c, 0, draws, i * n, n);
    }
    return new EmpiricalPosterior(n, draws, w, diagnostics());
  }

  @Override
  public Sampler sampler() {
    final Sampler q = proposal.sampler();
    final int s = psis.draws;
    return new Sampler() {
      @Override
      public double draw(long i, double[] out) {
        if (i < 0 || i >= s) {
          throw new IllegalArgumentException("draw " + i + " outside [0, " + s + ")");
        }
        q.draw(i, out);
        return s * psis.weight((int) i);
      }
    };
  }
}
