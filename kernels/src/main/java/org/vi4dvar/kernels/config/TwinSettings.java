package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code twin.*}: how the true trajectory of a twin experiment is drawn.
 *
 * @param spinup RK4 steps from {@code x ~ N(0, initStd²)} to the first state ({@code twin.spinup}, {@code >= 0})
 * @param initStd std of the initial draw ({@code twin.init-std}, finite and {@code > 0})
 * @param forcing the true forcing F of the twin's truth ({@code twin.forcing}; null = {@code model.forcing}), so
 *     that a twin can have F_true ≠ the model's F or the prior mean of an estimated F
 */
public record TwinSettings(int spinup, double initStd, Double forcing) implements Serializable {

  /** The truth runs with {@code model.forcing} (the settings before issue 15). */
  public TwinSettings(int spinup, double initStd) {
    this(spinup, initStd, null);
  }

  /** Validates every field. */
  public TwinSettings {
    Require.atLeast("twin.spinup", spinup, 0);
    Require.positive("twin.init-std", initStd);
    if (forcing != null) {
      Require.finite("twin.forcing", forcing);
    }
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spinup", spinup);
    m.put("init-std", initStd);
    m.put("forcing", forcing);
    return m;
  }
}
