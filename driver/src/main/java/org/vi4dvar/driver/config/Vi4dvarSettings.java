package org.vi4dvar.driver.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.Require;

/**
 * The whole validated configuration of a command: the kernel's {@link ExperimentSettings} (every section the
 * estimators read) plus the driver's own sections {@code spark.*} and {@code debug.*}. Built by
 * {@link ConfigLoader}; immutable; Java-serializable.
 *
 * @param experiment the experiment (the kernel's configuration types, validated there)
 * @param spark {@code spark.*}
 * @param debug {@code debug.*}
 */
public record Vi4dvarSettings(ExperimentSettings experiment, SparkSettings spark, DebugSettings debug)
    implements Serializable {

  /** Validates. */
  public Vi4dvarSettings {
    Require.notNull("experiment", experiment);
    Require.notNull("spark", spark);
    Require.notNull("debug", debug);
  }

  /** The same settings with other methods (e.g. from {@code --methods}). */
  public Vi4dvarSettings withMethods(List<String> methods) {
    return new Vi4dvarSettings(experiment.withMethods(methods), spark, debug);
  }

  /** The master seed. */
  public long seed() {
    return experiment.seed();
  }

  /**
   * The effective configuration as a tree with the keys of {@code vi4dvar-defaults.conf}: the experiment's
   * sections, then {@code spark} and {@code debug}.
   */
  public Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>(experiment.toTree());
    Object methods = m.remove("methods");
    m.put("spark", spark.toTree());
    m.put("debug", debug.toTree());
    m.put("methods", methods);
    return m;
  }
}
