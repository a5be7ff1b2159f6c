package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vi4dvar.kernels.vi.GradientEstimator;
import org.vi4dvar.kernels.vi.LearningRateSchedule;
import org.vi4dvar.kernels.vi.VariationalFamily;

/**
 * {@code vi.*}: VI-4D-Var, q fitted in the whitened control variable v by maximising the ELBO with
 * path-derivative ("sticking the landing") gradients, a warm-up then plateau schedule, iterate averaging and an
 * ELBO-window convergence test ({@code org.vi4dvar.kernels.vi.VariationalInference}).
 *
 * @param family q's family ({@code vi.family}: meanfield, fullrank, flow, mixture)
 * @param iterations iteration limit per stage ({@code vi.iterations}, {@code >= 1}); a restart stops earlier when
 *     its convergence test passes
 * @param lr the peak learning rate of Adam ({@code vi.lr}, {@code > 0})
 * @param samplesPerStep reparameterised samples per gradient estimate ({@code vi.samples-per-step}, {@code >= 1})
 * @param elboSamples samples of the final ELBO estimate ({@code vi.elbo-samples}, {@code >= 2})
 * @param restarts independent restarts ({@code vi.restarts}, {@code >= 1})
 * @param start where μ starts ({@code vi.start}: best or background)
 * @param initStd initial standard deviation of q, in the unit of {@code initStdScale} ({@code vi.init-std},
 *     {@code > 0}); a restart that starts at MAP's lowest minimum starts at its Laplace approximation instead
 * @param initStdScale {@code background}: a fraction of the prior std; {@code absolute}: in state units
 * @param jitter restart r &gt; 0 starts at its start plus {@code jitter} prior stds of noise ({@code vi.jitter})
 * @param posterior the reported posterior: best or restart-mixture ({@code vi.posterior})
 * @param schedule the learning-rate schedule after the warm-up ({@code vi.schedule})
 * @param warmup warm-up iterations ({@code vi.warmup}, {@code >= 0})
 * @param window iterations per convergence-test window ({@code vi.window}, {@code >= 2})
 * @param average whether the reported parameters are Polyak–Ruppert averages ({@code vi.average})
 * @param averageWindows windows averaged at the last level ({@code vi.average-windows}, {@code >= 1})
 * @param estimator path or total ({@code vi.estimator})
 * @param antithetic samples in antithetic pairs ({@code vi.antithetic})
 * @param plateauFactor the rate's factor per plateau ({@code vi.plateau.factor}, in (0, 1))
 * @param plateauLevels reductions before the test may stop ({@code vi.plateau.levels}, {@code >= 0})
 * @param decay inverse schedule: iterations over which the rate halves ({@code vi.decay}, {@code > 0})
 * @param lrMin cosine schedule: the final rate ({@code vi.lr-min}, {@code >= 0})
 * @param flowLayers coupling layers of a flow ({@code vi.flow.layers}, 1..64)
 * @param flowHidden hidden units per layer ({@code vi.flow.hidden}, 1..4096)
 * @param flowLr the flow stage's peak rate ({@code vi.flow.lr}, {@code > 0})
 * @param flowWarmup the flow stage's warm-up ({@code vi.flow.warmup}, {@code >= 0})
 * @param flowWindow the flow stage's test window ({@code vi.flow.window}, {@code >= 2})
 * @param mixtureComponents components of a fitted mixture ({@code vi.mixture.components}, 1..256)
 * @param mixtureFamily their family ({@code vi.mixture.family}: meanfield or fullrank)
 */
