package org.vi4dvar.kernels.config;

/**
 * A configuration value out of its range, thrown by the compact constructors of the settings records. It names
 * the configuration key; {@link ConfigLoader} adds where the value came from (file and line, or {@code --set}).
 */
public final class ConfigError extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the configuration key, e.g. {@code model.nx}
   * @param problem what is wrong, e.g. {@code must be an integer >= 4, got 3}
   */
  public ConfigError(String key, String problem) {
    super("config key '" + key + "' " + problem);
    this.key = key;
  }

  /** The configuration key. */
  public String key() {
    return key;
  }
}
