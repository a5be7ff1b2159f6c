/**
 * ABC rejection sampling of x0 for 4D-Var, cut into fixed-size blocks of trials so that Spark can distribute
 * them: {@link org.vi4dvar.kernels.abc.AbcSampler} evaluates blocks with the batched cost and returns an
 * {@link org.vi4dvar.kernels.abc.AbcResult} (top-k, prior sample, counts, per-block distance statistics,
 * histogram) whose {@link org.vi4dvar.kernels.abc.AbcResult#merge merge} is exact and order-independent: any
 * partition of the blocks, merged in any order, gives bit for bit the result of one sequential pass.
 */
package org.vi4dvar.kernels.abc;
