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
  /** Optional: the true trajectory, {@code states × nx} (scores only). */
  public static final String TRUTH = "truth.csv";
  /** Written by {@code twin}: the effective configuration (HOCON), for provenance. */
  public static final String CONFIG = "vi4dvar.conf";

  private DatasetFiles() {
  }
}
