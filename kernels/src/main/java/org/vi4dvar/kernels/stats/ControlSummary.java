package org.vi4dvar.kernels.stats;

import org.vi4dvar.kernels.posterior.Family;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.var.ControlSpace;

/**
 * The posterior of the parts of the control beyond x0 (issue 15): the model errors η_t and the estimated
 * parameters p, read off a method's {@link Posterior} over {@code c = (x0, η_0 … η_{T−2}, p)}
 * ({@link ControlSpace} layout), so it works for every method, present and future.
 * <ul>
 *   <li>mean and std of every η_{t,i} ({@code (T−1) × nx}; zeros where the component has no model error): the
 *       family's exact moments ({@link Posterior#exactMoments}) where it has them, else the weighted sample
 *       moments of its draws;</li>
 *   <li>per parameter: mean, std and the 5 %, 50 %, 95 % quantiles. Gaussian families:
 *       {@code m + σ Φ⁻¹(p)} exactly (Φ⁻¹(0.95) = 1.6448536269514722); other families: the weighted sample
 *       quantiles of the draws ({@link PointSample#quantile}).</li>
 * </ul>
 * Draw i is a pure function of (posterior, i), so the result does not depend on where it is computed.
 */
public final class ControlSummary {

  /** Φ⁻¹(0.95), the standard normal 95 % quantile. */
  public static final double Z95 = 1.6448536269514722;

  /** The probabilities of the parameter quantiles {@code parameterStats[k][2..4]}: 5 %, 50 %, 95 %. */
  public static final double[] PARAMETER_PROBS = {0.05, 0.5, 0.95};

  /** η means, {@code (T−1) × nx} row-major (t, i); zeros where no model error. Empty for strong constraint. */
  public final double[] etaMean;
  /** η standard deviations, same layout. */
  public final double[] etaStd;
  /** Parameter names, in control order. */
  public final String[] parameters;
  /** Per parameter k: {@code {mean, std, q05, q50, q95}} (the quantiles at {@link #PARAMETER_PROBS}). */
  public final double[][] parameterStats;
  /** Whether the parameter quantiles are sample quantiles (else exact Gaussian ones). */
  public final boolean sampleQuantiles;

  private ControlSummary(double[] etaMean, double[] etaStd, String[] parameters, double[][] parameterStats,
      boolean sampleQuantiles) {
    this.etaMean = etaMean;
    this.etaStd = etaStd;
    this.parameters = parameters;
    this.parameterStats = parameterStats;
    this.sampleQuantiles = sampleQuantiles;
  }

  /**
   * The model errors against the true ones (a twin's {@code model_error_truth.csv}), over the components that
   * have model error ({@code Q > 0}): {@code {rmse, spread, points}} with rmse = √(mean (E[η_{t,i}] − η^true_{t,i})²)
   * and spread = mean std(η_{t,i}), the analogue of the trajectory's RMSE and spread (spread/skill ≈ 1 for a
   * calibrated posterior). NaNs (and 0 points) for a strong-constraint control.
   *
   * @param cs the control (which components carry model error)
   * @param etaTruth the true η, {@code (T−1) × nx} row-major like {@link #etaMean}
   */
  public double[] etaScores(ControlSpace cs, double[] etaTruth) {
    if (etaTruth.length != etaMean.length) {
      throw new IllegalArgumentException("the true model errors have " + etaTruth.length + " values, the posterior "
          + etaMean.length);
    }
    final int nx = cs.nx();
    final int points = cs.nEta();
    double se = 0.0;
    double sd = 0.0;
    for (int k = 0; k < points; k++) {
      int j = cs.etaStep(k) * nx + cs.etaComponent(k);
      double d = etaMean[j] - etaTruth[j];
      se += d * d;
      sd += etaStd[j];
    }
    return points == 0 ? new double[] {Double.NaN, Double.NaN, 0}
        : new double[] {Math.sqrt(se / points), sd / points, points};
  }

  /** Whether there is anything beyond x0 to report. */
  public boolean any() {
    return etaMean.length > 0 || parameters.length > 0;
  }

