package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code background.*}: for twin experiments, how the background {@code x_b = x0 + σ_b ε} is drawn.
 *
 * @param noise background-noise std range ({@code background.noise})
 */
public record BackgroundSettings(NoiseRange noise) implements Serializable {

  /** Validates every field. */
  public BackgroundSettings {
    Require.notNull("background.noise", noise);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("noise", List.of(noise.min(), noise.max()));
    return m;
  }
}
