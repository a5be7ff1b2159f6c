package org.vi4dvar.kernels.ensemble;

import org.vi4dvar.kernels.map.FourDVarObjective;
import org.vi4dvar.kernels.optim.Lbfgs;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.rng.RandomStream;
import org.vi4dvar.kernels.rng.RandomStream.Domain;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * One member of the ensemble of 4D-Var (randomised maximum likelihood):
 * <pre>
 *   x_b^k = x_b + σ_b ⊙ z_b,   y^k_{t,j} = y_{t,j} + σo_{t,j} z_{t,j}  (observed (t, j) only)
 *   x0^k  = argmin J^k(x0),   J^k = J with (x_b^k, y^k),   L-BFGS from x_b^k (or a given start)
 * </pre>
 * z_b (n Gaussians, component order) then z_{t,j} (one per observed point, t-major then j) come from
 * {@code RandomStream(seed, ENSEMBLE_MEMBER, k)}, so member k is the same whichever task or thread runs it.
 * For a linear model and linear h the member is an exact draw from the posterior (math.md). The L-BFGS never
 * returns a non-finite x0; a member whose start has a non-finite cost reports {@code DIVERGED}.
 *
 * <p>Not thread-safe (owns workspaces); one per task. Each member builds its perturbed problem and cost
 * (a few kB), nothing per iteration.
 */
public final class EnsembleMember {

  private final FourDVarProblem problem;
  private final EnsembleConfig config;
  private final FourDVarCost unperturbed;
  private final Lbfgs lbfgs;
  private final int nx;

  /** A member kernel for {@code problem}. */
  public EnsembleMember(FourDVarProblem problem, EnsembleConfig config) {
    this.problem = problem;
    this.config = config;
    this.unperturbed = new FourDVarCost(problem);
    this.lbfgs = new Lbfgs(config.lbfgs);
    this.nx = problem.nx();
  }

  /** Member k started from its perturbed background. */
  public EnsembleResult run(long k) {
    return run(k, null);
  }

  /**
   * Member k started from {@code start} (not modified), or from its perturbed background if {@code start} is
   * null (the driver's {@code ensemble.start = background | best}).
   */
  public EnsembleResult run(long k, double[] start) {
    if (start != null && start.length != nx) {
      throw new IllegalArgumentException("start must have " + nx + " values, got " + start.length);
    }
    FourDVarProblem pk = perturbedProblem(k);
    double[] x = start != null ? start.clone() : pk.xb();
    double[] x00 = x.clone();
    FourDVarCost cost = new FourDVarCost(pk);
    OptimResult r = lbfgs.minimize(new FourDVarObjective(cost), x);
    double ju = unperturbed.cost(x);
    return new EnsembleResult(k, x00, x, r.cost, ju, r.converged(), r.stopReason, r.iterations, r.evaluations,
        r.gradientNorm, r.costTrace);
  }

  /** The problem of member k: perturbed background and observations as in the class comment. */
  public FourDVarProblem perturbedProblem(long k) {
    RandomStream rng = RandomStream.of(config.seed, Domain.ENSEMBLE_MEMBER, k);
    double[] xb = problem.xb();
    for (int i = 0; i < nx; i++) {
      double z = rng.nextGaussian();
      if (config.perturbBackground) {
        xb[i] += problem.bStd(i) * z;
      }
    }
    double[] y = problem.y();
    double[] s = problem.obsStd();
    final int ny = problem.ny();
    for (int t = 0; t < problem.nAssim(); t++) {
      for (int j = 0; j < ny; j++) {
        if (!problem.observed(t, j)) {
          continue;
        }
        double z = rng.nextGaussian();
        if (config.perturbObservations) {
          y[t * ny + j] += s[t * ny + j] * z;
        }
      }
    }
    return problem.withBackground(xb).withObservations(y);
  }
}
