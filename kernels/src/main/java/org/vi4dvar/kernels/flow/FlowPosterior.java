package org.vi4dvar.kernels.flow;

import org.vi4dvar.kernels.posterior.Diagnostics;
import org.vi4dvar.kernels.posterior.Family;
import org.vi4dvar.kernels.posterior.Moments;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.ControlTransform;

/**
 * A normalizing-flow posterior over the control (flow VI):
 * <pre>
 *   c = c_b + S v,   v = μ0 + P w,   w = T_θ(z),   z ~ N(0, I)
 *   log q(c) = log N(z; 0, I) − log|det ∂T/∂z| − log|det P| − log|det S|,   z = T⁻¹(P⁻¹(S⁻¹(c − c_b) − μ0))
 * </pre>
 * with T a {@link CouplingFlow} (its inverse is explicit, so the density is exact), {@code (μ0, P)} the fixed
 * {@link AffineMap} of the Gaussian VI solution the flow was initialised at, and {@code (c_b, S)} the
 * {@link ControlTransform}. Draw i takes n Gaussians, in component order, from the stream
 * {@code (seed, POSTERIOR_SAMPLE, tag·2⁴⁰ + i)}, like {@link org.vi4dvar.kernels.posterior.GaussianPosterior}.
 * The moments of a flow are not known in closed form: {@link #exactMoments()} is {@code null} (estimate them from
 * draws). Immutable and shippable; arrays copied in.
 */
public final class FlowPosterior implements Posterior {

  private static final long serialVersionUID = 1L;

  private final int n;
  private final ControlTransform s;
  private final AffineMap base;
  private final CouplingFlow flow;
  private final double[] theta;
  private final long seed;
  private final long tag;
  /** Not shipped (as every posterior's): posterior.bin and the tasks need the distribution, not the run's record. */
  private final transient Diagnostics diagnostics;

  /**
   * @param s the control transform {@code c = c_b + S v}
   * @param base {@code v = μ0 + P w}
   * @param flow the flow's architecture
   * @param theta its parameters ({@link CouplingFlow#parameterCount()} values, finite; copied)
   * @param seed master seed of the draws
   * @param tag sample-stream tag in [0, 2²³)
   * @param diagnostics the estimator's diagnostics
   */
  public FlowPosterior(ControlTransform s, AffineMap base, CouplingFlow flow, double[] theta, long seed, long tag,
      Diagnostics diagnostics) {
    this.n = s.n();
    if (base.n() != n || flow.dimension() != n) {
      throw new IllegalArgumentException("dimensions differ: transform " + n + ", base " + base.n() + ", flow "
          + flow.dimension());
    }
    if (theta.length != flow.parameterCount()) {
      throw new IllegalArgumentException("the flow needs " + flow.parameterCount() + " parameters, got "
          + theta.length);
    }
    for (int k = 0; k < theta.length; k++) {
      if (!Double.isFinite(theta[k])) {
        throw new IllegalArgumentException("flow parameter " + k + " is not finite");
      }
    }
    if (tag < 0 || tag >= (1L << 23)) {
      throw new IllegalArgumentException("tag must be in [0, 2^23), got " + tag);
    }
    this.s = s;
    this.base = base;
    this.flow = flow;
    this.theta = theta.clone();
    this.seed = seed;
    this.tag = tag;
    this.diagnostics = diagnostics == null ? Diagnostics.none() : diagnostics;
  }

  @Override
  public int dimension() {
    return n;
  }

  @Override
  public Family family() {
    return Family.FLOW;
  }

  @Override
  public long draws(long requested) {
    return requested;
  }

  @Override
  public boolean weighted() {
    return false;
  }

  @Override
  public boolean hasDensity() {
    return true;
  }

  /** Not known in closed form for a flow: {@code null}. */
  @Override
  public Moments exactMoments() {
    return null;
  }

  @Override
  public Diagnostics diagnostics() {
    return diagnostics == null ? Diagnostics.none() : diagnostics;
  }

  /** The same flow with other diagnostics. */
  public FlowPosterior withDiagnostics(Diagnostics d) {
    return new FlowPosterior(s, base, flow, theta, seed, tag, d);
  }

  /** The flow's architecture. */
  public CouplingFlow flow() {
    return flow;
  }

  /** Its parameters (copy). */
  public double[] parameters() {
    return theta.clone();
  }

  /** The fixed affine map {@code v = μ0 + P w}. */
  public AffineMap base() {
    return base;
  }

  /** The control transform. */
  public ControlTransform transform() {
    return s;
  }

  /** The master seed of the draws. */
  public long seed() {
    return seed;
  }

  /** The sample-stream tag. */
  public long tag() {
    return tag;
  }

  @Override
  public Sampler sampler() {
    return new FlowSampler();
  }

  private final class FlowSampler implements Sampler {
    private final CouplingFlow.Workspace ws = flow.newWorkspace();
    private final double[] z = new double[n];
    private final double[] w = new double[n];
    private final double[] v = new double[n];

    @Override
    public double draw(long i, double[] out) {
      drawFrom(RandomStream.of(seed, Domain.POSTERIOR_SAMPLE, (tag << 40) + i), out);
      return 1.0;
    }

    @Override
    public void drawFrom(RandomStream rng, double[] out) {
      rng.fillGaussian(z, 0, n);
      flow.forward(theta, z, w, ws);
      base.apply(w, v);
      s.toControl(v, out);
    }

    @Override
    public double logDensity(double[] c) {
      s.toWhitened(c, z, v);
      base.solve(v, w);
      return flow.logDensity(theta, w, ws) - base.logDet() - s.logDet();
    }
  }
}
