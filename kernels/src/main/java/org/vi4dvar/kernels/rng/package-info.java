/**
 * Counter-based random streams: stream {@code (seed, domain, index)} always draws the same numbers, whichever
 * thread, machine or task attempt runs it.
 */
package org.vi4dvar.kernels.rng;
