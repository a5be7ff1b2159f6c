package org.vi4dvar.driver.io;

/** The file names of a dataset directory (comma-separated, no header, one row per state). */
public final class DatasetFiles {

  /** Observations, {@code states × ny}, empty where not observed (all forecast rows empty). */
  public static final String OBS = "obs.csv";
  /** Observation-error standard deviations, same shape, empty exactly where {@link #OBS} is. */
  public static final String OBS_STD = "obs_std.csv";
  /** The background {@code x_b} of x0, {@code 1 × nx}. */
  public static final String BACKGROUND = "background.csv";
  /** Background-error standard deviations, {@code 1 × nx}. */
  public static final String BACKGROUND_STD = "background_std.csv";
  /**
   * Instead of {@link #BACKGROUND_STD}: the full background-error covariance B, {@code nx × nx}, symmetric
   * positive definite (exactly one of the two is given).
   */
  public static final String BACKGROUND_COV = "background_cov.csv";
  /**
   * Optional: model-error standard deviations {@code (assimilated − 1) × nx} (weak constraint; replaces the
   * configuration's {@code model.error-std}); each finite and {@code >= 0}.
   */
  public static final String MODEL_ERROR_STD = "model_error_std.csv";
  /** Optional: the true trajectory, {@code states × nx} (scores only). */
  public static final String TRUTH = "truth.csv";
  /**
   * Optional, with {@link #TRUTH}: the model errors the truth drew, {@code (assimilated − 1) × nx}, row t = η_t
   * ({@code truth_{t+1} = M(truth_t) + η_t}); written by a twin with model error. J at the truth uses it (else
   * η = 0); never seen by an estimator.
   */
  public static final String MODEL_ERROR_TRUTH = "model_error_truth.csv";
  /**
   * Optional, with {@link #TRUTH}: the truth's model parameters, {@code 1 × (the model's parameters)} in the
   * model's order (Lorenz96: the forcing F); written by a twin whose truth's F is not the model's
   * ({@code twin.forcing}) or that estimates F. J at the truth uses it for the estimated parameters (else their
   * prior mean); never seen by an estimator.
   */
  public static final String PARAMETERS_TRUTH = "parameters_truth.csv";
  /** Written by {@code twin}: the effective configuration (HOCON), for provenance. */
  public static final String CONFIG = "vi4dvar.conf";

  private DatasetFiles() {
  }
}
