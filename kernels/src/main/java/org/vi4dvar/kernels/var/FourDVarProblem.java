package org.vi4dvar.kernels.var;

import org.vi4dvar.kernels.model.ModelSpec;
import org.vi4dvar.kernels.obs.ObservationOperator;

/**
 * A 4D-Var problem over a window of {@code nStates} states {@code x_0..x_{nStates−1}}, of which the first
 * {@code nAssim} (= T) carry observations (the rest are the forecast), with its control and prior
 * ({@link ControlSpace}):
 * <pre>
 *   J(c) = ½ (x0 − x_b)ᵀ B⁻¹ (x0 − x_b) + ½ Σ_{t&lt;T−1} (η_t − η_t^b)ᵀ Q_t⁻¹ (η_t − η_t^b) + ½ Σ_k (p_k − p_k^b)² / σ_k²
 *          + ½ Σ_{t&lt;T} Σ_{j observed} (h(D x_t)_j − y_{t,j})² / σo_{t,j}²
 *   x_{t+1} = M(x_t; p) + η_t  (t &lt; T−1),   c = (x0, η, p)
 * </pre>
 * Strong constraint ({@code c = x0}, no η, no parameters) is the default; {@link #withModelError} makes it weak
 * constraint and {@link #withEstimatedParameter} adds model parameters. B is any {@link ControlTransform}:
 * diagonal (the {@code bStd} constructor) or dense ({@link DenseTransform}). Observations are stored as
 * {@code y[t*ny + j]} for {@code t < nAssim}, with {@code NaN} in both {@code y} and {@code obsStd} where a
 * point is not observed.
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
  private final ControlSpace control;

  // derived
  private final double[] bPrec;
  private final double[] rPrec;
  private final int[] obsStart;
  private final int[] obsIndex;

  /**
   * A strong-constraint problem with a diagonal B.
   *
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
    this(model, obs, nStates, nAssim, diagonalBackground(model, obs, nStates, nAssim, xb, bStd, y, obsStd), y,
        obsStd);
  }

  /**
   * A strong-constraint problem with the background {@code x0 = x_b + B½ v} given as a transform (diagonal or
   * dense B; its centre is x_b).
   *
   * @throws IllegalArgumentException naming the offending value
   */
  public FourDVarProblem(ModelSpec model, ObservationOperator obs, int nStates, int nAssim,
      ControlTransform background, double[] y, double[] obsStd) {
    this(model, obs, nStates, nAssim, strongControl(model, obs, nStates, nAssim, background), y, obsStd);
  }

  private FourDVarProblem(ModelSpec model, ObservationOperator obs, int nStates, int nAssim, ControlSpace control,
      double[] y, double[] obsStd) {
    checkWindow(model, obs, nStates, nAssim);
    final int nx = model.nx();
    final int ny = obs.ny();
    requireLength("y", y, nAssim * ny);
    requireLength("obsStd", obsStd, nAssim * ny);
    final ControlTransform background = control.background();
    if (background.n() != nx || control.nAssim() != nAssim) {
      throw new IllegalArgumentException("background dimension " + background.n() + " != nx " + nx);
    }
    this.model = model;
    this.obs = obs;
    this.nStates = nStates;
    this.nAssim = nAssim;
    this.control = control;
    this.xb = new double[nx];
    this.bStd = new double[nx];
    this.bPrec = new double[nx];
    for (int i = 0; i < nx; i++) {
      xb[i] = background.center(i);
      bStd[i] = background.scale(i);
      checkBackground(i, xb[i], bStd[i]);
      // diagonal B: the precision 1/σ² the cost uses; dense B: NaN (only the transform's solves are valid, so a
      // path that would use a diagonal precision gives NaN instead of a wrong number)
      bPrec[i] = background.diagonal() ? 1.0 / (bStd[i] * bStd[i]) : Double.NaN;
    }
    this.y = y.clone();
    this.obsStd = obsStd.clone();
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

  private static void checkWindow(ModelSpec model, ObservationOperator obs, int nStates, int nAssim) {
    if (obs.nx() != model.nx()) {
      throw new IllegalArgumentException("observation operator nx " + obs.nx() + " != model nx " + model.nx());
    }
    if (nStates < 1) {
      throw new IllegalArgumentException("nStates must be >= 1, got " + nStates);
    }
    if (nAssim < 1 || nAssim > nStates) {
      throw new IllegalArgumentException("nAssim must be in [1, nStates=" + nStates + "], got " + nAssim);
    }
  }

  /** The legacy checks of the diagonal constructor, in its order, then the transform. */
  private static ControlTransform diagonalBackground(ModelSpec model, ObservationOperator obs, int nStates,
      int nAssim, double[] xb, double[] bStd, double[] y, double[] obsStd) {
    checkWindow(model, obs, nStates, nAssim);
    final int nx = model.nx();
    final int ny = obs.ny();
    requireLength("xb", xb, nx);
    requireLength("bStd", bStd, nx);
    requireLength("y", y, nAssim * ny);
    requireLength("obsStd", obsStd, nAssim * ny);
    for (int i = 0; i < nx; i++) {
      checkBackground(i, xb[i], bStd[i]);
    }
    return new DiagonalTransform(xb, bStd);
  }

  private static ControlSpace strongControl(ModelSpec model, ObservationOperator obs, int nStates, int nAssim,
      ControlTransform background) {
    checkWindow(model, obs, nStates, nAssim);
    if (background == null || background.n() != model.nx()) {
      throw new IllegalArgumentException("the background transform must have dimension nx = " + model.nx()
          + ", got " + (background == null ? "null" : background.n()));
    }
    return ControlSpace.strong(background, nAssim);
  }

  private static void checkBackground(int i, double xbi, double sd) {
    if (!Double.isFinite(xbi)) {
      throw new IllegalArgumentException("background x_b[" + i + "] is not finite: " + xbi);
    }
    if (!(sd > 0) || !Double.isFinite(sd)) {
      throw new IllegalArgumentException("background std [" + i + "] must be finite and > 0, got " + sd);
    }
    double prec = 1.0 / (sd * sd);
    if (!(prec > 0) || !Double.isFinite(prec)) {
      throw new IllegalArgumentException("background std [" + i + "] = " + sd
          + " is outside the range where 1/σ² is a finite positive double");
    }
  }

  /**
   * Model-error standard deviations in the layout of {@link #withModelError}, {@code (nAssim − 1) × nx}, from
   * a configuration value: one value (the same std for every component and step) or nx values (per component,
   * the same for every step).
   */
  public static double[] modelErrorStd(int nAssim, int nx, double... values) {
    if (values.length != 1 && values.length != nx) {
      throw new IllegalArgumentException("model error std must be one value or nx = " + nx + " values, got "
          + values.length);
    }
    double[] q = new double[Math.max(0, nAssim - 1) * nx];
    for (int k = 0; k < q.length; k++) {
      q[k] = values.length == 1 ? values[0] : values[k % nx];
    }
    return q;
  }

  private static void requireLength(String name, double[] a, int n) {
    if (a == null || a.length != n) {
      throw new IllegalArgumentException(name + " must have " + n + " values, got "
          + (a == null ? "null" : a.length));
    }
  }

  /** The same problem with another background x_b (same B, η and parameter priors). */
  public FourDVarProblem withBackground(double[] newXb) {
    requireLength("xb", newXb, model.nx());
    for (int i = 0; i < newXb.length; i++) {
      if (!Double.isFinite(newXb[i])) {
        throw new IllegalArgumentException("background x_b[" + i + "] is not finite: " + newXb[i]);
      }
    }
    return new FourDVarProblem(model, obs, nStates, nAssim,
        control.withBackground(control.background().withCenter(newXb)), y, obsStd);
  }

  /** The same problem with other observation values on the same observed points. */
  public FourDVarProblem withObservations(double[] newY) {
    requireLength("y", newY, y.length);
    for (int k = 0; k < y.length; k++) {
      if (Double.isNaN(y[k]) != Double.isNaN(newY[k])) {
        throw new IllegalArgumentException("withObservations must keep the observed points, differs at " + k);
      }
    }
    return new FourDVarProblem(model, obs, nStates, nAssim, control, newY, obsStd);
  }

  /**
   * The same problem under the weak constraint with model-error standard deviations {@code std[t·nx + i]},
   * {@code t < nAssim − 1} (see {@link ControlSpace#withModelError}; {@link #modelErrorStd} builds it from a
   * configuration value). Zero std: that component has no model error and is not in the control; {@code null}
   * or all zeros: strong constraint.
   */
  public FourDVarProblem withModelError(double[] std) {
    return new FourDVarProblem(model, obs, nStates, nAssim, control.withModelError(std), y, obsStd);
  }

  /**
   * The same problem with model parameter {@code name} (one of {@link ModelSpec#parameterNames()}, e.g.
   * {@code forcing}) estimated, with the Gaussian prior {@code N(mean, std²)}; appended after the parameters
   * already estimated.
   *
   * @throws IllegalArgumentException for an unknown name (listing the known ones), a repeated one, or a
   *     non-finite mean or std ≤ 0
   */
  public FourDVarProblem withEstimatedParameter(String name, double mean, double std) {
    int k = model.parameterIndex(name);
    if (k < 0) {
      throw new IllegalArgumentException("unknown model parameter '" + name + "' (known: "
          + String.join(", ", model.parameterNames()) + ")");
    }
    if (control.parameterPosition(k) >= 0) {
      throw new IllegalArgumentException("model parameter '" + name + "' is estimated twice");
    }
    return new FourDVarProblem(model, obs, nStates, nAssim, control.withParameter(k, mean, std), y, obsStd);
  }

  /**
   * The same problem with another prior mean of the whole control {@code (x_b, η^b, p_b)} (n values) and the
   * same S: an ensemble member's perturbed prior.
   */
  public FourDVarProblem withControlCenter(double[] c) {
    return new FourDVarProblem(model, obs, nStates, nAssim, control.withCenter(c), y, obsStd);
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

  /**
   * Background standard deviations {@code √B_ii} (copy): the marginal std per point. With a dense B the
   * correlations are in {@link #background()}; anything that draws from, perturbs by or scales with B must use
   * that transform, not these.
   */
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
   * The background as a control transform, {@code x0 = x_b + B½ v} (the real operator: diagonal or dense).
   * Every part that draws from, perturbs by or scales with B goes through it.
   */
  public ControlTransform background() {
    return control.background();
  }

  /**
   * The whole control and its prior, {@code c = (x0, η, p) = c_b + S v} (= the background for strong
   * constraint without parameters).
   */
  public ControlSpace control() {
    return control;
  }

  /** The dimension of the control vector c (nx for strong constraint without parameters). */
  public int dimension() {
    return control.n();
  }

  /** Whether the problem has model errors in its control. */
  public boolean weakConstraint() {
    return control.weakConstraint();
  }

  /** The names of the estimated model parameters, in control order (new array). */
  public String[] estimatedParameters() {
    String[] names = model.parameterNames();
    String[] out = new String[control.nParameters()];
    for (int k = 0; k < out.length; k++) {
      out[k] = names[control.parameterModelIndex(k)];
    }
    return out;
  }

  /**
   * The name of every control component, in control order ({@link ControlSpace#componentName}: {@code x0_<i>},
   * {@code eta_<t>_<i>}, the parameters' names): the column names of every output that holds whole controls.
   */
  public String[] controlNames() {
    return control.componentNames(estimatedParameters());
  }

  /** Model-error standard deviations {@code (nAssim − 1) × nx}, zeros where none (copy). */
  public double[] modelErrorStd() {
    return control.modelErrorStd();
  }

  /** The control dimension n (= {@link #dimension()}): nx for strong-constraint 4D-Var (the control is x0). */
  public int controlDimension() {
    return control.n();
  }

  /**
   * A new propagator from the control to the whole window (one per task or thread):
   * {@link ControlSpace#propagate} — the estimated parameters set from c, η added over the assimilation window.
   */
  public ControlPropagator newPropagator() {
    final org.vi4dvar.kernels.model.Model m = model.newModel();
    final int nxx = model.nx();
    final int n = control.n();
    final int states = nStates;
    final ControlSpace cs = control;
    return new ControlPropagator() {
      @Override
      public int controlDimension() {
        return n;
      }

      @Override
      public int nx() {
        return nxx;
      }

      @Override
      public int nStates() {
        return states;
      }

      @Override
      public boolean trajectory(double[] c, double[] traj) {
        cs.propagate(c, m, states, traj);
        final int len = states * nxx;
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

  /** Background std i, {@code √B_ii} (see {@link #bStd()}). */
  public double bStd(int i) {
    return bStd[i];
  }

  /** {@code 1/σb_i²} for diagonal B, NaN for dense B. */
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
        + ", states=" + nStates + ", assim=" + nAssim + ", nObs=" + nObs() + ", " + control + "]";
  }
}
