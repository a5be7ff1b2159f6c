package org.vi4dvar.kernels.config;

import java.util.Locale;

/** The unit of {@code vi.init-std}. */
public enum InitScale implements ConfigChoice {
  /** A multiple of each component's background standard deviation: scale-free, the default. */
  BACKGROUND,
  /** An absolute standard deviation (the talk: 1.0). */
  ABSOLUTE;

  /** The configuration name. */
  @Override
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
