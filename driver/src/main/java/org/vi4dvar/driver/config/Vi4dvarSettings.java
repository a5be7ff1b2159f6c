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
 * @param reference {@code reference}: the method directory of an earlier run every method is scored against
 *     ({@code --reference} replaces it), or null (then {@code mcmc} when it runs)
 */
public record Vi4dvarSettings(ExperimentSettings experiment, SparkSettings spark, DebugSettings debug,
    String reference) implements Serializable {

  /** Validates. */
  public Vi4dvarSettings {
    Require.notNull("experiment", experiment);
    Require.notNull("spark", spark);
    Require.notNull("debug", debug);
  }

  /** Settings without a reference. */
  public Vi4dvarSettings(ExperimentSettings experiment, SparkSettings spark, DebugSettings debug) {
    this(experiment, spark, debug, null);
  }

  /** The same settings with other methods (e.g. from {@code --methods}). */
  public Vi4dvarSettings withMethods(List<String> methods) {
    return new Vi4dvarSettings(experiment.withMethods(methods), spark, debug, reference);
  }

  /** The same settings with another reference directory (e.g. from {@code --reference}). */
  public Vi4dvarSettings withReference(String dir) {
    return new Vi4dvarSettings(experiment, spark, debug, dir);
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
    m.put("reference", reference);
    m.put("methods", methods);
    return m;
  }
}
