package org.vi4dvar.kernels.var;

import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.model.ModelSpec;

/**
 * The whole control vector of a 4D-Var problem and its prior, as one {@link ControlTransform}
 * (issue 15; math-2.md, "Weak constraint and parameters"):
 * <pre>
 *   c = (x0, η_0 … η_{T−2}, p)          T = nAssim, η_t ∈ ℝ^{nx} the model error of step t → t+1, p the parameters
 *   x_{t+1} = M(x_t; p) + η_t   (t &lt; T−1),   x_{t+1} = M(x_t; p)   (forecast, t ≥ T−1)
 *   prior:  x0 ~ N(x_b, B),   η_t ~ N(η_t^b, Q_t)  (Q_t = diag q_t², η^b = 0 unless perturbed),   p ~ N(p_b, diag σ_p²)
 *   S = blockdiag(B½, Q½_0, …, Q½_{T−2}, diag σ_p),   c = c_b + S v,   Jb + Jq + Jp = ½ ‖S⁻¹ (c − c_b)‖² = ½ ‖v‖²
 * </pre>
 * <b>Control-vector formulation.</b> The control holds x0 and the model errors η_t, not the states x_1 … x_{T−1}
 * (the "state formulation", Trémolet 2006): B and Q stay block-diagonal in c, so S and S⁻¹ are cheap and the
 * strong constraint is literally the sub-space η = 0; the one forward sweep of strong-constraint 4D-Var (plus
 * adding η_t after each step) and its one backward sweep give the gradient, {@code ∇_{η_t} J = Q_t⁻¹ (η_t − η_t^b)
 * + λ_{t+1}}; and every estimator of x0 (ABC prior draws, ensemble perturbations, Laplace, VI in v) works on
 * the longer vector unchanged. The state formulation is better conditioned for long windows and parallel in
 * time, but needs the model's Jacobian to map its control back, which buys nothing at these sizes.
 *
 * <p><b>Zero model-error std.</b> A component with {@code q_{t,i} = 0} has no error: it is not in the control
 * at all (its η is exactly 0, its prior term absent), so {@code Q → 0} components are strong constraint
 * exactly, and when every q is 0 (or none is given) the control is x0 alone — the strong-constraint problem,
 * bit for bit. The η slots are ordered by step t, then by component i, over the components with q &gt; 0 only.
 *
 * <p><b>Parameters</b> (e.g. the Lorenz96 forcing) follow the η blocks, in the order they were added, each
 * with a Gaussian prior {@code N(mean, std²)}; they are model parameter indices ({@link Model#parameterName}).
 *
 * <p>Immutable and shippable (a plain final class: primitive arrays and the background transform).
 */
public final class ControlSpace implements ControlTransform {

  private static final long serialVersionUID = 1L;

  /** Name prefix of the components of x0: {@code x0_<i>}. */
  public static final String X0 = "x0_";
  /** Name prefix of the model errors: {@code eta_<t>_<i>} is η_t's component i. */
  public static final String ETA = "eta_";

  private final int nx;
  private final int nAssim;
  private final ControlTransform background;
  private final double[] modelErrorStd;   // (nAssim−1)·nx, full layout, ≥ 0
  private final int[] etaIndex;           // slot k → t·nx + i
  private final int[] etaStart;           // step t → first slot; [nAssim−1] (or [0]) = nEta
  private final double[] etaCenter;
  private final double[] etaStd;
  private final double[] etaPrec;
  private final int[] paramIndex;
  private final double[] paramCenter;
  private final double[] paramStd;
  private final double[] paramPrec;
  private final int n;
  private final int etaOffset;
  private final int paramOffset;
  private final double logDet;

