package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code twin.*}: how the true trajectory of a twin experiment is drawn.
 *
 * @param spinup RK4 steps from {@code x ~ N(0, initStd²)} to the first state ({@code twin.spinup}, {@code >= 0})
 * @param initStd std of the initial draw ({@code twin.init-std}, finite and {@code > 0})
 */
public record TwinSettings(int spinup, double initStd) implements Serializable {

  /** Validates every field. */
  public TwinSettings {
    Require.atLeast("twin.spinup", spinup, 0);
    Require.positive("twin.init-std", initStd);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spinup", spinup);
    m.put("init-std", initStd);
    return m;
  }
}
