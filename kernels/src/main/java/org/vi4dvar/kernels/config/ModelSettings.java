package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.*}: Lorenz96 integrated by RK4.
 *
 * @param nx grid points ({@code model.nx}, {@code >= 4})
 * @param forcing the forcing F ({@code model.forcing}, finite)
 * @param dt the RK4 step ({@code model.dt}, finite and {@code > 0})
 */
public record ModelSettings(int nx, double forcing, double dt) implements Serializable {

  /** Largest accepted nx: larger states belong to another project. */
  public static final int MAX_NX = 1_000_000;

  /** Validates every field. */
  public ModelSettings {
    Require.atLeast("model.nx", nx, 4);
    Require.atMost("model.nx", nx, MAX_NX);
    Require.finite("model.forcing", forcing);
    Require.positive("model.dt", dt);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nx", nx);
    m.put("forcing", forcing);
    m.put("dt", dt);
    return m;
  }
}
