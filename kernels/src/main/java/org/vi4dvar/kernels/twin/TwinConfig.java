package org.vi4dvar.kernels.twin;

import java.util.List;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.var.CorrelationModel;

/**
 * The recipe of a Lorenz96 twin experiment (Filoche &amp; Béréziat, ISDA 2024). Defaults are the talk's
 * ({@link #talk(long)}).
 *
 * @param seed master seed of every random draw
 * @param nx grid points (≥ 4)
 * @param forcing Lorenz96 forcing F of the model the estimators use (its prior mean when F is estimated)
 * @param dt RK4 step
 * @param spinup RK4 steps from {@code x0 ~ N(0, initStd²)} to the first state of the window
 * @param nStates window length (states)
 * @param nAssim assimilated states (the first ones); the rest are the forecast
 * @param pooling average-pooling factor of the observation operator (divides nx)
 * @param nonlinearity pointwise observation nonlinearity
 * @param drop probability that an observable (t, j) is left unobserved, in [0, 1)
 * @param timeStride only states {@code t} with {@code t % timeStride == 0} are observable; t = 0 never is
 * @param obsNoiseMin lower bound of the observation-noise std, as a fraction of half the peak-to-peak range of
 *     the noise-free observations over the assimilation window
 * @param obsNoiseMax upper bound of the same
 * @param bgNoiseMin lower bound of the background-noise std, as a fraction of half the peak-to-peak range of
 *     the true x0
 * @param bgNoiseMax upper bound of the same
 * @param initStd standard deviation of the initial draw before spin-up
 * @param truthForcing the forcing of the truth ({@code twin.forcing}; default {@code forcing}), so that a twin
 *     can have F_true ≠ the model's (prior) F
 * @param bgCorrelation correlation model of the background errors ({@code background.correlation.model})
 * @param bgCorrelationLength its length in grid points ({@code background.correlation.length}; &gt; 0 unless
 *     the model is NONE)
 * @param modelErrorStd model-error std ({@code model.error-std}): empty or all zero = none (strong constraint),
 *     one value for every component, or nx values (per component); the same for every step of the window
 */
