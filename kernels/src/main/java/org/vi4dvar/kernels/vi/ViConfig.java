package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.optim.AdamConfig;

/**
 * Settings of VI-4D-Var. Defaults ({@link #defaults(long)}) are the talk's: mean-field, Adam with lr 0.01 and
 * 1500 iterations ({@link AdamConfig#defaults()}), 1 sample per step, μ from the start (x_b) and unit initial
 * standard deviation ({@code ρ = 0}); plus 1000 samples for the final ELBO estimate (the talk's
 * {@code N_vi_sample}), start jitter of 1 background std for restarts r &gt; 0, ELBO trace recorded.
 * Immutable; a plain final class (Kryo).
 */
public final class ViConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Master seed; restart r draws from {@code RandomStream(seed, VI_RESTART, r)}. */
  public final long seed;
  /** The family of q. */
  public final ViFamily family;
  /** Adam settings (iterations = {@code adam.maxIterations}). */
  public final AdamConfig adam;
  /** Monte Carlo samples per gradient step. */
  public final int samplesPerStep;
  /** Samples of the final ELBO estimate. */
  public final int finalSamples;
  /**
   * Initial standard deviation of every component (ρ = log of it); if {@link #initialStdRelative}, a multiple
   * of the component's background standard deviation ({@code σ0_i = initialStd · σb_i}).
   */
  public final double initialStd;
  /** Whether {@link #initialStd} is relative to the background standard deviations. */
  public final boolean initialStdRelative;
  /** Restart jitter: {@code μ0 = start + jitter · σ_b ⊙ z} for r &gt; 0. */
  public final double jitter;
  /** Whether to record the ELBO trace. */
  public final boolean recordTrace;

  /** As the full constructor, with an absolute initial standard deviation. */
  public ViConfig(long seed, ViFamily family, AdamConfig adam, int samplesPerStep, int finalSamples,
      double initialStd, double jitter, boolean recordTrace) {
    this(seed, family, adam, samplesPerStep, finalSamples, initialStd, false, jitter, recordTrace);
  }

  /** Validates every field; the message names the field. */
  public ViConfig(long seed, ViFamily family, AdamConfig adam, int samplesPerStep, int finalSamples,
      double initialStd, boolean initialStdRelative, double jitter, boolean recordTrace) {
    if (family == null || adam == null) {
      throw new IllegalArgumentException("family and adam must be given");
    }
    if (samplesPerStep < 1) {
      throw new IllegalArgumentException("samplesPerStep must be >= 1, got " + samplesPerStep);
    }
    if (finalSamples < 2) {
      throw new IllegalArgumentException("finalSamples must be >= 2, got " + finalSamples);
    }
    if (!(initialStd > 0) || !Double.isFinite(initialStd)) {
      throw new IllegalArgumentException("initialStd must be finite and > 0, got " + initialStd);
    }
    if (!(jitter >= 0) || !Double.isFinite(jitter)) {
      throw new IllegalArgumentException("jitter must be finite and >= 0, got " + jitter);
    }
    this.seed = seed;
    this.family = family;
    this.adam = adam;
    this.samplesPerStep = samplesPerStep;
    this.finalSamples = finalSamples;
    this.initialStd = initialStd;
    this.initialStdRelative = initialStdRelative;
    this.jitter = jitter;
    this.recordTrace = recordTrace;
  }

  /** The talk's settings (class comment). */
  public static ViConfig defaults(long seed) {
    return new ViConfig(seed, ViFamily.MEAN_FIELD, AdamConfig.defaults(), 1, 1000, 1.0, 1.0, true);
  }

  /** A copy with another family. */
  public ViConfig withFamily(ViFamily f) {
    return new ViConfig(seed, f, adam, samplesPerStep, finalSamples, initialStd,
        initialStdRelative, jitter, recordTrace);
  }

  /** A copy with other Adam settings. */
  public ViConfig withAdam(AdamConfig a) {
    return new ViConfig(seed, family, a, samplesPerStep, finalSamples, initialStd,
        initialStdRelative, jitter, recordTrace);
  }

  /** A copy with another number of samples per step. */
  public ViConfig withSamplesPerStep(int s) {
    return new ViConfig(seed, family, adam, s, finalSamples, initialStd,
        initialStdRelative, jitter, recordTrace);
  }

  /** A copy with another number of final ELBO samples. */
  public ViConfig withFinalSamples(int s) {
    return new ViConfig(seed, family, adam, samplesPerStep, s, initialStd,
        initialStdRelative, jitter, recordTrace);
  }

  /** A copy with another initial standard deviation. */
  public ViConfig withInitialStd(double s) {
    return new ViConfig(seed, family, adam, samplesPerStep, finalSamples, s, initialStdRelative, jitter,
        recordTrace);
  }

  /** A copy whose initial standard deviation is {@code s · σb_i} per component. */
  public ViConfig withRelativeInitialStd(double s) {
    return new ViConfig(seed, family, adam, samplesPerStep, finalSamples, s, true, jitter, recordTrace);
  }

  /** A copy with another restart jitter. */
  public ViConfig withJitter(double j) {
    return new ViConfig(seed, family, adam, samplesPerStep, finalSamples, initialStd, initialStdRelative, j,
        recordTrace);
  }

  /** A copy that does or does not record the ELBO trace. */
  public ViConfig withTrace(boolean record) {
    return new ViConfig(seed, family, adam, samplesPerStep, finalSamples, initialStd,
        initialStdRelative, jitter,
        record);
  }

  @Override
  public String toString() {
    return "ViConfig[seed=" + seed + ", " + family + ", " + adam + ", samples/step=" + samplesPerStep
        + ", final=" + finalSamples + ", std0=" + initialStd + (initialStdRelative ? "·σb" : "") + ", jitter=" + jitter + "]";
  }
}
