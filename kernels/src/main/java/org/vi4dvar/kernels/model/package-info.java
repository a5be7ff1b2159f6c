/**
 * Dynamical models: Lorenz96 tendency with tangent and adjoint, the RK4 step with its exact discrete tangent and
 * adjoint, and the derivatives with respect to model parameters (the Lorenz96 forcing F) for estimating them.
 */
package org.vi4dvar.kernels.model;
