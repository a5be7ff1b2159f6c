package org.vi4dvar.driver.tasks;

/**
 * A task's share of sampled or propagated trajectories: {@code count} trajectories starting at sample index
 * {@code first}, sample-major ({@code traj[(s·nStates + t)·nx + i]}). A plain final class for Kryo.
 */
public final class TrajectoryChunk implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Index of the first sample. */
  public final long first;
  /** Number of trajectories. */
  public final int count;
  /** The trajectories. */
  public final double[] traj;

  /** Keeps the array. */
  public TrajectoryChunk(long first, int count, double[] traj) {
    this.first = first;
    this.count = count;
    this.traj = traj;
  }
}
