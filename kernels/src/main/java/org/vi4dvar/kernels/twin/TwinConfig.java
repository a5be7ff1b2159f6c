package org.vi4dvar.kernels.twin;

import org.vi4dvar.kernels.obs.Nonlinearity;

/**
 * The recipe of a Lorenz96 twin experiment (Filoche &amp; Béréziat, ISDA 2024). Defaults are the talk's
 * ({@link #talk(long)}).
 *
 * @param seed master seed of every random draw
 * @param nx grid points (≥ 4)
 * @param forcing Lorenz96 forcing F
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
 */
public record TwinConfig(long seed, int nx, double forcing, double dt, int spinup, int nStates, int nAssim,
    int pooling, Nonlinearity nonlinearity, double drop, int timeStride, double obsNoiseMin,
    double obsNoiseMax, double bgNoiseMin, double bgNoiseMax, double initStd) {

  /** The talk: nx 16, F 8, dt 0.1, 64 spin-up steps, 16 states of which 12 assimilated, y = x², drop 0.5. */
  public static TwinConfig talk(long seed) {
    return new TwinConfig(seed, 16, 8.0, 0.1, 64, 16, 12, 1, Nonlinearity.SQUARE, 0.5, 1,
        0.05, 0.10, 0.10, 0.20, 1.0);
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
  }

  private static void checkRange(String name, double lo, double hi) {
    if (!(lo > 0) || !Double.isFinite(hi) || !(hi >= lo)) {
      throw new IllegalArgumentException(name + " range must satisfy 0 < min <= max < inf, got [" + lo + ", "
          + hi + "]");
    }
  }
}
