package org.vi4dvar.kernels.testing;

import java.util.List;
import org.vi4dvar.kernels.abc.AbcDistance;
import org.vi4dvar.kernels.config.AbcSettings;
import org.vi4dvar.kernels.config.BackgroundSettings;
import org.vi4dvar.kernels.config.EnsembleSettings;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.InitScale;
import org.vi4dvar.kernels.config.MapSettings;
import org.vi4dvar.kernels.config.MinimizerSettings;
import org.vi4dvar.kernels.config.ModelSettings;
import org.vi4dvar.kernels.config.NoiseRange;
import org.vi4dvar.kernels.config.ObsSettings;
import org.vi4dvar.kernels.config.OutputSettings;
import org.vi4dvar.kernels.config.PosteriorSettings;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.config.TwinSettings;
import org.vi4dvar.kernels.config.ViPosterior;
import org.vi4dvar.kernels.config.ViSettings;
import org.vi4dvar.kernels.config.WindowSettings;
import org.vi4dvar.kernels.map.HessianMethod;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.vi.GradientEstimator;
import org.vi4dvar.kernels.vi.LearningRateSchedule;
import org.vi4dvar.kernels.vi.VariationalFamily;

/**
 * Experiment settings for kernel tests: {@link #talk()} equals the driver's built-in defaults (the talk's
 * experiment; a driver test checks that they agree), and the public fields are the sections to replace.
 */
public final class Settings {

  /** Sections; replace any before {@link #build()}. */
  public long seed = 1;
  public ModelSettings model = new ModelSettings(16, 8.0, 0.1);
  public WindowSettings window = new WindowSettings(16, 12);
  public ObsSettings obs = new ObsSettings(Nonlinearity.SQUARE, 1, 0.5, 1, new NoiseRange("obs.noise", 0.05, 0.10));
  public BackgroundSettings background = new BackgroundSettings(new NoiseRange("background.noise", 0.10, 0.20));
  public TwinSettings twin = new TwinSettings(64, 1.0);
  public AbcSettings abc = new AbcSettings(100_000, 0.001, null, AbcDistance.OBSERVATION, 16384, 1000, true);
  public EnsembleSettings ensemble = new EnsembleSettings(100, StartPoint.BEST, 1000);
  public ViSettings vi = vi(VariationalFamily.MEAN_FIELD, 20000, 8, 4000, 8);
  public MapSettings map = new MapSettings(8, 1000, HessianMethod.FINITE_DIFFERENCE);
  public MinimizerSettings minimizer = new MinimizerSettings(7, 1e-6, 1e-12);
  public PosteriorSettings posterior = new PosteriorSettings(1000, 20, 128);
  public OutputSettings output = new OutputSettings(List.of(0, 11, 15), 0, 20, true);
  public List<String> methods = List.of("map", "abc", "ensemble", "vi");
  public org.vi4dvar.kernels.config.McmcSettings mcmc = org.vi4dvar.kernels.config.McmcSettings.defaults();
  public org.vi4dvar.kernels.config.PsisSettings psis = org.vi4dvar.kernels.config.PsisSettings.defaults();

  private Settings() {
  }

  /** The talk's experiment (the driver's defaults). */
  public static Settings talk() {
    return new Settings();
  }

  /** The talk's experiment with small sizes, seconds in all. */
  public static Settings small() {
    Settings s = new Settings();
    s.abc = new AbcSettings(20_000, 0.005, null, AbcDistance.OBSERVATION, 4096, 200, true);
    s.ensemble = new EnsembleSettings(8, StartPoint.BEST, 300);
    s.vi = vi(VariationalFamily.MEAN_FIELD, 3000, 4, 400, 3);
    s.map = new MapSettings(4, 300, HessianMethod.FINITE_DIFFERENCE);
    s.posterior = new PosteriorSettings(200, 10, 128);
    // importance corrections of 500 draws: their statistics propagate every draw (posterior.samples is 200)
    s.psis = new org.vi4dvar.kernels.config.PsisSettings(500, List.of("map", "vi"));
    return s;
  }

  /** VI settings with the defaults but for the given sizes. */
  public static ViSettings vi(VariationalFamily family, int iterations, int samplesPerStep, int elboSamples,
      int restarts) {
    return vi(family, iterations, samplesPerStep, elboSamples, restarts, 200);
  }

  /** VI settings with the defaults but for the given sizes and convergence window (and warm-up ≤ window/4). */
  public static ViSettings vi(VariationalFamily family, int iterations, int samplesPerStep, int elboSamples,
      int restarts, int window) {
    return new ViSettings(family, iterations, 0.05, samplesPerStep, elboSamples, restarts, StartPoint.BEST, 0.25,
        InitScale.BACKGROUND, 0.0, ViPosterior.BEST, LearningRateSchedule.Kind.PLATEAU, Math.min(50, window / 4),
        window, true, 10, GradientEstimator.PATH, true, 0.25, 2, 1000, 0.0, 4, 16, 0.01, 200, 400, 2,
        VariationalFamily.FULL_RANK);
  }

  /** The validated settings. */
  public ExperimentSettings build() {
    return new ExperimentSettings(seed, model, window, obs, background, twin, abc, ensemble, vi, map, minimizer,
        posterior, output, methods, mcmc, psis);
  }
}