  private ControlSpace(ControlTransform background, int nAssim, double[] modelErrorStd, double[] etaCenter,
      int[] paramIndex, double[] paramCenter, double[] paramStd) {
    this.nx = background.n();
    this.nAssim = nAssim;
    this.background = background;
    this.modelErrorStd = modelErrorStd;
    int count = 0;
    for (double q : modelErrorStd) {
      if (q > 0) {
        count++;
      }
    }
    this.etaIndex = new int[count];
    this.etaStart = new int[Math.max(1, nAssim)];
    this.etaStd = new double[count];
    this.etaPrec = new double[count];
    int k = 0;
    for (int t = 0; t + 1 < nAssim; t++) {
      etaStart[t] = k;
      for (int i = 0; i < nx; i++) {
        double q = modelErrorStd[t * nx + i];
        if (q > 0) {
          etaIndex[k] = t * nx + i;
          etaStd[k] = q;
          etaPrec[k] = 1.0 / (q * q);
          k++;
        }
      }
    }
    etaStart[Math.max(0, nAssim - 1)] = count;
    this.etaCenter = etaCenter == null ? new double[count] : etaCenter;
    if (this.etaCenter.length != count) {
      throw new IllegalArgumentException("η centre has " + this.etaCenter.length + " values, the control has "
          + count + " model-error components");
    }
    this.paramIndex = paramIndex;
    this.paramCenter = paramCenter;
    this.paramStd = paramStd;
    this.paramPrec = new double[paramStd.length];
    for (int p = 0; p < paramStd.length; p++) {
      paramPrec[p] = 1.0 / (paramStd[p] * paramStd[p]);
    }
    this.etaOffset = nx;
    this.paramOffset = nx + count;
    this.n = paramOffset + paramStd.length;
    double ld = background.logDet();
    for (double q : etaStd) {
      ld += Math.log(q);
    }
    for (double s : paramStd) {
      ld += Math.log(s);
    }
    this.logDet = ld;
  }

  /** The strong-constraint control {@code c = x0} with prior {@code background} (T = nAssim states). */
  public static ControlSpace strong(ControlTransform background, int nAssim) {
    if (nAssim < 1) {
      throw new IllegalArgumentException("nAssim must be >= 1, got " + nAssim);
    }
    return new ControlSpace(background, nAssim, new double[Math.max(0, nAssim - 1) * background.n()], null,
        new int[0], new double[0], new double[0]);
  }

  /**
   * The same control with model-error standard deviations {@code std[t·nx + i]}, t &lt; nAssim − 1
   * ({@code (nAssim − 1) × nx} values, finite, ≥ 0; 0 = no error in that component; {@code null} = none at
   * all). The η prior means are reset to 0; parameters are kept.
   *
   * @throws IllegalArgumentException naming the offending (t, i)
   */
  public ControlSpace withModelError(double[] std) {
    final int len = Math.max(0, nAssim - 1) * nx;
    double[] q = new double[len];
    if (std != null) {
      if (std.length != len) {
        throw new IllegalArgumentException("model error std must have (nAssim − 1) × nx = " + (nAssim - 1) + " × "
            + nx + " = " + len + " values, got " + std.length);
      }
      for (int k = 0; k < len; k++) {
        double s = std[k];
        String where = "(t=" + (k / nx) + ", i=" + (k % nx) + ")";
        if (!(s >= 0) || !Double.isFinite(s)) {
          throw new IllegalArgumentException("model error std " + where + " must be finite and >= 0, got " + s);
        }
        if (s > 0 && !(Double.isFinite(1.0 / (s * s)) && 1.0 / (s * s) > 0)) {
          throw new IllegalArgumentException("model error std " + where + " = " + s
              + " is outside the range where 1/σ² is a finite positive double");
        }
        q[k] = s;
      }
    }
    return new ControlSpace(background, nAssim, q, null, paramIndex, paramCenter, paramStd);
  }

  /**
   * The same control with one more estimated model parameter, appended after the others, with prior
   * {@code N(mean, std²)}.
   *
   * @param modelIndex the model's parameter index (not already in the control)
   */
  public ControlSpace withParameter(int modelIndex, double mean, double std) {
    for (int p : paramIndex) {
      if (p == modelIndex) {
        throw new IllegalArgumentException("model parameter " + modelIndex + " is already in the control");
      }
    }
    if (!Double.isFinite(mean)) {
      throw new IllegalArgumentException("parameter prior mean must be finite, got " + mean);
    }
    if (!(std > 0) || !Double.isFinite(std) || !(Double.isFinite(1.0 / (std * std)))) {
      throw new IllegalArgumentException("parameter prior std must be finite and > 0, got " + std);
    }
    final int m = paramIndex.length;
    int[] idx = java.util.Arrays.copyOf(paramIndex, m + 1);
    double[] mu = java.util.Arrays.copyOf(paramCenter, m + 1);
    double[] sd = java.util.Arrays.copyOf(paramStd, m + 1);
    idx[m] = modelIndex;
    mu[m] = mean;
    sd[m] = std;
    return new ControlSpace(background, nAssim, modelErrorStd, etaCenter, idx, mu, sd);
  }

