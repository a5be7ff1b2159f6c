/**
 * Posterior trajectories and mergeable statistics: propagate x0 samples through the window
 * ({@link org.vi4dvar.kernels.stats.PosteriorTrajectories}), the posterior's trajectory statistics computed in
 * tasks and merged exactly ({@link org.vi4dvar.kernels.stats.TrajectoryStatistics}), scalar running statistics
 * ({@link org.vi4dvar.kernels.stats.RunningStats}) and exact quantiles of kept samples
 * ({@link org.vi4dvar.kernels.stats.Quantiles}). Mergeable classes are plain final classes (Kryo); floating
 * merges are bit-reproducible only in a fixed order, so callers fold per-chunk statistics by chunk index.
 */
package org.vi4dvar.kernels.stats;
