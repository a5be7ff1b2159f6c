package org.vi4dvar.driver.config;

/** Range checks for the settings records; each failure names the key and what was expected. */
final class Require {

  private Require() {
  }

  static void atLeast(String key, long value, long min) {
    if (value < min) {
      throw new ConfigValueException(key, "must be an integer >= " + min + ", got " + value);
    }
  }

  static void atMost(String key, long value, long max) {
    if (value > max) {
      throw new ConfigValueException(key, "must be an integer <= " + max + ", got " + value);
    }
  }

  static void finite(String key, double value) {
    if (!Double.isFinite(value)) {
      throw new ConfigValueException(key, "must be a finite number, got " + value);
    }
  }

  static void positive(String key, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new ConfigValueException(key, "must be a finite number > 0, got " + value);
    }
  }

  static void nonNegative(String key, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new ConfigValueException(key, "must be a finite number >= 0, got " + value);
    }
  }

  static void notNull(String key, Object value) {
    if (value == null) {
      throw new ConfigValueException(key, "must be given");
    }
  }
}
