package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vi4dvar.kernels.experiment.MethodRegistry;
import org.vi4dvar.kernels.twin.TwinConfig;

/**
 * The validated configuration of an experiment — the one configuration vocabulary of vi4dvar: one record per
 * section of the driver's {@code vi4dvar-defaults.conf} (which documents every key), plus the checks that span
 * sections. Every value is validated here, once, and a failure is a {@link ConfigError} naming the key. The
 * driver binds HOCON onto these records (and adds its own {@code spark.*} and {@code debug.*} sections); the
 * kernel's estimators read them. Immutable; Java-serializable (records cannot go through Kryo 4's field
 * serializer: the driver registers them with Kryo's Java serializer).
 *
 * @param seed master seed of every random stream ({@code seed})
 * @param model {@code model.*}
 * @param window {@code window.*}
 * @param obs {@code obs.*}
 * @param background {@code background.*}
 * @param twin {@code twin.*}
 * @param abc {@code abc.*}
 * @param ensemble {@code ensemble.*}
 * @param vi {@code vi.*}
 * @param map {@code map.*}
 * @param minimizer {@code minimizer.*}
 * @param posterior {@code posterior.*}
 * @param output {@code output.*}
 * @param methods the estimators an experiment runs ({@code methods}: names of {@link MethodRegistry}, not
 *     empty, no repeats; they run in the registry's dependency order whatever the order given)
 * @param mcmc {@code mcmc.*}
 * @param psis {@code psis.*}
 */
