/** Fast random number generators for simulation kernels. */
package io.binfleet.simulations.rng;
