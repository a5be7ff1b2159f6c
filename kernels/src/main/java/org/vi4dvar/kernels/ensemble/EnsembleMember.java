package org.vi4dvar.kernels.ensemble;

import org.vi4dvar.kernels.map.FourDVarObjective;
import org.vi4dvar.kernels.optim.Lbfgs;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.optim.StopReason;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.ControlSpace;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.MinimizationSpace;
import org.vi4dvar.kernels.var.WhitenedObjective;

/**
 * One member of the ensemble of 4D-Var (randomised maximum likelihood):
 * <pre>
 *   x_b^k = x_b + B½ z_b,   y^k_{t,j} = y_{t,j} + σo_{t,j} z_{t,j}  (observed (t, j) only)
 *   η^{b,k} = η^b + Q½ z_η,   p_b^k = p_b + σ_p z_p        (when the control has model errors / parameters)
 *   c^k  = argmin J^k(c),   J^k = J with (c_b^k, y^k),   L-BFGS from c_b^k (or a given start)
 * </pre>
 * z_b (nx Gaussians, component order), then z_{t,j} (one per observed point, t-major then j), then z_η and z_p
 * (one per η slot and parameter, control order) come from {@code RandomStream(seed, ENSEMBLE_MEMBER, k)}, so
 * member k is the same whichever task or thread runs it, and a strong-constraint member draws exactly what it
 * drew before the control was extended (with diagonal B, {@code x_b + σ_b ⊙ z_b} bit for bit). The member
 * minimises in the whitened variable of its own prior, {@code c = c_b^k + S v} (J^k in v is centred at the
 * perturbed prior mean: it starts from v = 0), or in c ({@link MinimizationSpace#CONTROL}). For a linear model
 * and linear h the member is an exact draw from the posterior (math.md). The L-BFGS never returns a non-finite
 * point; a member whose start has a non-finite cost reports {@code DIVERGED}.
 *
 * <p>Not thread-safe (owns workspaces); one per task. Each member builds its perturbed problem and cost
 * (a few kB for diagonal B; a dense B is shared, not copied), nothing per iteration.
 */
public final class EnsembleMember {

  private final FourDVarProblem problem;
  private final EnsembleConfig config;
  private final FourDVarCost unperturbed;
  private final Lbfgs lbfgs;
  private final int nx;
  private final int n;

  /** A member kernel for {@code problem}. */
  public EnsembleMember(FourDVarProblem problem, EnsembleConfig config) {
    this.problem = problem;
    this.config = config;
    this.unperturbed = new FourDVarCost(problem);
    this.lbfgs = new Lbfgs(config.lbfgs);
    this.nx = problem.nx();
    this.n = problem.dimension();
  }

  /** Member k started from its perturbed background. */
  public EnsembleResult run(long k) {
    return run(k, null);
  }

  /**
   * Member k started from {@code start} (a control vector, not modified), or from its perturbed prior mean if
   * {@code start} is null (the driver's {@code ensemble.start = background | best}).
   */
  public EnsembleResult run(long k, double[] start) {
    if (start != null && start.length != n) {
      throw new IllegalArgumentException("start must have " + n + " values, got " + start.length);
    }
    FourDVarProblem pk = perturbedProblem(k);
    double[] x = start != null ? start.clone() : pk.control().centerVector();
    double[] x00 = x.clone();
    FourDVarCost cost = new FourDVarCost(pk);
    OptimResult r;
    if (config.space == MinimizationSpace.WHITENED) {
      WhitenedObjective f = new WhitenedObjective(cost);
      double[] v = new double[n];
      f.toWhitened(x, v);
      r = lbfgs.minimize(f, v);
      if (!(r.stopReason == StopReason.DIVERGED && r.iterations == 0)) {
        f.toControl(v, x);
      }
    } else {
      r = lbfgs.minimize(new FourDVarObjective(cost), x);
    }
    double ju = unperturbed.cost(x);
    return new EnsembleResult(k, x00, x, r.cost, ju, r.converged(), r.stopReason, r.iterations, r.evaluations,
        r.gradientNorm, r.costTrace);
  }

  /** The problem of member k: perturbed prior mean and observations as in the class comment. */
  public FourDVarProblem perturbedProblem(long k) {
    RandomStream rng = RandomStream.of(config.seed, Domain.ENSEMBLE_MEMBER, k);
    final ControlSpace s = problem.control();
    double[] zb = new double[nx];
    rng.fillGaussian(zb, 0, nx);
    double[] c = s.centerVector();
    if (config.perturbBackground) {
      double[] xb = new double[nx];
      s.background().perturb(problem.xb(), 1.0, zb, xb);   // x_b + B½ z_b (diagonal: x_b,i + σ_i z_i)
      System.arraycopy(xb, 0, c, 0, nx);
    }
    double[] y = problem.y();
    double[] sd = problem.obsStd();
    final int ny = problem.ny();
    for (int t = 0; t < problem.nAssim(); t++) {
      for (int j = 0; j < ny; j++) {
        if (!problem.observed(t, j)) {
          continue;
        }
        double z = rng.nextGaussian();
        if (config.perturbObservations) {
          y[t * ny + j] += sd[t * ny + j] * z;
        }
      }
    }
    for (int i = nx; i < n; i++) {                         // η and parameter prior means (diagonal blocks)
      double z = rng.nextGaussian();
      if (config.perturbBackground) {
        c[i] += s.scale(i) * z;
      }
    }
    return problem.withControlCenter(c).withObservations(y);
  }
}
