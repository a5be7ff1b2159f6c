package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.kernels.var.CorrelationModel;

/**
 * {@code background.*}: for twin experiments, how the background {@code x_b = x0 + B½ ε} is drawn: the std per
 * point {@code σ_b} ({@code noise}) and the correlation C of {@code B = D C D}, {@code D = diag σ_b}
 * ({@link CorrelationModel}: none, or a Gaussian / SOAR function of the chordal distance on the periodic grid,
 * positive definite there).
 *
 * @param noise background-noise std range ({@code background.noise})
 * @param correlation the correlation model ({@code background.correlation.model})
 * @param correlationLength its length in grid points ({@code background.correlation.length}; finite and
 *     {@code > 0} unless the model is none)
 */
public record BackgroundSettings(NoiseRange noise, CorrelationModel correlation, double correlationLength)
    implements Serializable {

  /** Uncorrelated background errors (the settings before issue 12). */
  public BackgroundSettings(NoiseRange noise) {
    this(noise, CorrelationModel.NONE, 2.0);
  }

  /** Validates every field. */
  public BackgroundSettings {
    Require.notNull("background.noise", noise);
    Require.notNull("background.correlation.model", correlation);
    if (correlation != CorrelationModel.NONE) {
      Require.positive("background.correlation.length", correlationLength);
    }
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("noise", List.of(noise.min(), noise.max()));
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model", correlation.configName());
    c.put("length", correlationLength);
    m.put("correlation", c);
    return m;
  }
}