  /**
   * The summary of {@code post} over the control {@code cs}.
   *
   * @param parameterNames names of the estimated parameters in control order
   * @param requested draws to use for a family without exact moments or quantiles ({@link Posterior#draws})
   */
  public static ControlSummary of(ControlSpace cs, String[] parameterNames, Posterior post, long requested) {
    final int nx = cs.nx();
    final int n = cs.n();
    if (post.dimension() != n) {
      throw new IllegalArgumentException("the posterior has dimension " + post.dimension() + ", the control " + n);
    }
    final int nEta = cs.nEta();
    final int nPar = cs.nParameters();
    final int steps = cs.weakConstraint() ? Math.max(0, cs.nAssim() - 1) : 0;
    double[] etaMean = new double[steps * nx];
    double[] etaStd = new double[steps * nx];
    double[][] ps = new double[nPar][5];
    if (nEta == 0 && nPar == 0) {
      return new ControlSummary(etaMean, etaStd, parameterNames.clone(), ps, false);
    }
    final int eo = cs.etaOffset();
    final int po = cs.parameterOffset();
    Moments m = post.exactMoments();
    final boolean gaussian = post.family() == Family.GAUSSIAN && m != null;
    double[] mean = new double[n];
    double[] var = new double[n];
    // draws, needed for the moments of a family without exact ones and for non-Gaussian quantiles
    final boolean needDraws = m == null || (!gaussian && nPar > 0);
    double[] parDraws = null;
    double[] weights = null;
    int count = 0;
    if (needDraws) {
      long d = post.draws(requested);
      int nd = (int) Math.min(d, Integer.MAX_VALUE - 8);
      parDraws = new double[nd * Math.max(1, nPar)];
      weights = post.weighted() ? new double[nd] : null;
      Posterior.Sampler s = post.sampler();
      double[] c = new double[n];
      double[] swx = new double[n];
      double wsum = 0.0;
      double[] acc = new double[n];
      for (int i = 0; i < nd; i++) {
        double w = s.draw(i, c);
        boolean finite = true;
        for (int k = 0; k < n; k++) {
          finite &= Double.isFinite(c[k]);
        }
        if (!finite || !(w >= 0) || !Double.isFinite(w)) {
          continue;
        }
        if (weights != null) {
          weights[count] = w;
        }
        for (int k = 0; k < nPar; k++) {
          parDraws[count * nPar + k] = c[po + k];
        }
        count++;
        if (m == null) {
          // weighted Welford (West 1979), per component
          wsum += w;
          for (int k = 0; k < n; k++) {
            if (w == 0) {
              continue;
            }
            double delta = c[k] - swx[k];
            swx[k] += delta * w / wsum;
            acc[k] += w * delta * (c[k] - swx[k]);
          }
        }
      }
      if (m == null) {
        for (int k = 0; k < n; k++) {
          mean[k] = swx[k];
          var[k] = wsum > 0 ? acc[k] / wsum : Double.NaN;
        }
      }
    }
    if (m != null) {
      System.arraycopy(m.mean, 0, mean, 0, n);
      System.arraycopy(m.variance, 0, var, 0, n);
    }
    for (int k = 0; k < nEta; k++) {
      int t = cs.etaStep(k);
      int i = cs.etaComponent(k);
      etaMean[t * nx + i] = mean[eo + k];
      etaStd[t * nx + i] = Math.sqrt(Math.max(0.0, var[eo + k]));
    }
    boolean sampled = false;
    PointSample sample = count > 0 ? new PointSample(count) : null;
    for (int k = 0; k < nPar; k++) {
      double mu = mean[po + k];
      double sd = Math.sqrt(Math.max(0.0, var[po + k]));
      ps[k][0] = mu;
      ps[k][1] = sd;
      if (gaussian) {
        ps[k][2] = mu - Z95 * sd;
        ps[k][3] = mu;
        ps[k][4] = mu + Z95 * sd;
      } else if (sample != null) {
        sampled = true;
        double[] w = weights == null ? null : java.util.Arrays.copyOf(weights, count);
        sample.load(parDraws, k, nPar, count, w);
        for (int q = 0; q < PARAMETER_PROBS.length; q++) {
          ps[k][2 + q] = sample.quantile(PARAMETER_PROBS[q]);
        }
      } else {
        ps[k][2] = ps[k][3] = ps[k][4] = Double.NaN;
      }
    }
    return new ControlSummary(etaMean, etaStd, parameterNames.clone(), ps, sampled);
  }
}
