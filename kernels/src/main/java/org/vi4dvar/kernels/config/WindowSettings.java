package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code window.*}: the 4D-Var window of {@code states} states {@code x_0..x_{states-1}}; the first
 * {@code assimilated} carry observations, the rest are the forecast.
 *
 * @param states window length ({@code window.states}, {@code >= 1})
 * @param assimilated assimilated states ({@code window.assimilated}, {@code 1..states})
 */
public record WindowSettings(int states, int assimilated) implements Serializable {

  /** Largest accepted window. */
  public static final int MAX_STATES = 1_000_000;

  /** Validates every field. */
  public WindowSettings {
    Require.atLeast("window.states", states, 1);
    Require.atMost("window.states", states, MAX_STATES);
    Require.atLeast("window.assimilated", assimilated, 1);
    if (assimilated > states) {
      throw ConfigError.across("window.assimilated (" + assimilated + ") must be <= window.states ("
          + states + ")", "window.assimilated", "window.states");
    }
  }

  /** Forecast states, {@code states - assimilated}. */
  public int forecast() {
    return states - assimilated;
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("states", states);
    m.put("assimilated", assimilated);
    return m;
  }
}
