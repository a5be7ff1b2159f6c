package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ensemble.*}: ensemble of 4D-Var.
 *
 * @param members members, one minimisation each ({@code ensemble.members}, {@code >= 1})
 * @param start where each member's minimisation starts ({@code ensemble.start}: background or best)
 * @param maxIterations L-BFGS iteration limit per member ({@code ensemble.max-iterations}, {@code >= 1})
 */
public record EnsembleSettings(int members, StartPoint start, int maxIterations) implements Serializable {

  /** Validates every field. */
  public EnsembleSettings {
    Require.atLeast("ensemble.members", members, 1);
    Require.notNull("ensemble.start", start);
    Require.atLeast("ensemble.max-iterations", maxIterations, 1);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("members", members);
    m.put("start", start.configName());
    m.put("max-iterations", maxIterations);
    return m;
  }
}
