package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vi4dvar.kernels.vi.ViFamily;

/**
 * {@code vi.*}: VI-4D-Var.
 *
 * @param family the Gaussian family ({@code vi.family}: meanfield or fullrank)
 * @param iterations Adam iterations per restart ({@code vi.iterations}, {@code >= 1})
 * @param lr Adam learning rate ({@code vi.lr}, finite and {@code > 0})
 * @param samplesPerStep reparameterised samples per ELBO-gradient estimate ({@code vi.samples-per-step}, {@code >= 1})
 * @param elboSamples samples of the final ELBO estimate that ranks restarts ({@code vi.elbo-samples}, {@code >= 2})
 * @param restarts independent restarts ({@code vi.restarts}, {@code >= 1})
 * @param start where μ starts ({@code vi.start}: background or best)
 * @param initStd initial standard deviation of every component of q ({@code vi.init-std}, {@code > 0}), in
 *     the unit given by {@code initStdScale}
 * @param initStdScale {@code background}: {@code σ0_i = initStd × σb_i}; {@code absolute}: {@code σ0_i = initStd}
 *     ({@code vi.init-std-scale})
 * @param jitter restart r &gt; 0 starts at its start point plus {@code jitter × σ_b ⊙ z} ({@code vi.jitter},
 *     {@code >= 0})
 * @param posterior the reported posterior: the restart of best final ELBO, or the ELBO-weighted mixture of
 *     all restarts ({@code vi.posterior}: best or mixture)
 */
public record ViSettings(ViFamily family, int iterations, double lr, int samplesPerStep, int elboSamples,
    int restarts, StartPoint start, double initStd, InitScale initStdScale, double jitter, ViPosterior posterior)
    implements Serializable {

  /** Validates every field. */
  public ViSettings {
    Require.notNull("vi.family", family);
    Require.atLeast("vi.iterations", iterations, 1);
    Require.positive("vi.lr", lr);
    Require.atLeast("vi.samples-per-step", samplesPerStep, 1);
    Require.atLeast("vi.elbo-samples", elboSamples, 2);
    Require.atLeast("vi.restarts", restarts, 1);
    Require.notNull("vi.start", start);
    Require.positive("vi.init-std", initStd);
    Require.notNull("vi.init-std-scale", initStdScale);
    if (!(jitter >= 0) || !Double.isFinite(jitter)) {
      throw new ConfigError("vi.jitter", "must be finite and >= 0, got " + jitter);
    }
    Require.notNull("vi.posterior", posterior);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("family", family.configName());
    m.put("iterations", iterations);
    m.put("lr", lr);
    m.put("samples-per-step", samplesPerStep);
    m.put("elbo-samples", elboSamples);
    m.put("restarts", restarts);
    m.put("start", start.configName());
    m.put("init-std", initStd);
    m.put("init-std-scale", initStdScale.configName());
    m.put("jitter", jitter);
    m.put("posterior", posterior.configName());
    return m;
  }
}

