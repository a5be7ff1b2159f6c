package org.vi4dvar.kernels.stats;

import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.model.ModelSpec;

/**
 * Propagates x0 samples through the whole window, assimilated and forecast states:
 * {@code traj[(s·nStates + t)·nx + i] = M^t(x0_s)_i}, {@code t < nStates}, by {@link Model#trajectory}.
 * Not thread-safe (owns a model and row buffers); one per task.
 */
public final class PosteriorTrajectories {

  private final Model model;
  private final int nx;
  private final int nStates;
  private final double[] row;
  private final double[] traj;

  /** Propagator for {@code nStates} states of the model of {@code spec}. */
  public PosteriorTrajectories(ModelSpec spec, int nStates) {
    if (nStates < 1) {
      throw new IllegalArgumentException("nStates must be >= 1, got " + nStates);
    }
    this.model = spec.newModel();
    this.nx = spec.nx();
    this.nStates = nStates;
    this.row = new double[nx];
    this.traj = new double[nStates * nx];
  }

  /** Doubles per trajectory, {@code nStates · nx}. */
  public int trajectorySize() {
    return nStates * nx;
  }

  /**
   * Propagates {@code count} samples {@code x0[s*nx + i]} (not modified) into {@code out} (modified,
   * {@code count · nStates · nx} values).
   */
  public void propagate(double[] x0, int count, double[] out) {
    final int len = nStates * nx;
    if (x0.length < count * nx || out.length < count * len) {
      throw new IllegalArgumentException("propagate: need " + count * nx + " inputs and " + count * len
          + " outputs");
    }
    for (int s = 0; s < count; s++) {
      System.arraycopy(x0, s * nx, row, 0, nx);
      model.trajectory(row, nStates, traj);
      System.arraycopy(traj, 0, out, s * len, len);
    }
  }

  /** {@link #propagate(double[], int, double[])} into a new array. */
  public double[] propagate(double[] x0, int count) {
    double[] out = new double[count * nStates * nx];
    propagate(x0, count, out);
    return out;
  }
}
