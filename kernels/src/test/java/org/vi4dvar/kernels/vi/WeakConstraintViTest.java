package org.vi4dvar.kernels.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.flow.CouplingFlow;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.testing.Tol;
import org.vi4dvar.kernels.var.CorrelationModel;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.WhitenedObjective;

/**
 * Full-rank VI at the DEFAULT settings on a weak-constraint control of n = 96 (nx 8, 12 assimilated states, model
 * error q = 0.1 on every component: 8 + 11 × 8), linear model and identity observations, so the posterior of the
 * control is exactly Gaussian and known ({@link LinearGaussian}). The start is the one {@link ViMethod} gives a
 * restart away from a minimum: the prior mean with {@code vi.init-std} = 0.25 of the prior's scale.
 *
 * <p>Before the factor's lower triangle stepped by {@code lr/√i} ({@link CouplingFlow#stepScales}) this run never
 * converged: its ELBO fell to −10³⁸ and the means were 10¹⁵ sd off (the iterates' spread, inflated along the rows
 * of the factor by Adam's per-coordinate steps, compounded by the recentring at every window).
 */
class WeakConstraintViTest {

  /** The defaults' final rate lr0 · γ^J and the iterations averaged at the last level (at least). */
  private static final double FINAL_RATE = VariationalConfig.DEFAULT_RATE
      * Math.pow(VariationalConfig.DEFAULT_FACTOR, VariationalConfig.DEFAULT_LEVELS);
  private static final int AVERAGED = VariationalConfig.DEFAULT_AVERAGE_WINDOWS * VariationalConfig.DEFAULT_WINDOW;
  /** Correlation time of Adam's steps: its first moment is an AR(1) of coefficient β1 = 0.9, τ = (1+β1)/(1−β1). */
  private static final double TAU = (1 + 0.9) / (1 - 0.9);
  /** Gradient estimates at the end for its Monte Carlo error. */
  private static final int NOISE_ESTIMATES = 200;

  @Test
  void fullRankReachesTheExactWeakConstraintPosteriorAtTheDefaults() {
    final int nx = 8;
    final int nAssim = 12;
    LinearGaussian lg = LinearGaussian.create(20240, nx, nAssim + 2, nAssim, 0.5, 0.3, 0.6, CorrelationModel.SOAR,
        2.0, FourDVarProblem.modelErrorStd(nAssim, nx, 0.1));
    FourDVarProblem p = lg.problem;
    final int n = p.dimension();
    assertEquals(nx + (nAssim - 1) * nx, n);
    WhitenedObjective f = new WhitenedObjective(new FourDVarCost(p));
    VariationalConfig cfg = VariationalConfig.builder(3).family(VariationalFamily.FULL_RANK).build();
    VariationalResult r = new VariationalInference(f, p.control(), cfg).run(0, ViStart.isotropic(new double[n], 0.25));
    assertEquals(ViStopReason.CONVERGED, r.stopReason, r.toString());

    // The tolerance: at the final rate each averaged parameter (in the coordinates of the fit, where the posterior
    // is ≈ N(0, I), so in posterior sd) is off by the larger of
    //   step:  Adam moves it by ≤ FINAL_RATE per step (a row of the factor by ≈ FINAL_RATE in norm), steps
    //          correlated over TAU, averaged over AVERAGED iterates: FINAL_RATE √(TAU / AVERAGED) = 3.0e-4;
    //   noise: Polyak–Juditsky, the averaged iterate's error is H⁻¹ (the mean of AVERAGED gradient estimates' Monte
    //          Carlo error), H ≈ I there: σ_g / √AVERAGED, σ_g the largest sd of one gradient estimate at the end
    //          (measured below: "sticking the landing" has σ_g → 0 as q → the Gaussian posterior).
    // Tol.MC_SIGMAS of those; a correlation moves with two rows: twice that.
    double sigmaG = gradientNoise(f, n, r);
    double oneSd = Math.max(FINAL_RATE * Math.sqrt(TAU / AVERAGED), sigmaG / Math.sqrt(AVERAGED));
    double tol = Tol.MC_SIGMAS * oneSd;

    Moments m = r.gaussian().exactMoments();
    double worstMean = 0;
    double worstStd = 0;
    double worstCorr = 0;
    for (int i = 0; i < n; i++) {
      double sd = Math.sqrt(lg.covariance[i * n + i]);
      worstMean = Math.max(worstMean, Math.abs(m.mean[i] - lg.mean[i]) / sd);
      worstStd = Math.max(worstStd, Math.abs(Math.sqrt(m.variance[i]) / sd - 1));
      for (int j = 0; j < i; j++) {
        double exact = lg.covariance[i * n + j] / (sd * Math.sqrt(lg.covariance[j * n + j]));
        worstCorr = Math.max(worstCorr, Math.abs(m.cov(i, j) / Math.sqrt(m.variance[i] * m.variance[j]) - exact));
      }
    }
    String got = String.format(java.util.Locale.ROOT, "%d iterations; mean %.2g sd, std %.2g rel, corr %.2g; "
        + "tolerance %.2g (σ_g %.2g)", r.iterations, worstMean, worstStd, worstCorr, tol, sigmaG);
    System.out.println("full-rank VI, weak constraint n = " + n + ": " + got);
    assertTrue(worstMean < tol, "mean: " + got);
    assertTrue(worstStd < tol, "std: " + got);
    assertTrue(worstCorr < 2 * tol, "correlation: " + got);
  }

  /**
   * The largest standard deviation, over the parameters, of one gradient estimate (the run's samples per step)
   * at the result, in the coordinates of the fit (θ = 0 about its own Gaussian, as the last level holds it).
   */
  private static double gradientNoise(WhitenedObjective f, int n, VariationalResult r) {
    FlowObjective obj = new FlowObjective(f, new CouplingFlow(n, 0, 0, false), VariationalConfig.DEFAULT_SAMPLES,
        GradientEstimator.PATH, true);
    obj.setBase(ViStart.of(r.gaussian()).preconditioner(false));
    final int np = obj.parameterCount();
    double[] theta = new double[np];
    double[] g = new double[np];
    double[] sum = new double[np];
    double[] sum2 = new double[np];
    RandomStream rng = RandomStream.of(1, Domain.OTHER, 7);
    for (int k = 0; k < NOISE_ESTIMATES; k++) {
      obj.estimate(theta, rng, g);
      for (int q = 0; q < np; q++) {
        sum[q] += g[q];
        sum2[q] += g[q] * g[q];
      }
    }
    double worst = 0;
    for (int q = 0; q < np; q++) {
      double mean = sum[q] / NOISE_ESTIMATES;
      worst = Math.max(worst, Math.sqrt(Math.max(0, sum2[q] / NOISE_ESTIMATES - mean * mean)));
    }
    return worst;
  }
}
