package org.vi4dvar.driver.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code abc.*}: ABC rejection.
 *
 * @param trials prior trials {@code x0 ~ N(x_b, B)} ({@code abc.trials}, {@code >= 1})
 * @param keep fraction of the trials kept, those of smallest distance ({@code abc.keep}, in (0, 1]);
 *     {@code k = round(keep × trials)} must be at least 1
 * @param threshold if not null, keep only trials whose distance is {@code <= threshold} (among the k best)
 *     ({@code abc.threshold}, finite and {@code > 0}, or null)
 * @param distance the distance ({@code abc.distance}: observation or full)
 * @param blockSize trials per block; a block is the unit of randomness (its own stream), so results do not
 *     depend on the number of partitions ({@code abc.block-size}, {@code >= 1})
 * @param priorSamples uniformly chosen prior trials kept for comparison ({@code abc.prior-samples}, {@code >= 0})
 * @param earlyRejection stop integrating a trial once it can no longer be kept or accepted; changes no result
 *     ({@code abc.early-rejection}, a boolean)
 */
public record AbcSettings(long trials, double keep, Double threshold, AbcDistance distance, int blockSize,
    int priorSamples, boolean earlyRejection) implements Serializable {

  /** Largest number of kept trials (they live in the driver's memory). */
  public static final long MAX_KEPT = 10_000_000L;

  /** Validates every field. */
  public AbcSettings {
    Require.atLeast("abc.trials", trials, 1);
    if (!(keep > 0 && keep <= 1)) {
      throw new ConfigValueException("abc.keep", "must be a fraction in (0, 1], got " + keep);
    }
    if (threshold != null) {
      Require.positive("abc.threshold", threshold);
    }
    Require.notNull("abc.distance", distance);
    Require.atLeast("abc.block-size", blockSize, 1);
    Require.atLeast("abc.prior-samples", priorSamples, 0);
    long k = Math.round(keep * trials);
    if (k < 1) {
      throw new ConfigValueException("abc.keep", "keeps no trial: abc.keep × abc.trials = " + keep + " × "
          + trials + " rounds to 0; raise abc.keep or abc.trials");
    }
    if (k > MAX_KEPT) {
      throw new ConfigValueException("abc.keep", "keeps " + k + " trials, more than " + MAX_KEPT
          + "; lower abc.keep");
    }
  }

  /** The number of trials kept, {@code round(keep × trials)}. */
  public int kept() {
    return (int) Math.round(keep * trials);
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trials", trials);
    m.put("keep", keep);
    m.put("threshold", threshold);
    m.put("distance", distance.configName());
    m.put("block-size", blockSize);
    m.put("prior-samples", priorSamples);
    m.put("early-rejection", earlyRejection);
    return m;
  }
}
