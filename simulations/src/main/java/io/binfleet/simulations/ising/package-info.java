/** The 2D Ising model on a periodic square lattice. */
package io.binfleet.simulations.ising;
