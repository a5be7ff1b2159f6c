package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vi4dvar.kernels.abc.AbcDistance;

/**
 * {@code abc.*}: ABC rejection.
 *
 * @param trials prior trials {@code x0 ~ N(x_b, B)} ({@code abc.trials}, {@code >= 1})
 * @param keep fraction of the trials kept, those of smallest distance ({@code abc.keep}, in (0, 1]);
 *     {@code k = round(keep × trials)} must be at least 1
 * @param threshold if not null, keep only trials whose distance is {@code <= threshold} (among the k best)
 *     ({@code abc.threshold}, finite, or null; {@code >= 0} unless the distance is {@code likelihood}, whose
 *     values can be negative and for which {@code threshold = 0} gives exact posterior draws)
 * @param distance the distance ({@code abc.distance}: observation, full or likelihood)
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
      throw new ConfigError("abc.keep", "must be a fraction in (0, 1], got " + keep);
    }
    Require.notNull("abc.distance", distance);
    if (threshold != null) {
      Require.finite("abc.threshold", threshold);
      if (threshold < 0 && distance != AbcDistance.LIKELIHOOD_REJECTION) {
        throw new ConfigError("abc.threshold", "must be >= 0 with abc.distance = " + distance.configName()
            + " (that distance is never negative), got " + threshold);
      }
    }
    Require.atLeast("abc.block-size", blockSize, 1);
    Require.atLeast("abc.prior-samples", priorSamples, 0);
    long k = Math.round(keep * trials);
    if (k < 1) {
      throw ConfigError.across("abc.keep × abc.trials = " + keep + " × " + trials + " keeps no trial "
          + "(it rounds to 0); raise abc.keep or abc.trials", "abc.keep", "abc.trials");
    }
    if (k > MAX_KEPT) {
      throw ConfigError.across("abc.keep × abc.trials = " + keep + " × " + trials + " keeps " + k
          + " trials, more than " + MAX_KEPT + " (the kept trials are held by the driver); lower abc.keep or "
          + "abc.trials", "abc.keep", "abc.trials");
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
