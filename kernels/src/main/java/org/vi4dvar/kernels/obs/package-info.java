/** Observation operators {@code H = mask ∘ h ∘ D}: pooling, pointwise nonlinearity, with tangent and adjoint. */
package org.vi4dvar.kernels.obs;
