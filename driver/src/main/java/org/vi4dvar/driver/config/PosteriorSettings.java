package org.vi4dvar.driver.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code posterior.*}: sampling of the fitted posteriors.
 *
 * @param samples x0 samples drawn from each method's posterior ({@code posterior.samples}, {@code >= 2})
 */
public record PosteriorSettings(int samples) implements Serializable {

  /** Validates every field. */
  public PosteriorSettings {
    Require.atLeast("posterior.samples", samples, 2);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", samples);
    return m;
  }
}
