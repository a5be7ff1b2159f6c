/**
 * Calibration over many twin experiments (simulation-based calibration): {@link
 * org.vi4dvar.kernels.calibrate.Calibration} runs N twins, each from its own seed and inside one task, through
 * the experiment runner; {@link org.vi4dvar.kernels.calibrate.CalibrationStatistics} pools their scores per
 * method into coverages with twin-clustered intervals, rank histograms with bands and uniformity tests that
 * respect the dependence between the points of one twin, and mean scores with intervals.
 */
package org.vi4dvar.kernels.calibrate;
