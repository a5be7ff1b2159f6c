/**
 * Verification scores of a posterior sample against a known truth: RMSE of the mean, spread, spread/skill,
 * CRPS, central-interval coverage and rank histograms (see {@code shared/notes/math.md}, Scores).
 */
package org.vi4dvar.kernels.scores;
