package org.vi4dvar.kernels.config;

/**
 * An enum constant that is a value of a configuration key: its name in configuration files, on the command line
 * and in outputs (lower case, {@code -} between words, e.g. {@code finite-difference}). The configuration reader
 * accepts exactly these names (case-insensitive) and lists them in its error messages.
 */
public interface ConfigChoice {

  /** The name in configuration files and outputs. */
  String configName();

  /** The constant of {@code type} whose {@link #configName} is {@code name} (case-insensitive), or null. */
  static <E extends Enum<E> & ConfigChoice> E parse(Class<E> type, String name) {
    String s = name.trim();
    for (E e : type.getEnumConstants()) {
      if (e.configName().equalsIgnoreCase(s)) {
        return e;
      }
    }
    return null;
  }

  /** The accepted names of {@code type}, comma-separated, for messages. */
  static <E extends Enum<E> & ConfigChoice> String names(Class<E> type) {
    StringBuilder b = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(e.configName());
    }
    return b.toString();
  }
}
