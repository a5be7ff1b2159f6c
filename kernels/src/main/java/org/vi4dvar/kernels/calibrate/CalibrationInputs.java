package org.vi4dvar.kernels.calibrate;

import org.vi4dvar.kernels.config.ExperimentSettings;

/**
 * What every calibration task reads: the settings of every twin (its seed is replaced by the twin's own), the
 * master seed the twins' seeds derive from, the number of twins, and an optional {@link TwinExtension}. Shared
 * once per executor (a broadcast). Immutable; a plain final class (Kryo).
 */
public final class CalibrationInputs implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private final ExperimentSettings twinSettings;
  private final long masterSeed;
  private final long twins;
  private final TwinExtension extension;

  /**
   * @param twinSettings the settings of every twin (their seed is not used)
   * @param masterSeed the master seed ({@code seed})
   * @param twins the number of twins N, at least 1
   * @param extension extra methods per twin, or null
   */
  public CalibrationInputs(ExperimentSettings twinSettings, long masterSeed, long twins, TwinExtension extension) {
    if (twinSettings == null) {
      throw new IllegalArgumentException("twinSettings must be given");
    }
    if (twins < 1) {
      throw new IllegalArgumentException("twins must be >= 1, got " + twins);
    }
    this.twinSettings = twinSettings;
    this.masterSeed = masterSeed;
    this.twins = twins;
    this.extension = extension;
  }

  /** The settings of every twin (their seed is replaced by the twin's). */
  public ExperimentSettings twinSettings() {
    return twinSettings;
  }

  /** The master seed. */
  public long masterSeed() {
    return masterSeed;
  }

  /** The number of twins. */
  public long twins() {
    return twins;
  }

  /** The extension, or null. */
  public TwinExtension extension() {
    return extension;
  }

  /** The settings of twin k: the twin settings with the twin's seed. */
  public ExperimentSettings settingsOf(long k) {
    return twinSettings.withSeed(Calibration.twinSeed(masterSeed, k));
  }
}