public record ViSettings(VariationalFamily family, int iterations, double lr, int samplesPerStep,
    int elboSamples, int restarts, StartPoint start, double initStd, InitScale initStdScale, double jitter,
    ViPosterior posterior, LearningRateSchedule.Kind schedule, int warmup, int window, boolean average,
    int averageWindows, GradientEstimator estimator, boolean antithetic, double plateauFactor, int plateauLevels,
    double decay, double lrMin, int flowLayers, int flowHidden, double flowLr, int flowWarmup, int flowWindow,
    int mixtureComponents, VariationalFamily mixtureFamily) implements Serializable {

  /** Validates every field. */
  public ViSettings {
    Require.notNull("vi.family", family);
    Require.atLeast("vi.iterations", iterations, 1);
    Require.positive("vi.lr", lr);
    Require.atLeast("vi.samples-per-step", samplesPerStep, 1);
    Require.atLeast("vi.elbo-samples", elboSamples, 2);
    Require.atLeast("vi.restarts", restarts, 1);
    Require.atMost("vi.restarts", restarts, 100_000);
    Require.notNull("vi.start", start);
    Require.positive("vi.init-std", initStd);
    Require.notNull("vi.init-std-scale", initStdScale);
    Require.nonNegative("vi.jitter", jitter);
    Require.notNull("vi.posterior", posterior);
    Require.notNull("vi.schedule", schedule);
    Require.atLeast("vi.warmup", warmup, 0);
    Require.atLeast("vi.window", window, 2);
    Require.atLeast("vi.average-windows", averageWindows, 1);
    Require.notNull("vi.estimator", estimator);
    if (!(plateauFactor > 0 && plateauFactor < 1)) {
      throw new ConfigError("vi.plateau.factor", "must be in (0, 1), got " + plateauFactor);
    }
    Require.atLeast("vi.plateau.levels", plateauLevels, 0);
    Require.positive("vi.decay", decay);
    Require.nonNegative("vi.lr-min", lrMin);
    Require.atLeast("vi.flow.layers", flowLayers, 1);
    Require.atMost("vi.flow.layers", flowLayers, 64);
    Require.atLeast("vi.flow.hidden", flowHidden, 1);
    Require.atMost("vi.flow.hidden", flowHidden, 4096);
    Require.positive("vi.flow.lr", flowLr);
    Require.atLeast("vi.flow.warmup", flowWarmup, 0);
    Require.atLeast("vi.flow.window", flowWindow, 2);
    Require.atLeast("vi.mixture.components", mixtureComponents, 1);
    Require.atMost("vi.mixture.components", mixtureComponents, 256);
    Require.notNull("vi.mixture.family", mixtureFamily);
    if (mixtureFamily != VariationalFamily.MEAN_FIELD && mixtureFamily != VariationalFamily.FULL_RANK) {
      throw new ConfigError("vi.mixture.family", "must be meanfield or fullrank, got " + mixtureFamily.configName());
    }
    // a convergence window longer than the run could never be tested
    if (window > iterations) {
      throw ConfigError.across("vi.window = " + window + " exceeds vi.iterations = " + iterations
          + ": the convergence test could never run; lower vi.window or raise vi.iterations", "vi.window",
          "vi.iterations");
    }
    if (family == VariationalFamily.FLOW && flowWindow > iterations) {
      throw ConfigError.across("vi.flow.window = " + flowWindow + " exceeds vi.iterations = " + iterations
          + ": the flow stage's convergence test could never run; lower vi.flow.window or raise vi.iterations",
          "vi.flow.window", "vi.iterations", "vi.family");
    }
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
    m.put("schedule", schedule.configName());
    m.put("warmup", warmup);
    m.put("window", window);
    m.put("average", average);
    m.put("average-windows", averageWindows);
    m.put("estimator", estimator.configName());
    m.put("antithetic", antithetic);
    Map<String, Object> plateau = new LinkedHashMap<>();
    plateau.put("factor", plateauFactor);
    plateau.put("levels", plateauLevels);
    m.put("plateau", plateau);
    m.put("decay", decay);
    m.put("lr-min", lrMin);
    Map<String, Object> flow = new LinkedHashMap<>();
    flow.put("layers", flowLayers);
    flow.put("hidden", flowHidden);
    flow.put("lr", flowLr);
    flow.put("warmup", flowWarmup);
    flow.put("window", flowWindow);
    m.put("flow", flow);
    Map<String, Object> mixture = new LinkedHashMap<>();
    mixture.put("components", mixtureComponents);
    mixture.put("family", mixtureFamily.configName());
    m.put("mixture", mixture);
    return m;
  }
}