  /** The same control with another background transform (same nx; e.g. another x_b). */
  public ControlSpace withBackground(ControlTransform b) {
    if (b.n() != nx) {
      throw new IllegalArgumentException("background dimension " + b.n() + " != nx " + nx);
    }
    return new ControlSpace(b, nAssim, modelErrorStd, etaCenter, paramIndex, paramCenter, paramStd);
  }

  /**
   * The same S with another prior mean of the whole control, {@code (x_b, η^b, p_b)} (n values, finite): an
   * ensemble member's perturbed prior.
   */
  @Override
  public ControlSpace withCenter(double[] c) {
    if (c.length != n) {
      throw new IllegalArgumentException("control centre must have " + n + " values, got " + c.length);
    }
    for (int i = nx; i < n; i++) {
      if (!Double.isFinite(c[i])) {
        throw new IllegalArgumentException("control centre [" + i + "] is not finite: " + c[i]);
      }
    }
    ControlTransform b = background.withCenter(java.util.Arrays.copyOf(c, nx));
    double[] ec = java.util.Arrays.copyOfRange(c, etaOffset, paramOffset);
    double[] pc = java.util.Arrays.copyOfRange(c, paramOffset, n);
    return new ControlSpace(b, nAssim, modelErrorStd, ec, paramIndex, pc, paramStd);
  }

  // ---- ControlTransform ----

  @Override
  public int n() {
    return n;
  }

  @Override
  public double center(int i) {
    if (i < nx) {
      return background.center(i);
    }
    return i < paramOffset ? etaCenter[i - etaOffset] : paramCenter[i - paramOffset];
  }

  /** Block by block; the background block reads {@code w[0..nx)} and writes {@code out[0..nx)} in place. */
  @Override
  public void apply(double[] w, double[] out) {
    background.apply(w, out);
    for (int k = 0; k < etaStd.length; k++) {
      out[etaOffset + k] = etaStd[k] * w[etaOffset + k];
    }
    for (int p = 0; p < paramStd.length; p++) {
      out[paramOffset + p] = paramStd[p] * w[paramOffset + p];
    }
  }

  @Override
  public void applyTranspose(double[] g, double[] out) {
    background.applyTranspose(g, out);
    for (int k = 0; k < etaStd.length; k++) {
      out[etaOffset + k] = etaStd[k] * g[etaOffset + k];
    }
    for (int p = 0; p < paramStd.length; p++) {
      out[paramOffset + p] = paramStd[p] * g[paramOffset + p];
    }
  }

  @Override
  public void solve(double[] d, double[] out) {
    background.solve(d, out);
    for (int k = 0; k < etaStd.length; k++) {
      out[etaOffset + k] = d[etaOffset + k] / etaStd[k];
    }
    for (int p = 0; p < paramStd.length; p++) {
      out[paramOffset + p] = d[paramOffset + p] / paramStd[p];
    }
  }

  @Override
  public void solveTranspose(double[] g, double[] out) {
    background.solveTranspose(g, out);
    for (int k = 0; k < etaStd.length; k++) {
      out[etaOffset + k] = g[etaOffset + k] / etaStd[k];
    }
    for (int p = 0; p < paramStd.length; p++) {
      out[paramOffset + p] = g[paramOffset + p] / paramStd[p];
    }
  }

  @Override
  public double logDet() {
    return logDet;
  }

  @Override
  public double scale(int i) {
    if (i < nx) {
      return background.scale(i);
    }
    return i < paramOffset ? etaStd[i - etaOffset] : paramStd[i - paramOffset];
  }

  /** Whether the background block is diagonal (the other blocks always are). */
  @Override
  public boolean diagonal() {
    return background.diagonal();
  }

  @Override
  public double[] covarianceMatrix() {
    return blockDiagonal(background.covarianceMatrix(), false);
  }

