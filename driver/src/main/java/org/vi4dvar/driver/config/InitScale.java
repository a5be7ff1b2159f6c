package org.vi4dvar.driver.config;

import java.util.Locale;

/** The unit of {@code vi.init-std}. */
public enum InitScale {
  /** A multiple of each component's background standard deviation: scale-free, the default. */
  BACKGROUND,
  /** An absolute standard deviation (the talk: 1.0). */
  ABSOLUTE;

  /** The configuration name. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
