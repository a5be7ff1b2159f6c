/** Strong-constraint 4D-Var: the problem (model, observations, background) and its cost and gradient. */
package org.vi4dvar.kernels.var;
