package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code posterior.*}: how the fitted posteriors are propagated and summarised.
 *
 * @param samples draws from each posterior that can draw any number (Gaussian, mixture, flow) propagated
 *     through the window for the statistics ({@code posterior.samples}, {@code 2 ..} {@link #MAX_SAMPLES});
 *     empirical posteriors (ABC, the ensemble, MCMC) use all their own draws
 * @param rankBins bins of the rank histograms of the truth ({@code posterior.rank-bins}, {@code 2 .. 1000})
 * @param taskMemory working memory of one statistics task, in MiB ({@code posterior.task-memory},
 *     {@code 16 .. 65536}): a task keeps the draws of the points it owns, so more memory means fewer tasks that
 *     each regenerate every draw
 */
public record PosteriorSettings(int samples, int rankBins, int taskMemory) implements Serializable {

  /**
   * Largest number of draws. The statistics cost about {@code passes × samples} draws with
   * {@code passes = max(cores, samples × states × nx × 8 / task-memory)}: 10⁷ draws of the talk's problem make
   * ~160 passes (about an hour on two cores); beyond that, raise posterior.task-memory first.
   */
  public static final int MAX_SAMPLES = 10_000_000;

  /** Validates every field. */
  public PosteriorSettings {
    Require.atLeast("posterior.samples", samples, 2);
    Require.atMost("posterior.samples", samples, MAX_SAMPLES);
    Require.atLeast("posterior.rank-bins", rankBins, 2);
    Require.atMost("posterior.rank-bins", rankBins, 1000);
    Require.atLeast("posterior.task-memory", taskMemory, 16);
    Require.atMost("posterior.task-memory", taskMemory, 65536);
  }

  /** {@link #taskMemory} in bytes. */
  public long taskMemoryBytes() {
    return (long) taskMemory << 20;
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", samples);
    m.put("rank-bins", rankBins);
    m.put("task-memory", taskMemory);
    return m;
  }
}