public record ExperimentSettings(long seed, ModelSettings model, WindowSettings window, ObsSettings obs,
    BackgroundSettings background, TwinSettings twin, AbcSettings abc, EnsembleSettings ensemble,
    ViSettings vi, MapSettings map, MinimizerSettings minimizer, PosteriorSettings posterior,
    OutputSettings output, List<String> methods, McmcSettings mcmc, PsisSettings psis)
    implements Serializable {

  /** Largest accepted {@code window.states × model.nx} (doubles per trajectory). */
  public static final long MAX_TRAJECTORY_SIZE = 100_000_000L;

  /** Validates what spans sections. */
  public ExperimentSettings {
    Require.notNull("model", model);
    Require.notNull("window", window);
    Require.notNull("obs", obs);
    Require.notNull("background", background);
    Require.notNull("twin", twin);
    Require.notNull("abc", abc);
    Require.notNull("ensemble", ensemble);
    Require.notNull("vi", vi);
    Require.notNull("map", map);
    Require.notNull("minimizer", minimizer);
    Require.notNull("posterior", posterior);
    Require.notNull("output", output);
    Require.notNull("methods", methods);
    Require.notNull("mcmc", mcmc);
    Require.notNull("psis", psis);
    if (model.nx() % obs.pooling() != 0) {
      throw ConfigError.across("obs.pooling (" + obs.pooling() + ") must divide model.nx (" + model.nx() + ")",
          "obs.pooling", "model.nx");
    }
    if ((long) window.states() * model.nx() > MAX_TRAJECTORY_SIZE) {
      throw ConfigError.across("window.states × model.nx must be at most " + MAX_TRAJECTORY_SIZE + ", got "
          + window.states() + " × " + model.nx(), "window.states", "model.nx");
    }
    for (int t : output.covTimes()) {
      if (t < 0 || t >= window.states()) {
        throw ConfigError.across("output.cov-times must hold states in [0, " + (window.states() - 1)
            + "] (window.states = " + window.states() + "), got " + t, "output.cov-times", "window.states");
      }
    }
    if (methods.isEmpty()) {
      throw new ConfigError("methods", "must name at least one of " + String.join(", ", MethodRegistry.names()));
    }
    Set<String> seen = new HashSet<>();
    for (String m : methods) {
      Require.notNull("methods", m);
      if (!MethodRegistry.names().contains(m)) {
        throw new ConfigError("methods", "names the unknown method '" + m + "' (expected "
            + String.join(", ", MethodRegistry.names()) + ")");
      }
      if (!seen.add(m)) {
        throw new ConfigError("methods", "names '" + m + "' twice");
      }
    }
    for (String m : methods) {
      if (m.endsWith(IS_SUFFIX) && !methods.contains(base(m))) {
        throw new ConfigError("methods", "names '" + m + "' without '" + base(m) + "', its proposal");
      }
    }
    methods = List.copyOf(methods);
  }

  /** The suffix of an importance-corrected method's name ({@code map-is}). */
  public static final String IS_SUFFIX = "-is";

  private static String base(String isMethod) {
    return isMethod.substring(0, isMethod.length() - IS_SUFFIX.length());
  }

  /**
   * Settings without the {@code mcmc.*} and {@code psis.*} sections: their defaults
   * ({@link McmcSettings#defaults()}, {@link PsisSettings#defaults()}).
   */
  public ExperimentSettings(long seed, ModelSettings model, WindowSettings window, ObsSettings obs,
      BackgroundSettings background, TwinSettings twin, AbcSettings abc, EnsembleSettings ensemble,
      ViSettings vi, MapSettings map, MinimizerSettings minimizer, PosteriorSettings posterior,
      OutputSettings output, List<String> methods) {
    this(seed, model, window, obs, background, twin, abc, ensemble, vi, map, minimizer, posterior, output, methods,
        McmcSettings.defaults(), PsisSettings.defaults());
  }

  /** Observation points per state, {@code nx / pooling}. */
  public int ny() {
    return model.nx() / obs.pooling();
  }

  /** The same settings with other methods (e.g. from {@code --methods}). */
  public ExperimentSettings withMethods(List<String> newMethods) {
    return new ExperimentSettings(seed, model, window, obs, background, twin, abc, ensemble, vi, map,
        minimizer, posterior, output, newMethods, mcmc, psis);
  }

  /** The same settings with another master seed (calibrate: twin k runs with its own seed). */
  public ExperimentSettings withSeed(long newSeed) {
    return new ExperimentSettings(newSeed, model, window, obs, background, twin, abc, ensemble, vi, map,
        minimizer, posterior, output, methods, mcmc, psis);
  }

  /** The same settings with other {@code mcmc.*} and {@code psis.*} sections. */
  public ExperimentSettings withSampling(McmcSettings newMcmc, PsisSettings newPsis) {
    return new ExperimentSettings(seed, model, window, obs, background, twin, abc, ensemble, vi, map,
        minimizer, posterior, output, methods, newMcmc, newPsis);
  }

  /** Whether {@code method} is among the methods. */
  public boolean runs(String method) {
    if (methods.contains(method)) {
      return true;
    }
    // <m>-is runs with m when psis.methods names m
    return method.endsWith(IS_SUFFIX) && methods.contains(base(method)) && psis.methods().contains(base(method));
  }

  /**
   * The kernel's twin-experiment recipe of these settings: the truth with {@code twin.forcing} (default
   * {@code model.forcing}) and model error {@code model.error-std}, B correlated by {@code background.correlation}.
   * Without the issue-12/15 keys it is the recipe of before, bit for bit.
   */
  public TwinConfig toTwinConfig() {
    TwinConfig c = new TwinConfig(seed, model.nx(), model.forcing(), model.dt(), twin.spinup(), window.states(),
        window.assimilated(), obs.pooling(), obs.nonlinearity(), obs.drop(), obs.timeStride(),
        obs.noise().min(), obs.noise().max(), background.noise().min(), background.noise().max(),
        twin.initStd());
    if (twin.forcing() != null) {
      c = c.withTruthForcing(twin.forcing());
    }
    if (background.correlation() != org.vi4dvar.kernels.var.CorrelationModel.NONE) {
      c = c.withBackgroundCorrelation(background.correlation(), background.correlationLength());
    }
    if (model.hasModelError()) {
      c = c.withModelError(model.errorStdArray());
    }
    return c;
  }

  /**
   * The effective configuration as a tree of maps, lists, numbers, strings, booleans and nulls, with the keys
   * of {@code vi4dvar-defaults.conf} (for {@code summary.json} and the HOCON written next to a dataset).
   */
  public Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", seed);
    m.put("model", model.toTree());
    m.put("window", window.toTree());
    m.put("obs", obs.toTree());
    m.put("background", background.toTree());
    m.put("twin", twin.toTree());
    m.put("abc", abc.toTree());
    m.put("ensemble", ensemble.toTree());
    m.put("vi", vi.toTree());
    m.put("map", map.toTree());
    m.put("minimizer", minimizer.toTree());
    m.put("posterior", posterior.toTree());
    m.put("output", output.toTree());
    m.put("mcmc", mcmc.toTree());
    m.put("psis", psis.toTree());
    m.put("methods", methods);
    return m;
  }
}
