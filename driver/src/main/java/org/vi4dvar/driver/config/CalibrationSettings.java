package org.vi4dvar.driver.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.kernels.config.CalibrateSettings;
import org.vi4dvar.kernels.config.Require;

/**
 * The configuration of {@code calibrate}: the whole configuration (its master seed, {@code spark.*},
 * {@code debug.*}, {@code output.report}), the settings of every twin ({@code calibrate.set} over the rest;
 * twin k runs them with its own seed), and the {@code calibrate.*} section. Built by
 * {@link ConfigLoader#loadCalibration}.
 *
 * @param settings the whole configuration
 * @param twin the settings of every twin (their seed is replaced by the twin's)
 * @param calibrate {@code calibrate.*} but {@code set}
 * @param set {@code calibrate.set} as given (a tree of sorted maps), for the files that record the configuration
 */
public record CalibrationSettings(Vi4dvarSettings settings, Vi4dvarSettings twin, CalibrateSettings calibrate,
    Map<String, Object> set) {

  /** Validates. */
  public CalibrationSettings {
    Require.notNull("settings", settings);
    Require.notNull("twin", twin);
    Require.notNull("calibrate", calibrate);
    set = set == null ? Map.of() : set;
  }

  /** The same with other methods for the twins ({@code --methods}). */
  public CalibrationSettings withMethods(List<String> methods) {
    Map<String, Object> s = new java.util.TreeMap<>(set);
    s.remove("methods");
    return new CalibrationSettings(settings.withMethods(methods), twin.withMethods(methods), calibrate, s);
  }

  /**
   * The whole configuration as a tree with the keys of {@code vi4dvar-defaults.conf}, {@code calibrate} included:
   * {@code calibrate --config} of its HOCON repeats the calibration.
   */
  public Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>(settings.toTree());
    Object methods = m.remove("methods");
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("set", set);
    c.putAll(calibrate.toTree());
    m.put("calibrate", c);
    m.put("methods", methods);
    return m;
  }
}
