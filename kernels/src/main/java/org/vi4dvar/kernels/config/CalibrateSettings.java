package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code calibrate.*}: how {@code calibrate} runs its twin experiments and what it reports (the per-twin settings
 * themselves, {@code calibrate.set}, are an {@link ExperimentSettings} of their own).
 *
 * @param twinsPerTask twins per Spark task ({@code calibrate.twins-per-task}, {@code >= 0}); 0 = chosen from
 *     the time of a first twin so that a task takes about {@code taskSeconds}
 * @param taskSeconds target seconds of one task when {@code twinsPerTask = 0} ({@code calibrate.task-seconds},
 *     finite and {@code > 0})
 * @param confidence level of every confidence interval and band ({@code calibrate.confidence}, in (0, 1))
 * @param maxHours refuse a calibration whose estimated wall time exceeds this many hours
 *     ({@code calibrate.max-hours}, finite and {@code > 0})
 */
public record CalibrateSettings(int twinsPerTask, double taskSeconds, double confidence, double maxHours)
    implements Serializable {

  /** Validates every field. */
  public CalibrateSettings {
    Require.atLeast("calibrate.twins-per-task", twinsPerTask, 0);
    Require.positive("calibrate.task-seconds", taskSeconds);
    if (!(confidence > 0 && confidence < 1)) {
      throw new ConfigError("calibrate.confidence", "must be a number in (0, 1), got " + confidence);
    }
    Require.positive("calibrate.max-hours", maxHours);
  }

  /** The tree of the section without {@code set} (which the driver adds), with the keys of the defaults file. */
  public Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("twins-per-task", twinsPerTask);
    m.put("task-seconds", taskSeconds);
    m.put("confidence", confidence);
    m.put("max-hours", maxHours);
    return m;
  }
}
