package org.vi4dvar.kernels.var;

/**
 * Maps a control vector to the trajectory of the whole window — assimilated and forecast states,
 * {@code traj[t*nx + i]}, {@code t < nStates}: for strong-constraint 4D-Var the model run from x0; with model
 * error the assimilated states carry the control's η. Not thread-safe (owns the model's workspaces); one per task.
 */
public interface ControlPropagator {

  /** The control dimension n. */
  int controlDimension();

  /** State size nx. */
  int nx();

  /** States in the window. */
  int nStates();

  /** Doubles per trajectory, {@code nStates · nx}. */
  default int trajectorySize() {
    return nStates() * nx();
  }

  /**
   * The trajectory of control {@code c} (not modified) into {@code traj} (overwritten).
   *
   * @return whether every value is finite (a draw far in a tail can make the model overflow)
   */
  boolean trajectory(double[] c, double[] traj);
}
