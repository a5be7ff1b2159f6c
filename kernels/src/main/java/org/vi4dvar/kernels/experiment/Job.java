package org.vi4dvar.kernels.experiment;

/**
 * What a {@link Parallel} job is, for the user (Spark UI job group and description, progress lines) and for task
 * sizing:
 *
 * @param group the method or stage it belongs to, e.g. {@code abc}, {@code vi}, {@code statistics}
 * @param description one line, e.g. {@code abc: trials 0–10⁸} or {@code vi: 8 restarts}
 * @param unitName what a unit is, plural, e.g. {@code trials}, {@code restarts}
 * @param unitsPerUnit how many {@code unitName} one unit holds (an ABC block holds 16,384 trials), for progress
 * @param maxUnitsPerTask largest number of units in one task (bounds a task's time, memory and retry cost)
 * @param minTasks fewest tasks when there are enough units (e.g. 2 × cores for load balance), at least 1
 * @param items how many {@code unitName} the job holds in all when its last unit holds fewer than
 *     {@code unitsPerUnit} (10⁵ trials in 7 blocks of 16,384), or 0 for units × unitsPerUnit
 */
public record Job(String group, String description, String unitName, long unitsPerUnit, long maxUnitsPerTask,
    int minTasks, long items) implements java.io.Serializable {

  /** Validates. */
  public Job {
    if (group == null || description == null || unitName == null) {
      throw new IllegalArgumentException("group, description and unitName must be given");
    }
    if (unitsPerUnit < 1 || maxUnitsPerTask < 1 || minTasks < 1 || items < 0) {
      throw new IllegalArgumentException("unitsPerUnit, maxUnitsPerTask and minTasks must be >= 1, items >= 0");
    }
  }

  /** A job whose every unit holds {@code unitsPerUnit} items. */
  public Job(String group, String description, String unitName, long unitsPerUnit, long maxUnitsPerTask,
      int minTasks) {
    this(group, description, unitName, unitsPerUnit, maxUnitsPerTask, minTasks, 0);
  }

  /** The items of {@code units} units: {@link #items} when given (and smaller), else units × unitsPerUnit. */
  public double itemsOf(long units) {
    double all = (double) units * unitsPerUnit;
    return items > 0 ? Math.min(items, all) : all;
  }

  /** A job of small units (members, restarts, starts): at most {@code perTask} per task, one unit = one item. */
  public static Job of(String group, String description, String unitName, long perTask) {
    return new Job(group, description, unitName, 1, perTask, 1);
  }
}
