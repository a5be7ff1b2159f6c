/**
 * Small dense linear algebra on flat {@code double[]}: BLAS-1 helpers ({@link org.vi4dvar.kernels.linalg.Blas})
 * and the Cholesky factorisation of symmetric positive-definite matrices with its triangular solves
 * ({@link org.vi4dvar.kernels.linalg.Cholesky}). Matrices are row-major, {@code a[i*n + j]}. Meant for the state
 * sizes of this project ({@code n ≲ 10²}); nothing here allocates except where a method says it returns a new
 * array.
 */
package org.vi4dvar.kernels.linalg;