  /** {@code blockdiag(B⁻¹, 1/(q q), 1/(σ_p σ_p))} (new array). */
  @Override
  public double[] precisionMatrix() {
    return blockDiagonal(background.precisionMatrix(), true);
  }

  private double[] blockDiagonal(double[] b, boolean inverse) {
    double[] m = new double[n * n];
    for (int i = 0; i < nx; i++) {
      System.arraycopy(b, i * nx, m, i * n, nx);
    }
    for (int i = nx; i < n; i++) {
      double s = scale(i);
      m[i * n + i] = inverse ? 1.0 / (s * s) : s * s;
    }
    return m;
  }

  // ---- layout ----

  /** State size. */
  public int nx() {
    return nx;
  }

  /** Assimilated states T (the window of the model errors: steps t = 0 … T−2). */
  public int nAssim() {
    return nAssim;
  }

  /** The background transform of x0 (the real operator: diagonal or dense). */
  public ControlTransform background() {
    return background;
  }

  /** Whether the control contains model errors (some q &gt; 0). */
  public boolean weakConstraint() {
    return etaStd.length > 0;
  }

  /** Number of η components in the control (those with q &gt; 0). */
  public int nEta() {
    return etaStd.length;
  }

  /** Number of estimated parameters. */
  public int nParameters() {
    return paramStd.length;
  }

  /** Offset of x0 in c (0). */
  public int x0Offset() {
    return 0;
  }

  /** Offset of the first η slot in c ({@code nx}). */
  public int etaOffset() {
    return etaOffset;
  }

  /** Control index of the first η slot of step t (t &lt; nAssim − 1). */
  public int etaStart(int t) {
    checkStep(t);
    return etaOffset + etaStart[t];
  }

  /** Control index one past the last η slot of step t. */
  public int etaEnd(int t) {
    checkStep(t);
    return etaOffset + etaStart[t + 1];
  }

  /** The state component i of η slot k (0 ≤ k &lt; nEta). */
  public int etaComponent(int k) {
    return etaIndex[k] % nx;
  }

  /** The step t of η slot k. */
  public int etaStep(int k) {
    return etaIndex[k] / nx;
  }

  /** Offset of the first parameter in c. */
  public int parameterOffset() {
    return paramOffset;
  }

  /** The model parameter index of control parameter k. */
  public int parameterModelIndex(int k) {
    return paramIndex[k];
  }

  /** Control position k of model parameter {@code modelIndex}, or −1 if it is not estimated. */
  public int parameterPosition(int modelIndex) {
    for (int k = 0; k < paramIndex.length; k++) {
      if (paramIndex[k] == modelIndex) {
        return k;
      }
    }
    return -1;
  }

  /** The model-error standard deviations, {@code (nAssim − 1) × nx}, zeros where no error (copy). */
  public double[] modelErrorStd() {
    return modelErrorStd.clone();
  }

  private void checkStep(int t) {
    if (t < 0 || t + 1 >= nAssim) {
      throw new IndexOutOfBoundsException("model-error step " + t + " outside [0, " + (nAssim - 1) + ")");
    }
  }

  // ---- naming ----

  /**
   * The name of control component k, the one naming of the control in every output (column headers, table
   * rows): {@code x0_<i>} for x0's component i, {@code eta_<t>_<i>} for component i of the model error η_t, and
   * for a parameter its model name ({@code parameterNames[k − parameterOffset()]}, e.g. {@code forcing}, as in
   * {@code model.estimate} and the summary's {@code parameters.<name>}).
   *
   * @param parameterNames the names of the estimated parameters in control order
   */
  public String componentName(int k, String[] parameterNames) {
    if (k < 0 || k >= n) {
      throw new IndexOutOfBoundsException("control component " + k + " outside [0, " + n + ")");
    }
    if (k < etaOffset) {
      return X0 + k;
    }
    if (k < paramOffset) {
      return ETA + etaStep(k - etaOffset) + "_" + etaComponent(k - etaOffset);
    }
    return parameterNames[k - paramOffset];
  }

