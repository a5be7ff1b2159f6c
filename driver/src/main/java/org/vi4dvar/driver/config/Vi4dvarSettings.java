package org.vi4dvar.driver.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vi4dvar.kernels.twin.TwinConfig;

/**
 * The whole validated configuration of a run: one record per section of {@code vi4dvar-defaults.conf}, plus
 * the checks that span sections. Built by {@link ConfigLoader}; immutable; Java-serializable (records cannot go
 * through Kryo 4's field serializer, see {@code Vi4dvarKryoRegistrator}).
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
 * @param spark {@code spark.*}
 * @param debug {@code debug.*}
 * @param methods the estimators a run executes, in this order ({@code methods}, not empty, no repeats)
 */
public record Vi4dvarSettings(long seed, ModelSettings model, WindowSettings window, ObsSettings obs,
    BackgroundSettings background, TwinSettings twin, AbcSettings abc, EnsembleSettings ensemble,
    ViSettings vi, MapSettings map, MinimizerSettings minimizer, PosteriorSettings posterior,
    OutputSettings output, SparkSettings spark, DebugSettings debug, List<Method> methods)
    implements Serializable {

  /** Largest accepted {@code window.states × model.nx} (doubles per trajectory). */
  public static final long MAX_TRAJECTORY_SIZE = 100_000_000L;

  /** Validates what spans sections. */
  public Vi4dvarSettings {
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
    Require.notNull("spark", spark);
    Require.notNull("debug", debug);
    Require.notNull("methods", methods);
    if (model.nx() % obs.pooling() != 0) {
      throw ConfigValueException.across("obs.pooling (" + obs.pooling() + ") must divide model.nx ("
          + model.nx() + ")", "obs.pooling", "model.nx");
    }
    if ((long) window.states() * model.nx() > MAX_TRAJECTORY_SIZE) {
      throw ConfigValueException.across("window.states × model.nx must be at most " + MAX_TRAJECTORY_SIZE
          + ", got " + window.states() + " × " + model.nx(), "window.states", "model.nx");
    }
    for (int t : output.covTimes()) {
      if (t < 0 || t >= window.states()) {
        throw ConfigValueException.across("output.cov-times must hold states in [0, " + (window.states() - 1)
            + "] (window.states = " + window.states() + "), got " + t, "output.cov-times", "window.states");
      }
    }
    if (methods.isEmpty()) {
      throw new ConfigValueException("methods", "must name at least one of map, abc, ensemble, vi");
    }
    Set<Method> seen = EnumSet.noneOf(Method.class);
    for (Method m : methods) {
      Require.notNull("methods", m);
      if (!seen.add(m)) {
        throw new ConfigValueException("methods", "names '" + m.configName() + "' twice");
      }
    }
    methods = List.copyOf(methods);
  }

  /** Observation points per state, {@code nx / pooling}. */
  public int ny() {
    return model.nx() / obs.pooling();
  }

  /** The same settings with other methods (e.g. from {@code --methods}). */
  public Vi4dvarSettings withMethods(List<Method> newMethods) {
    return new Vi4dvarSettings(seed, model, window, obs, background, twin, abc, ensemble, vi, map, minimizer,
        posterior, output, spark, debug, newMethods);
  }

  /** The kernel's twin-experiment recipe of these settings. */
  public TwinConfig toTwinConfig() {
    return new TwinConfig(seed, model.nx(), model.forcing(), model.dt(), twin.spinup(), window.states(),
        window.assimilated(), obs.pooling(), obs.nonlinearity(), obs.drop(), obs.timeStride(),
        obs.noise().min(), obs.noise().max(), background.noise().min(), background.noise().max(),
        twin.initStd());
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
    m.put("spark", spark.toTree());
    m.put("debug", debug.toTree());
    List<String> names = new ArrayList<>();
    for (Method x : methods) {
      names.add(x.configName());
    }
    m.put("methods", names);
    return m;
  }
}
