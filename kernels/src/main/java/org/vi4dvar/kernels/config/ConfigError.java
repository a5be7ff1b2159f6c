package org.vi4dvar.kernels.config;

import java.util.List;

/**
 * A configuration value out of its range, thrown by the compact constructors of the settings records. It names
 * the configuration key; {@link ConfigLoader} adds where the value came from (file and line, or {@code --set}).
 *
 * <p>A constraint between keys ({@link #across}) names all of them; the loader then reports it against the key
 * the user set (a file or {@code --set}), never against a default the user did not touch.
 */
public final class ConfigError extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final List<String> keys;
  private final String statement;

  /**
   * @param key the configuration key, e.g. {@code model.nx}
   * @param problem what is wrong, e.g. {@code must be an integer >= 4, got 3}
   */
  public ConfigError(String key, String problem) {
    super("config key '" + key + "' " + problem);
    this.keys = List.of(key);
    this.statement = null;
  }

  private ConfigError(String statement, List<String> keys) {
    super("config keys " + String.join(", ", keys) + ": " + statement);
    this.keys = keys;
    this.statement = statement;
  }

  /**
   * A constraint between keys.
   *
   * @param statement what is wrong, naming the keys and their values, e.g.
   *     {@code abc.keep × abc.trials = 0.001 × 1e15 keeps ... ; lower abc.trials or abc.keep}
   * @param keys the keys involved, the one to blame by default first
   */
  public static ConfigError across(String statement, String... keys) {
    return new ConfigError(statement, List.of(keys));
  }

  /** The configuration key (the first of {@link #keys()}). */
  public String key() {
    return keys.get(0);
  }

  /** Every key involved. */
  public List<String> keys() {
    return keys;
  }

  /** For a constraint between keys, what is wrong (without a subject); null for a single key. */
  public String statement() {
    return statement;
  }
}
