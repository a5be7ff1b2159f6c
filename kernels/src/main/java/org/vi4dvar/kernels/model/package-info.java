/** Dynamical models: Lorenz96 tendency with tangent and adjoint, the RK4 step with its exact discrete tangent and adjoint. */
package org.vi4dvar.kernels.model;
