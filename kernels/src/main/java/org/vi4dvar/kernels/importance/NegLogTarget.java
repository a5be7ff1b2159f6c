package org.vi4dvar.kernels.importance;

/**
 * The unnormalised target of importance sampling as its negative log density {@code J(c)} (the 4D-Var cost:
 * {@code p̃(c) = exp(−J(c))}). A value that is +∞ or NaN means density 0 at c (e.g. a trajectory that overflowed).
 * Implementations hold workspaces (a {@code FourDVarCost}); one per task or thread, e.g. {@code cost::cost}.
 */
@FunctionalInterface
public interface NegLogTarget {

  /** {@code J(c)}; {@code c} not modified. */
  double value(double[] c);
}
