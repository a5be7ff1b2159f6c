package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code minimizer.*}: the L-BFGS shared by MAP and the ensemble (iteration limits are per method).
 *
 * @param memory correction pairs kept ({@code minimizer.memory}, {@code >= 1})
 * @param gradientTolerance stop when {@code ‖∇J‖ <= gradientTolerance} ({@code minimizer.gradient-tolerance},
 *     {@code >= 0})
 * @param costTolerance stop when the relative decrease of J in one iteration is {@code <= costTolerance}
 *     ({@code minimizer.cost-tolerance}, {@code >= 0})
 */
public record MinimizerSettings(int memory, double gradientTolerance, double costTolerance)
    implements Serializable {

  /** Validates every field. */
  public MinimizerSettings {
    Require.atLeast("minimizer.memory", memory, 1);
    Require.nonNegative("minimizer.gradient-tolerance", gradientTolerance);
    Require.nonNegative("minimizer.cost-tolerance", costTolerance);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("memory", memory);
    m.put("gradient-tolerance", gradientTolerance);
    m.put("cost-tolerance", costTolerance);
    return m;
  }
}
