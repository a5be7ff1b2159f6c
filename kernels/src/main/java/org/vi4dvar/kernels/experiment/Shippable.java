package org.vi4dvar.kernels.experiment;

import java.util.List;

/**
 * Every kernel class that crosses into Spark — broadcast values, task results and what they hold — for the
 * driver's Kryo registrator ({@code spark.kryo.registrationRequired=true}): plain final classes and enums for
 * Kryo's field serializer, records (configuration) for its Java serializer. A new shipped class is added here;
 * a test checks the list against what a run ships.
 */
public final class Shippable {

  private Shippable() {
  }

  /** Plain classes, enums and arrays (Kryo's default serializers). */
  public static List<Class<?>> classes() {
    return List.of(
        // the experiment and its task results
        Parallel.Part.class, ExperimentInputs.class, Table.class, Table.Column.class, java.util.ArrayList.class,
        org.vi4dvar.kernels.stats.TrajectoryStatistics.UnitResult.class,
        org.vi4dvar.kernels.abc.AbcMethod.AbcPart.class,
        org.vi4dvar.kernels.map.MapMethod.StartResult.class, org.vi4dvar.kernels.map.MapMethod.Hessian.class,
        // calibrate: the shared inputs and the per-twin results
        org.vi4dvar.kernels.calibrate.CalibrationInputs.class, org.vi4dvar.kernels.calibrate.TwinResult.class,
        org.vi4dvar.kernels.calibrate.TwinMethod.class, org.vi4dvar.kernels.calibrate.TwinMethod[].class,
        org.vi4dvar.kernels.calibrate.TwinPart.class,
        // the problem
        org.vi4dvar.kernels.var.FourDVarProblem.class, org.vi4dvar.kernels.var.DiagonalTransform.class,
        org.vi4dvar.kernels.var.DenseTransform.class, org.vi4dvar.kernels.var.ControlSpace.class,
        org.vi4dvar.kernels.var.MinimizationSpace.class,
        org.vi4dvar.kernels.model.Lorenz96Spec.class, org.vi4dvar.kernels.model.LinearModel.class,
        org.vi4dvar.kernels.obs.ObservationOperator.class, org.vi4dvar.kernels.obs.Nonlinearity.class,
        // posteriors
        org.vi4dvar.kernels.posterior.GaussianPosterior.class,
        org.vi4dvar.kernels.posterior.GaussianPosterior.Factor.class,
        org.vi4dvar.kernels.posterior.EmpiricalPosterior.class,
        org.vi4dvar.kernels.posterior.MixturePosterior.class,
        org.vi4dvar.kernels.posterior.Posterior[].class,
        org.vi4dvar.kernels.posterior.Family.class, org.vi4dvar.kernels.posterior.Moments.class,
        // the estimators' own results and settings
        org.vi4dvar.kernels.abc.AbcConfig.class, org.vi4dvar.kernels.abc.AbcResult.class,
        org.vi4dvar.kernels.abc.AbcDistance.class, org.vi4dvar.kernels.abc.AbcBound.class,
        org.vi4dvar.kernels.ensemble.EnsembleConfig.class, org.vi4dvar.kernels.ensemble.EnsembleResult.class,
        org.vi4dvar.kernels.map.LaplaceConfig.class, org.vi4dvar.kernels.map.HessianMethod.class,
        org.vi4dvar.kernels.optim.OptimResult.class, org.vi4dvar.kernels.optim.StopReason.class,
        org.vi4dvar.kernels.optim.LbfgsConfig.class, org.vi4dvar.kernels.optim.AdamConfig.class,
        org.vi4dvar.kernels.config.StartPoint.class, org.vi4dvar.kernels.config.InitScale.class,
        org.vi4dvar.kernels.config.ViPosterior.class,
        // VI
        org.vi4dvar.kernels.vi.ViStart.class, org.vi4dvar.kernels.vi.ViStart[].class,
        org.vi4dvar.kernels.vi.ViStart[][].class, org.vi4dvar.kernels.posterior.GaussianPosterior.Factor[].class,
        org.vi4dvar.kernels.vi.VariationalResult.class, org.vi4dvar.kernels.vi.VariationalFamily.class,
        org.vi4dvar.kernels.vi.ViStopReason.class, org.vi4dvar.kernels.vi.VariationalConfig.class,
        org.vi4dvar.kernels.vi.LearningRateSchedule.class, org.vi4dvar.kernels.vi.LearningRateSchedule.Kind.class,
        org.vi4dvar.kernels.vi.GradientEstimator.class, org.vi4dvar.kernels.flow.FlowPosterior.class,
        org.vi4dvar.kernels.flow.CouplingFlow.class, org.vi4dvar.kernels.flow.AffineMap.class,
        // MCMC: the chains' shared task input and their results
        org.vi4dvar.kernels.mcmc.McmcMethod.ChainTask.class, org.vi4dvar.kernels.mcmc.McmcConfig.class,
        org.vi4dvar.kernels.mcmc.Preconditioner.class, org.vi4dvar.kernels.mcmc.ChainResult.class,
        org.vi4dvar.kernels.mcmc.SamplerKind.class, org.vi4dvar.kernels.mcmc.MetricAdaptation.class,
        // importance correction: the corrected posterior (statistics) and its smoothing result
        org.vi4dvar.kernels.importance.ImportancePosterior.class, org.vi4dvar.kernels.importance.PsisResult.class,
        org.vi4dvar.kernels.importance.PsisResult.Fit.class, org.vi4dvar.kernels.importance.Reliability.class,
        // arrays
        double[].class, double[][].class, long[].class, int[].class, int[][].class, byte[].class,
        boolean[].class, float[].class, String[].class, Object[].class);
  }

  /**
   * Records (the configuration), which Kryo 4 cannot build field by field, and classes holding unmodifiable
   * collections ({@link org.vi4dvar.kernels.posterior.Diagnostics}): Java serialization.
   */
  public static List<Class<?>> records() {
    return List.of(org.vi4dvar.kernels.posterior.Diagnostics.class,
        org.vi4dvar.kernels.config.ExperimentSettings.class,
        org.vi4dvar.kernels.config.ModelSettings.class, org.vi4dvar.kernels.config.WindowSettings.class,
        org.vi4dvar.kernels.config.ObsSettings.class, org.vi4dvar.kernels.config.NoiseRange.class,
        org.vi4dvar.kernels.config.BackgroundSettings.class, org.vi4dvar.kernels.config.TwinSettings.class,
        org.vi4dvar.kernels.config.AbcSettings.class, org.vi4dvar.kernels.config.EnsembleSettings.class,
        org.vi4dvar.kernels.config.ViSettings.class, org.vi4dvar.kernels.config.MapSettings.class,
        org.vi4dvar.kernels.config.MinimizerSettings.class, org.vi4dvar.kernels.config.PosteriorSettings.class,
        org.vi4dvar.kernels.config.OutputSettings.class, org.vi4dvar.kernels.config.McmcSettings.class,
        org.vi4dvar.kernels.config.PsisSettings.class);
  }
}
