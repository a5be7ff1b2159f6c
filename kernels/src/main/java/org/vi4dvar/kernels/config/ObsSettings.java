package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.kernels.obs.Nonlinearity;

/**
 * {@code obs.*}: the observation operator {@code y = h(D x)} (average pooling D, pointwise h) and, for twin
 * experiments, how observations are drawn.
 *
 * @param nonlinearity h ({@code obs.nonlinearity}: identity, square, cube, tanh)
 * @param pooling average-pooling factor r, dividing model.nx ({@code obs.pooling}, {@code >= 1})
 * @param drop twin: probability that an observable point is left unobserved ({@code obs.drop}, in [0, 1))
 * @param timeStride twin: only states t with {@code t % timeStride == 0} are observable ({@code obs.time-stride})
 * @param noise twin: observation-noise std range ({@code obs.noise})
 */
public record ObsSettings(Nonlinearity nonlinearity, int pooling, double drop, int timeStride, NoiseRange noise)
    implements Serializable {

  /** Validates every field (that pooling divides nx is checked by {@link ExperimentSettings}). */
  public ObsSettings {
    Require.notNull("obs.nonlinearity", nonlinearity);
    Require.atLeast("obs.pooling", pooling, 1);
    if (!(drop >= 0 && drop < 1)) {
      throw new ConfigError("obs.drop", "must be in [0, 1), got " + drop);
    }
    Require.atLeast("obs.time-stride", timeStride, 1);
    Require.notNull("obs.noise", noise);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nonlinearity", nonlinearity.configName());
    m.put("pooling", pooling);
    m.put("drop", drop);
    m.put("time-stride", timeStride);
    m.put("noise", List.of(noise.min(), noise.max()));
    return m;
  }
}
