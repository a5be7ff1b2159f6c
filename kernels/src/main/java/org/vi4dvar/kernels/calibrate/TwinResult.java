package org.vi4dvar.kernels.calibrate;

import java.util.Map;

/**
 * What calibrate keeps of one twin experiment: its index and seed, its data facts (the 4D-Var cost at the
 * background and at the truth, which identify the data, and the background's RMSE), every method's
 * {@link TwinMethod} (the prior first, then the methods in the registry's order, then any
 * {@link TwinExtension}'s), and its wall-clock time — or, when the twin could not be made or run, why. A plain
 * final class (a task result; Kryo). Everything but the seconds is a pure function of (settings, master seed, k).
 */
public final class TwinResult implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The twin's index k. */
  public final long twin;
  /** Its seed, {@link Calibration#twinSeed}(master seed, k). */
  public final long seed;
  /** Why the twin failed (no observation, a truth that overflows, an error in a method), or null. */
  public final String failure;
  /** Observations of the twin. */
  public final int observations;
  /** J at the background. */
  public final double costAtBackground;
  /** J at the true control (x0, the η it drew, its parameters: {@code ExperimentInputs.truthControl}). */
  public final double costAtTruth;
  /** RMSE of the background's trajectory over the assimilated states. */
  public final double backgroundRmseAssim;
  /** The same over the forecast states (NaN without forecast). */
  public final double backgroundRmseForecast;
  /** The methods, the prior first (empty when the twin failed). */
  public final TwinMethod[] methods;
  /** Wall-clock seconds of the whole twin (generation, methods, statistics). */
  public final double seconds;

  private TwinResult(long twin, long seed, String failure, int observations, double costAtBackground,
      double costAtTruth, double backgroundRmseAssim, double backgroundRmseForecast, TwinMethod[] methods,
      double seconds) {
    this.twin = twin;
    this.seed = seed;
    this.failure = failure;
    this.observations = observations;
    this.costAtBackground = costAtBackground;
    this.costAtTruth = costAtTruth;
    this.backgroundRmseAssim = backgroundRmseAssim;
    this.backgroundRmseForecast = backgroundRmseForecast;
    this.methods = methods;
    this.seconds = seconds;
  }

  static TwinResult ran(long twin, long seed, int observations, Map<String, Object> data, TwinMethod[] methods,
      double seconds) {
    return new TwinResult(twin, seed, null, observations, number(data, "cost_at_background"),
        number(data, "cost_at_truth"), number(data, "background_rmse_assim"),
        number(data, "background_rmse_forecast"), methods, seconds);
  }

  static TwinResult failed(long twin, long seed, String why, double seconds) {
    return new TwinResult(twin, seed, why, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, new TwinMethod[0],
        seconds);
  }

  private static double number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
  }

  /** Whether the twin ran (its methods may still be unavailable). */
  public boolean ran() {
    return failure == null;
  }

  /** The method named {@code name}, or null. */
  public TwinMethod method(String name) {
    for (TwinMethod m : methods) {
      if (m.name.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