  /** {@link #componentName} of every component, in control order (new array). */
  public String[] componentNames(String[] parameterNames) {
    if (parameterNames.length != paramStd.length) {
      throw new IllegalArgumentException(parameterNames.length + " parameter names for " + paramStd.length
          + " parameters");
    }
    String[] names = new String[n];
    for (int k = 0; k < n; k++) {
      names[k] = componentName(k, parameterNames);
    }
    return names;
  }

  // ---- splitting and propagating a control vector ----

  /** {@code x0 = c[0..nx)} into {@code out} (nx values). */
  public void x0(double[] c, double[] out) {
    System.arraycopy(c, 0, out, 0, nx);
  }

  /** η_t of control c as a full state vector (zeros where q = 0) into {@code out} (nx values). */
  public void eta(double[] c, int t, double[] out) {
    checkStep(t);
    java.util.Arrays.fill(out, 0, nx, 0.0);
    for (int k = etaStart[t]; k < etaStart[t + 1]; k++) {
      out[etaIndex[k] - t * nx] = c[etaOffset + k];
    }
  }

  /** All η_t of c in the full layout {@code (nAssim − 1) × nx} (zeros where q = 0; new array). */
  public double[] modelErrors(double[] c) {
    double[] e = new double[modelErrorStd.length];
    for (int k = 0; k < etaIndex.length; k++) {
      e[etaIndex[k]] = c[etaOffset + k];
    }
    return e;
  }

  /**
   * Writes a full-layout vector ({@code (nAssim − 1) × nx}, e.g. an η or its std) into the η slots of
   * {@code c}; components with q = 0 are dropped.
   */
  public void setModelErrors(double[] full, double[] c) {
    for (int k = 0; k < etaIndex.length; k++) {
      c[etaOffset + k] = full[etaIndex[k]];
    }
  }

  /** The estimated parameters of c into {@code out} (nParameters values). */
  public void parameters(double[] c, double[] out) {
    System.arraycopy(c, paramOffset, out, 0, paramStd.length);
  }

  /** Sets the model's estimated parameters to their values in c (the others keep the model's values). */
  public void applyParameters(double[] c, Model model) {
    for (int p = 0; p < paramIndex.length; p++) {
      model.setParameter(paramIndex[p], c[paramOffset + p]);
    }
  }

  /**
   * The trajectory of control c: the model's parameters set from c, then {@code x_0 = x0},
   * {@code x_{t+1} = M(x_t) + η_t} over the assimilation window and {@code x_{t+1} = M(x_t)} after it, into
   * {@code traj[t·nx + i]}, {@code t < nStates} ({@code nStates ≥ 1}).
   *
   * @param model a model instance (modified: its estimated parameters are set from c)
   */
  public void propagate(double[] c, Model model, int nStates, double[] traj) {
    applyParameters(c, model);
    System.arraycopy(c, 0, traj, 0, nx);
    for (int t = 0; t + 1 < nStates; t++) {
      model.step(traj, t * nx, traj, (t + 1) * nx, null, 0);
      if (t + 1 < nAssim) {
        final int o = (t + 1) * nx;
        for (int k = etaStart[t]; k < etaStart[t + 1]; k++) {
          traj[o + etaIndex[k] - t * nx] += c[etaOffset + k];
        }
      }
    }
  }

  /** {@link #propagate} with a new model of {@code spec} into a new array ({@code nStates × nx}). */
  public double[] trajectory(double[] c, ModelSpec spec, int nStates) {
    double[] traj = new double[nStates * nx];
    propagate(c, spec.newModel(), nStates, traj);
    return traj;
  }

  // raw views for FourDVarCost (never modified)
  int[] etaIndexRaw() {
    return etaIndex;
  }

  int[] etaStartRaw() {
    return etaStart;
  }

  double[] etaCenterRaw() {
    return etaCenter;
  }

  double[] etaPrecRaw() {
    return etaPrec;
  }

  int[] paramIndexRaw() {
    return paramIndex;
  }

  double[] paramCenterRaw() {
    return paramCenter;
  }

  double[] paramPrecRaw() {
    return paramPrec;
  }

  @Override
  public String toString() {
    return "ControlSpace[n=" + n + ": x0 " + nx + (background.diagonal() ? " (diagonal B)" : " (dense B)")
        + ", η " + etaStd.length + ", parameters " + paramStd.length + "]";
  }
}
