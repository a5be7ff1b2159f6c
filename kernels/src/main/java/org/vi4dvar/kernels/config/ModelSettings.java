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

  /**
   * Largest accepted nx. Every method's memory is estimated before a run and a run that cannot fit is refused
   * with the knob to turn; MAP+Laplace (a dense Hessian) fits to a few thousand, ABC, the ensemble and mean-field
   * VI to this limit with a heap of several GB.
   */
  public static final int MAX_NX = 65_536;

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
