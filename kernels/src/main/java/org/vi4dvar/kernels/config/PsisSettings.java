package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code psis.*}: the Pareto-smoothed importance correction {@code <method>-is} of the methods whose posterior
 * has a density (see {@code org.vi4dvar.kernels.importance.ImportanceMethod}).
 *
 * @param draws proposal draws S ({@code psis.draws}, {@code 100 ..} {@link #MAX_DRAWS}): each costs one
 *     evaluation of J (a forward run, no adjoint); k̂'s threshold {@code min(0.7, 1 − 1/log₁₀ S)} is 0.5 at
 *     S = 100 and 0.7 from S ≈ 2200 on
 * @param methods the methods corrected when they run ({@code psis.methods}: a subset of {@link #CORRECTABLE},
 *     may be empty)
 */
public record PsisSettings(int draws, List<String> methods) implements Serializable {

  /** The methods whose posterior has a density and unweighted draws. */
  public static final List<String> CORRECTABLE = List.of("map", "vi");
  /** Largest S: the weights are sorted on the driver (8 bytes each). */
  public static final int MAX_DRAWS = 10_000_000;

  /** Validates every field. */
  public PsisSettings {
    Require.atLeast("psis.draws", draws, 100);
    Require.atMost("psis.draws", draws, MAX_DRAWS);
    Require.notNull("psis.methods", methods);
    Set<String> seen = new HashSet<>();
    for (String m : methods) {
      Require.notNull("psis.methods", m);
      if (!CORRECTABLE.contains(m)) {
        throw new ConfigError("psis.methods", "names '" + m + "', which has no density to correct (expected "
            + "some of " + String.join(", ", CORRECTABLE) + ")");
      }
      if (!seen.add(m)) {
        throw new ConfigError("psis.methods", "names '" + m + "' twice");
      }
    }
    methods = List.copyOf(methods);
  }

  /**
   * The defaults: 2000 draws (k̂'s threshold min(0.7, 1 − 1/log₁₀ S) = 0.697, a tail of 135 draws; their
   * statistics cost twice those of a posterior of the default posterior.samples = 1000), MAP (Laplace) and VI
   * corrected.
   */
  public static PsisSettings defaults() {
    return new PsisSettings(2000, CORRECTABLE);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("draws", draws);
    m.put("methods", methods);
    return m;
  }
}
