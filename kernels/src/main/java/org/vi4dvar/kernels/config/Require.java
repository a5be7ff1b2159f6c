package org.vi4dvar.kernels.config;

/** Range checks for the settings records; each failure names the key and what was expected. */
public final class Require {

  private Require() {
  }

  public static void atLeast(String key, long value, long min) {
    if (value < min) {
      throw new ConfigError(key, "must be an integer >= " + min + ", got " + value);
    }
  }

  public static void atMost(String key, long value, long max) {
    if (value > max) {
      throw new ConfigError(key, "must be an integer <= " + max + ", got " + value);
    }
  }

  public static void finite(String key, double value) {
    if (!Double.isFinite(value)) {
      throw new ConfigError(key, "must be a finite number, got " + value);
    }
  }

  public static void positive(String key, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new ConfigError(key, "must be a finite number > 0, got " + value);
    }
  }

  public static void nonNegative(String key, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new ConfigError(key, "must be a finite number >= 0, got " + value);
    }
  }

  public static void notNull(String key, Object value) {
    if (value == null) {
      throw new ConfigError(key, "must be given");
    }
  }
}
