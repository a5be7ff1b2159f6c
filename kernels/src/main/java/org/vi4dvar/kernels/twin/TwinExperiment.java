package org.vi4dvar.kernels.twin;

import org.vi4dvar.kernels.model.Lorenz96Spec;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.model.ModelSpec;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.CorrelationModel;
import org.vi4dvar.kernels.var.DenseTransform;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Generates a twin experiment by the talk's recipe:
 * <ol>
 *   <li>truth: {@code x ~ N(0, initStd²)}, {@code spinup} RK4 steps, then {@code nStates} states, with the
 *       truth's forcing ({@code truthForcing}); with model error, {@code x_{t+1} = M(x_t) + η_t},
 *       {@code η_{t,i} = q_i ε} over the assimilation window ({@code t < nAssim − 1}, the steps the problem
 *       models with error; the forecast states run without, as the problem's do);</li>
 *   <li>mask: t = 0 and states with {@code t % timeStride ≠ 0} are never observed; every other (t, j),
 *       {@code t < nAssim}, is dropped with probability {@code drop};</li>
 *   <li>observation std per (t, j): uniform in [obsNoiseMin, obsNoiseMax] × half the peak-to-peak range of the
 *       noise-free observations {@code h(D x_t)}, {@code t < nAssim}; {@code y = h(D x_t) + σ ε};</li>
 *   <li>background std per component: uniform in [bgNoiseMin, bgNoiseMax] × half the peak-to-peak range of the
 *       true x0; {@code x_b = x0 + σ_b ε}, or with correlated errors {@code x_b = x0 + B½ ε},
 *       {@code B = D C D} ({@link CorrelationModel}, D = diag σ_b; the same ε).</li>
 * </ol>
 * The problem has the model's forcing ({@code forcing}), the twin's B (diagonal or dense), and the twin's
 * model-error std as its Q (weak constraint) when there is model error. The twin keeps the truth's whole control:
 * its x0 (the truth's first state), the η_t it drew and its forcing ({@link Twin#modelError},
 * {@link Twin#parameters}). Each ingredient draws from its own
 * stream {@code (seed, TWIN, k)}, so e.g. changing {@code drop} changes the mask but not the truth or the
 * noise, and a twin without the issue-12/15 options is the same as before them, bit for bit. The same
 * configuration gives the same twin, bit for bit.
 */
public final class TwinExperiment {

  private static final int TRUTH = 0;
  private static final int MASK = 1;
  private static final int OBS_STD = 2;
  private static final int OBS_NOISE = 3;
  private static final int BG_STD = 4;
  private static final int BG_NOISE = 5;
  private static final int MODEL_ERROR = 6;

  private TwinExperiment() {
  }

  /** Generates the twin experiment of {@code c}. */
  public static Twin generate(TwinConfig c) {
    final int nx = c.nx();
    Lorenz96Spec spec = ModelSpec.lorenz96(nx, c.forcing(), c.dt());
    Model m = spec.withForcing(c.truthForcing()).newModel();

    RandomStream truthRng = stream(c, TRUTH);
    double[] x = new double[nx];
    for (int i = 0; i < nx; i++) {
      x[i] = c.initStd() * truthRng.nextGaussian();
    }
    double[] tmp = new double[nx];
    for (int s = 0; s < c.spinup(); s++) {
      m.step(x, tmp);
      System.arraycopy(tmp, 0, x, 0, nx);
    }
    double[] truth = new double[c.nStates() * nx];
    final double[] q = c.modelErrorStdPerComponent();
    double[] eta = null;
    if (!c.hasModelError()) {
      m.trajectory(x, c.nStates(), truth);
    } else {
      RandomStream etaRng = stream(c, MODEL_ERROR);
      eta = new double[Math.max(0, c.nAssim() - 1) * nx];
      System.arraycopy(x, 0, truth, 0, nx);
      for (int t = 0; t + 1 < c.nStates(); t++) {
        m.step(truth, t * nx, truth, (t + 1) * nx, null, 0);
        if (t + 1 < c.nAssim()) {
          for (int i = 0; i < nx; i++) {
            eta[t * nx + i] = q[i] * etaRng.nextGaussian();
            truth[(t + 1) * nx + i] += eta[t * nx + i];
          }
        }
      }
    }

    ObservationOperator obs = new ObservationOperator(nx, c.pooling(), c.nonlinearity());
    final int ny = obs.ny();
    final int nAssim = c.nAssim();
    double[] clean = new double[nAssim * ny];
    double[] row = new double[ny];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < nAssim; t++) {
      obs.apply(truth, t * nx, row);
      for (int j = 0; j < ny; j++) {
        clean[t * ny + j] = row[j];
        lo = Math.min(lo, row[j]);
        hi = Math.max(hi, row[j]);
      }
    }
    double obsHalfRange = 0.5 * (hi - lo);
    if (!(obsHalfRange > 0) || !Double.isFinite(obsHalfRange)) {
      throw new IllegalArgumentException("the noise-free observations have no spread (half range "
          + obsHalfRange + "): observation noise cannot be scaled; check the model and forcing");
    }

    RandomStream maskRng = stream(c, MASK);
    RandomStream stdRng = stream(c, OBS_STD);
    RandomStream noiseRng = stream(c, OBS_NOISE);
    double[] y = new double[nAssim * ny];
    double[] obsStd = new double[nAssim * ny];
    for (int t = 0; t < nAssim; t++) {
      for (int j = 0; j < ny; j++) {
        final int k = t * ny + j;
        // every (t, j) consumes its draws, observed or not, so the streams stay aligned
        double u = maskRng.nextDouble();
        double sigma = stdRng.nextUniform(c.obsNoiseMin(), c.obsNoiseMax()) * obsHalfRange;
        double eps = noiseRng.nextGaussian();
        boolean observable = t > 0 && t % c.timeStride() == 0;
        if (observable && u >= c.drop()) {
          obsStd[k] = sigma;
          y[k] = clean[k] + sigma * eps;
        } else {
          obsStd[k] = Double.NaN;
          y[k] = Double.NaN;
        }
      }
    }

    double x0lo = Double.POSITIVE_INFINITY;
    double x0hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < nx; i++) {
      x0lo = Math.min(x0lo, truth[i]);
      x0hi = Math.max(x0hi, truth[i]);
    }
    double x0HalfRange = 0.5 * (x0hi - x0lo);
    RandomStream bStdRng = stream(c, BG_STD);
    RandomStream bNoiseRng = stream(c, BG_NOISE);
    double[] bStd = new double[nx];
    double[] xb = new double[nx];
    FourDVarProblem problem;
    if (c.bgCorrelation() == CorrelationModel.NONE) {
      for (int i = 0; i < nx; i++) {
        bStd[i] = bStdRng.nextUniform(c.bgNoiseMin(), c.bgNoiseMax()) * x0HalfRange;
        xb[i] = truth[i] + bStd[i] * bNoiseRng.nextGaussian();
      }
      problem = new FourDVarProblem(spec, obs, c.nStates(), nAssim, xb, bStd, y, obsStd);
    } else {
      double[] z = new double[nx];
      for (int i = 0; i < nx; i++) {
        bStd[i] = bStdRng.nextUniform(c.bgNoiseMin(), c.bgNoiseMax()) * x0HalfRange;
        z[i] = bNoiseRng.nextGaussian();
      }
      double[] x0 = java.util.Arrays.copyOf(truth, nx);
      DenseTransform b = DenseTransform.correlated(x0, bStd, c.bgCorrelation(), c.bgCorrelationLength());
      b.perturb(x0, 1.0, z, xb);                       // ε_b = B½ z
      problem = new FourDVarProblem(spec, obs, c.nStates(), nAssim, b.withCenter(xb), y, obsStd);
    }
    if (c.hasModelError()) {
      problem = problem.withModelError(FourDVarProblem.modelErrorStd(nAssim, nx, q));
    }
    return new Twin(problem, truth, eta, new double[] {c.truthForcing()});
  }

  private static RandomStream stream(TwinConfig c, int part) {
    return RandomStream.of(c.seed(), Domain.TWIN, part);
  }
}
