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
 */
public record Job(String group, String description, String unitName, long unitsPerUnit, long maxUnitsPerTask,
    int minTasks) implements java.io.Serializable {

  /** Validates. */
  public Job {
    if (group == null || description == null || unitName == null) {
      throw new IllegalArgumentException("group, description and unitName must be given");
    }
    if (unitsPerUnit < 1 || maxUnitsPerTask < 1 || minTasks < 1) {
      throw new IllegalArgumentException("unitsPerUnit, maxUnitsPerTask and minTasks must be >= 1");
    }
  }

  /** A job of small units (members, restarts, starts): at most {@code perTask} per task, one unit = one item. */
  public static Job of(String group, String description, String unitName, long perTask) {
    return new Job(group, description, unitName, 1, perTask, 1);
  }
}
