/** The Synthetic system and simulation that benchmarks and fault tests run: CPU time, spread and failures on demand. */
package io.binfleet.simulations.synthetic;