public record TwinConfig(long seed, int nx, double forcing, double dt, int spinup, int nStates, int nAssim,
    int pooling, Nonlinearity nonlinearity, double drop, int timeStride, double obsNoiseMin,
    double obsNoiseMax, double bgNoiseMin, double bgNoiseMax, double initStd, double truthForcing,
    CorrelationModel bgCorrelation, double bgCorrelationLength, List<Double> modelErrorStd) {

  /** The talk: nx 16, F 8, dt 0.1, 64 spin-up steps, 16 states of which 12 assimilated, y = x², drop 0.5. */
  public static TwinConfig talk(long seed) {
    return new TwinConfig(seed, 16, 8.0, 0.1, 64, 16, 12, 1, Nonlinearity.SQUARE, 0.5, 1,
        0.05, 0.10, 0.10, 0.20, 1.0);
  }

  /**
   * The twin of the recipe before issues 12 and 15: the truth runs with the model's forcing, uncorrelated
   * background errors, no model error.
   */
  public TwinConfig(long seed, int nx, double forcing, double dt, int spinup, int nStates, int nAssim,
      int pooling, Nonlinearity nonlinearity, double drop, int timeStride, double obsNoiseMin,
      double obsNoiseMax, double bgNoiseMin, double bgNoiseMax, double initStd) {
    this(seed, nx, forcing, dt, spinup, nStates, nAssim, pooling, nonlinearity, drop, timeStride, obsNoiseMin,
        obsNoiseMax, bgNoiseMin, bgNoiseMax, initStd, forcing, CorrelationModel.NONE, 0.0, List.of());
  }

  /** A copy whose truth runs with forcing {@code f} (the model keeps {@link #forcing()}). */
  public TwinConfig withTruthForcing(double f) {
    return new TwinConfig(seed, nx, forcing, dt, spinup, nStates, nAssim, pooling, nonlinearity, drop, timeStride,
        obsNoiseMin, obsNoiseMax, bgNoiseMin, bgNoiseMax, initStd, f, bgCorrelation, bgCorrelationLength,
        modelErrorStd);
  }

  /** A copy with correlated background errors. */
  public TwinConfig withBackgroundCorrelation(CorrelationModel model, double length) {
    return new TwinConfig(seed, nx, forcing, dt, spinup, nStates, nAssim, pooling, nonlinearity, drop, timeStride,
        obsNoiseMin, obsNoiseMax, bgNoiseMin, bgNoiseMax, initStd, truthForcing, model, length, modelErrorStd);
  }

  /** A copy with model error (one value, or nx values; see the record comment). */
  public TwinConfig withModelError(double... std) {
    Double[] boxed = new Double[std.length];
    for (int i = 0; i < std.length; i++) {
      boxed[i] = std[i];
    }
    return new TwinConfig(seed, nx, forcing, dt, spinup, nStates, nAssim, pooling, nonlinearity, drop, timeStride,
        obsNoiseMin, obsNoiseMax, bgNoiseMin, bgNoiseMax, initStd, truthForcing, bgCorrelation,
        bgCorrelationLength, List.of(boxed));
  }

  /** Whether the twin has model error (some std &gt; 0). */
  public boolean hasModelError() {
    for (double q : modelErrorStd) {
      if (q > 0) {
        return true;
      }
    }
    return false;
  }

  /** The model-error std per component (nx values, zeros when none). */
  public double[] modelErrorStdPerComponent() {
    double[] q = new double[nx];
    for (int i = 0; i < nx && !modelErrorStd.isEmpty(); i++) {
      q[i] = modelErrorStd.size() == 1 ? modelErrorStd.get(0) : modelErrorStd.get(i);
    }
    return q;
  }

  /** Validates every field; the message names the field. */
  public TwinConfig {
    if (nx < 4) {
      throw new IllegalArgumentException("nx must be >= 4, got " + nx);
    }
    if (!Double.isFinite(forcing)) {
      throw new IllegalArgumentException("forcing must be finite, got " + forcing);
    }
    if (!(dt > 0) || !Double.isFinite(dt)) {
      throw new IllegalArgumentException("dt must be finite and > 0, got " + dt);
    }
    if (spinup < 0) {
      throw new IllegalArgumentException("spinup must be >= 0, got " + spinup);
    }
    if (nStates < 1) {
      throw new IllegalArgumentException("nStates must be >= 1, got " + nStates);
    }
    if (nAssim < 1 || nAssim > nStates) {
      throw new IllegalArgumentException("nAssim must be in [1, nStates=" + nStates + "], got " + nAssim);
    }
    if (pooling < 1 || nx % pooling != 0) {
      throw new IllegalArgumentException("pooling " + pooling + " must be >= 1 and divide nx = " + nx);
    }
    if (nonlinearity == null) {
      throw new IllegalArgumentException("nonlinearity must be given");
    }
    if (!(drop >= 0 && drop < 1)) {
      throw new IllegalArgumentException("drop must be in [0, 1), got " + drop);
    }
    if (timeStride < 1) {
      throw new IllegalArgumentException("timeStride must be >= 1, got " + timeStride);
    }
    checkRange("obsNoise", obsNoiseMin, obsNoiseMax);
    checkRange("bgNoise", bgNoiseMin, bgNoiseMax);
    if (!(initStd > 0) || !Double.isFinite(initStd)) {
      throw new IllegalArgumentException("initStd must be finite and > 0, got " + initStd);
    }
    if (!Double.isFinite(truthForcing)) {
      throw new IllegalArgumentException("truthForcing (twin.forcing) must be finite, got " + truthForcing);
    }
    if (bgCorrelation == null) {
      throw new IllegalArgumentException("bgCorrelation must be given (none | gaussian | soar)");
    }
    if (bgCorrelation != CorrelationModel.NONE && (!(bgCorrelationLength > 0)
        || !Double.isFinite(bgCorrelationLength))) {
      throw new IllegalArgumentException("background correlation length must be finite and > 0 grid points, got "
          + bgCorrelationLength);
    }
    if (modelErrorStd == null) {
      throw new IllegalArgumentException("modelErrorStd must be given (empty for none)");
    }
    modelErrorStd = List.copyOf(modelErrorStd);
    if (modelErrorStd.size() > 1 && modelErrorStd.size() != nx) {
      throw new IllegalArgumentException("model error std must be one value or nx = " + nx + " values, got "
          + modelErrorStd.size());
    }
    for (int i = 0; i < modelErrorStd.size(); i++) {
      double q = modelErrorStd.get(i);
      if (!(q >= 0) || !Double.isFinite(q)) {
        throw new IllegalArgumentException("model error std [" + i + "] must be finite and >= 0, got " + q);
      }
    }
  }

  private static void checkRange(String name, double lo, double hi) {
    if (!(lo > 0) || !Double.isFinite(hi) || !(hi >= lo)) {
      throw new IllegalArgumentException(name + " range must satisfy 0 < min <= max < inf, got [" + lo + ", "
          + hi + "]");
    }
  }
}
