package org.vi4dvar.kernels.var;

import org.vi4dvar.kernels.model.ModelSpec;
import org.vi4dvar.kernels.obs.ObservationOperator;

/**
 * A strong-constraint 4D-Var problem over a window of {@code nStates} states {@code x_0..x_{nStates−1}},
 * of which the first {@code nAssim} carry observations (the rest are the forecast):
 * <pre>
 *   J(x0) = ½ Σ_i (x0_i − xb_i)² / σb_i²  +  ½ Σ_{t&lt;nAssim} Σ_{j observed} (h(D x_t)_j − y_{t,j})² / σo_{t,j}²
 * </pre>
 * with {@code x_{t+1} = M(x_t)}. Observations are stored as {@code y[t*ny + j]} for {@code t < nAssim}, with
 * {@code NaN} in both {@code y} and {@code obsStd} where a point is not observed.
 *
 * <p>Immutable (arrays are copied in and never handed out) and thread-safe; it is what a Spark broadcast
 * carries. Build one {@link FourDVarCost} per thread from it.
 */
public final class FourDVarProblem {

  private final ModelSpec model;
  private final ObservationOperator obs;
  private final int nStates;
  private final int nAssim;
  private final double[] xb;
  private final double[] bStd;
  private final double[] y;
  private final double[] obsStd;

  // derived
  private final DiagonalTransform background;
  private final double[] bPrec;
  private final double[] rPrec;
  private final int[] obsStart;
  private final int[] obsIndex;

  /**
   * @param model the dynamics
   * @param obs the observation operator {@code h ∘ D}, same nx as the model
   * @param nStates window length (states), at least 1
   * @param nAssim assimilated states, {@code 1 ≤ nAssim ≤ nStates}
   * @param xb background of x0 (nx)
   * @param bStd background-error standard deviations (nx), finite and positive
   * @param y observations {@code y[t*ny+j]}, {@code t < nAssim}; NaN where unobserved
   * @param obsStd observation-error standard deviations, same layout; NaN where unobserved, positive where observed
   * @throws IllegalArgumentException naming the offending value
   */
  public FourDVarProblem(ModelSpec model, ObservationOperator obs, int nStates, int nAssim,
      double[] xb, double[] bStd, double[] y, double[] obsStd) {
    final int nx = model.nx();
    if (obs.nx() != nx) {
      throw new IllegalArgumentException("observation operator nx " + obs.nx() + " != model nx " + nx);
    }
    if (nStates < 1) {
      throw new IllegalArgumentException("nStates must be >= 1, got " + nStates);
    }
    if (nAssim < 1 || nAssim > nStates) {
      throw new IllegalArgumentException("nAssim must be in [1, nStates=" + nStates + "], got " + nAssim);
    }
    final int ny = obs.ny();
    requireLength("xb", xb, nx);
    requireLength("bStd", bStd, nx);
    requireLength("y", y, nAssim * ny);
    requireLength("obsStd", obsStd, nAssim * ny);
    this.model = model;
    this.obs = obs;
    this.nStates = nStates;
    this.nAssim = nAssim;
    this.xb = xb.clone();
    this.bStd = bStd.clone();
    this.y = y.clone();
    this.obsStd = obsStd.clone();

    this.bPrec = new double[nx];
    for (int i = 0; i < nx; i++) {
      if (!Double.isFinite(xb[i])) {
        throw new IllegalArgumentException("background x_b[" + i + "] is not finite: " + xb[i]);
      }
      if (!(bStd[i] > 0) || !Double.isFinite(bStd[i])) {
        throw new IllegalArgumentException("background std [" + i + "] must be finite and > 0, got " + bStd[i]);
      }
      bPrec[i] = 1.0 / (bStd[i] * bStd[i]);
      if (!(bPrec[i] > 0) || !Double.isFinite(bPrec[i])) {
        throw new IllegalArgumentException("background std [" + i + "] = " + bStd[i]
            + " is outside the range where 1/σ² is a finite positive double");
      }
    }
    this.background = new DiagonalTransform(xb, bStd);
    this.rPrec = new double[nAssim * ny];
    this.obsStart = new int[nAssim + 1];
    int count = 0;
    for (int k = 0; k < nAssim * ny; k++) {
      boolean hasY = !Double.isNaN(y[k]);
      boolean hasStd = !Double.isNaN(obsStd[k]);
      String where = "(t=" + (k / ny) + ", j=" + (k % ny) + ")";
      if (hasY != hasStd) {
        throw new IllegalArgumentException("observation " + where
            + (hasY ? " has a value but no standard deviation" : " has a standard deviation but no value"));
      }
      if (hasY) {
        if (!Double.isFinite(y[k])) {
          throw new IllegalArgumentException("observation " + where + " is not finite: " + y[k]);
        }
        if (!(obsStd[k] > 0) || !Double.isFinite(obsStd[k])) {
          throw new IllegalArgumentException("observation std " + where + " must be finite and > 0, got "
              + obsStd[k]);
        }
        rPrec[k] = 1.0 / (obsStd[k] * obsStd[k]);
        if (!(rPrec[k] > 0) || !Double.isFinite(rPrec[k])) {
          throw new IllegalArgumentException("observation std " + where + " = " + obsStd[k]
              + " is outside the range where 1/σ² is a finite positive double");
        }
        count++;
      }
    }
    this.obsIndex = new int[count];
    int c = 0;
    for (int t = 0; t < nAssim; t++) {
      obsStart[t] = c;
      for (int j = 0; j < ny; j++) {
        if (rPrec[t * ny + j] > 0) {
          obsIndex[c++] = j;
        }
      }
    }
    obsStart[nAssim] = c;
  }

