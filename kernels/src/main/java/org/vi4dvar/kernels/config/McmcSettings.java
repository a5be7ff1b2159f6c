package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vi4dvar.kernels.mcmc.McmcConfig;
import org.vi4dvar.kernels.mcmc.MetricAdaptation;
import org.vi4dvar.kernels.mcmc.SamplerKind;

/**
 * {@code mcmc.*}: the gradient-based MCMC sampler of the {@code mcmc} method (independent chains, one per unit of
 * work, started from the cascade's minima; see {@code org.vi4dvar.kernels.mcmc.McmcMethod}).
 *
 * @param chains independent chains ({@code mcmc.chains}, {@code >= 2}: split-R̂ compares chains)
 * @param warmup warm-up iterations per chain ({@code mcmc.warmup}, {@code >= 1}): step size and metric adapted,
 *     not kept
 * @param draws kept draws per chain ({@code mcmc.draws}, {@code >= 1})
 * @param thin keep every thin-th iteration ({@code mcmc.thin}, {@code >= 1})
 * @param sampler the transition kernel ({@code mcmc.sampler}: nuts, hmc or mala)
 * @param stepSize the initial step size, in units of the preconditioned posterior scale
 *     ({@code mcmc.step-size}, {@code > 0}; warm-up searches and adapts it)
 * @param targetAccept the target of the step-size adaptation ({@code mcmc.target-accept}, in (0, 1), or 0 for
 *     the sampler's default: 0.8 for NUTS and HMC, 0.574 for MALA)
 * @param metric warm-up's metric adaptation ({@code mcmc.metric}: none, diag or dense)
 * @param maxDepth NUTS's maximum tree depth; HMC's steps are capped at 2^max-depth ({@code mcmc.max-depth},
 *     1 .. 20)
 */
public record McmcSettings(int chains, int warmup, int draws, int thin, SamplerKind sampler, double stepSize,
    double targetAccept, MetricAdaptation metric, int maxDepth) implements Serializable {

  /** The largest number of chains (each is one unit of work and holds its draws on the driver). */
  public static final int MAX_CHAINS = 100_000;

  /** Validates every field. */
  public McmcSettings {
    if (chains < 2) {
      throw new ConfigError("mcmc.chains", "must be an integer >= 2 (R-hat needs two chains), got " + chains);
    }
    Require.atMost("mcmc.chains", chains, MAX_CHAINS);
    Require.atLeast("mcmc.warmup", warmup, 1);
    Require.atLeast("mcmc.draws", draws, 1);
    Require.atLeast("mcmc.thin", thin, 1);
    if ((long) draws * thin > Integer.MAX_VALUE - 8) {
      throw ConfigError.across("mcmc.draws × mcmc.thin must be < 2^31, got " + draws + " × " + thin,
          "mcmc.draws", "mcmc.thin");
    }
    Require.notNull("mcmc.sampler", sampler);
    Require.positive("mcmc.step-size", stepSize);
    if (!(targetAccept == 0.0 || targetAccept > 0 && targetAccept < 1)) {
      throw new ConfigError("mcmc.target-accept", "must be in (0, 1), or 0 for the sampler's default, got "
          + targetAccept);
    }
    Require.notNull("mcmc.metric", metric);
    Require.atLeast("mcmc.max-depth", maxDepth, 1);
    Require.atMost("mcmc.max-depth", maxDepth, 20);
  }

  /** The defaults of {@code vi4dvar-defaults.conf}: 4 NUTS chains of 1000 warm-up and 1000 kept draws. */
  public static McmcSettings defaults() {
    return new McmcSettings(McmcConfig.DEFAULT_CHAINS, McmcConfig.DEFAULT_WARMUP, McmcConfig.DEFAULT_DRAWS, 1,
        SamplerKind.NUTS, McmcConfig.DEFAULT_STEP_SIZE, 0.0, MetricAdaptation.DENSE, McmcConfig.DEFAULT_MAX_DEPTH);
  }

  /** The kernel's sampler configuration with master seed {@code seed}. */
  public McmcConfig toConfig(long seed) {
    double accept = targetAccept == 0.0 ? sampler.defaultTargetAccept() : targetAccept;
    return new McmcConfig(seed, sampler, chains, warmup, draws, thin, stepSize, accept, metric, maxDepth,
        McmcConfig.DEFAULT_PATH_LENGTH);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chains", chains);
    m.put("warmup", warmup);
    m.put("draws", draws);
    m.put("thin", thin);
    m.put("sampler", sampler.configName());
    m.put("step-size", stepSize);
    m.put("target-accept", targetAccept);
    m.put("metric", metric.configName());
    m.put("max-depth", maxDepth);
    return m;
  }
}
