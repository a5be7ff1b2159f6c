package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vi4dvar.kernels.map.HessianMethod;

/**
 * {@code map.*}: 4D-Var MAP by multi-start minimisation, then the Laplace approximation.
 *
 * @param starts minimisations: the background and the lowest-J ABC trials ({@code map.starts}, in
 *     [1, {@value #MAX_STARTS}])
 * @param maxIterations L-BFGS iteration limit per start ({@code map.max-iterations}, {@code >= 1})
 * @param hessian how the Hessian of the Laplace approximation is formed ({@code map.hessian}:
 *     finite-difference of the adjoint gradient, or gauss-newton)
 */
public record MapSettings(int starts, int maxIterations, HessianMethod hessian) implements Serializable {

  /** Largest {@code map.starts} (as {@code vi.restarts}): the driver holds every start and its result. */
  public static final int MAX_STARTS = 100_000;

  /** Validates every field. */
  public MapSettings {
    Require.atLeast("map.starts", starts, 1);
    Require.atMost("map.starts", starts, MAX_STARTS);
    Require.atLeast("map.max-iterations", maxIterations, 1);
    Require.notNull("map.hessian", hessian);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("starts", starts);
    m.put("max-iterations", maxIterations);
    m.put("hessian", hessian.configName());
    return m;
  }
}
