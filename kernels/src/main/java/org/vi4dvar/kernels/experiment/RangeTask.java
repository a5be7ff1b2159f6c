package org.vi4dvar.kernels.experiment;

import java.io.Serializable;

/**
 * One task of a {@link Parallel} job: units {@code [lo, hi)} given the shared input. Must be a pure function of
 * its arguments (it may run more than once, anywhere); it builds its kernel objects and workspaces once and loops
 * over its units, reporting each finished unit (or batch of units) to {@code progress}.
 */
@FunctionalInterface
public interface RangeTask<T, R> extends Serializable {

  /**
   * @param shared the shared input
   * @param lo first unit
   * @param hi one past the last unit ({@code hi > lo})
   * @param progress receives the number of units done so far, as they finish (progress only, never results)
   */
  R run(T shared, long lo, long hi, TaskProgress progress);
}