  private static void requireLength(String name, double[] a, int n) {
    if (a == null || a.length != n) {
      throw new IllegalArgumentException(name + " must have " + n + " values, got "
          + (a == null ? "null" : a.length));
    }
  }

  /** The same problem with another background (for perturbed-background ensemble members). */
  public FourDVarProblem withBackground(double[] newXb) {
    return new FourDVarProblem(model, obs, nStates, nAssim, newXb, bStd, y, obsStd);
  }

  /** The same problem with other observation values on the same observed points. */
  public FourDVarProblem withObservations(double[] newY) {
    requireLength("y", newY, y.length);
    for (int k = 0; k < y.length; k++) {
      if (Double.isNaN(y[k]) != Double.isNaN(newY[k])) {
        throw new IllegalArgumentException("withObservations must keep the observed points, differs at " + k);
      }
    }
    return new FourDVarProblem(model, obs, nStates, nAssim, xb, bStd, newY, obsStd);
  }

  /** The model. */
  public ModelSpec model() {
    return model;
  }

  /** The observation operator {@code h ∘ D}. */
  public ObservationOperator obs() {
    return obs;
  }

  /** State size. */
  public int nx() {
    return model.nx();
  }

  /** Observation points per state. */
  public int ny() {
    return obs.ny();
  }

  /** Window length (states). */
  public int nStates() {
    return nStates;
  }

  /** Assimilated states (the first ones). */
  public int nAssim() {
    return nAssim;
  }

  /** Number of observed (t, j) points. */
  public int nObs() {
    return obsIndex.length;
  }

  /** Background x_b (copy). */
  public double[] xb() {
    return xb.clone();
  }

  /** Background standard deviations (copy). */
  public double[] bStd() {
    return bStd.clone();
  }

  /** Observations {@code y[t*ny+j]}, NaN where unobserved (copy). */
  public double[] y() {
    return y.clone();
  }

  /** Observation standard deviations, NaN where unobserved (copy). */
  public double[] obsStd() {
    return obsStd.clone();
  }

  /** Whether (t, j) is observed. */
  public boolean observed(int t, int j) {
    return t < nAssim && rPrec[t * obs.ny() + j] > 0;
  }

  /**
   * The background as a control transform, {@code x0 = x_b + B½ v}: every part that draws from, perturbs by or
   * scales with B goes through it.
   */
  public ControlTransform background() {
    return background;
  }

  /** The control dimension n: nx for strong-constraint 4D-Var (the control is x0). */
  public int controlDimension() {
    return model.nx();
  }

  /** A new propagator from the control to the whole window (one per task or thread). */
  public ControlPropagator newPropagator() {
    final org.vi4dvar.kernels.model.Model m = model.newModel();
    final int n = model.nx();
    final int states = nStates;
    return new ControlPropagator() {
      @Override
      public int controlDimension() {
        return n;
      }

      @Override
      public int nx() {
        return n;
      }

      @Override
      public int nStates() {
        return states;
      }

      @Override
      public boolean trajectory(double[] c, double[] traj) {
        m.trajectory(c, states, traj);
        final int len = states * n;
        for (int k = 0; k < len; k++) {
          if (!Double.isFinite(traj[k])) {
            return false;
          }
        }
        return true;
      }
    };
  }

  /** Background value i (no copy). */
  public double xb(int i) {
    return xb[i];
  }

  /** Background std i. */
  public double bStd(int i) {
    return bStd[i];
  }

  /** {@code 1/σb_i²}. */
  double bPrec(int i) {
    return bPrec[i];
  }

  // package-private raw views for FourDVarCost (never modified)
  double[] xbRaw() {
    return xb;
  }

  double[] bPrecRaw() {
    return bPrec;
  }

  double[] yRaw() {
    return y;
  }

  double[] rPrecRaw() {
    return rPrec;
  }

  int[] obsStartRaw() {
    return obsStart;
  }

  int[] obsIndexRaw() {
    return obsIndex;
  }

  @Override
  public String toString() {
    return "FourDVarProblem[" + model + ", obs=" + obs.nonlinearity().configName() + "/r" + obs.pooling()
        + ", states=" + nStates + ", assim=" + nAssim + ", nObs=" + nObs() + "]";
  }
}
