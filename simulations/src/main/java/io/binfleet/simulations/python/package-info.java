/** The {@code python} simulation: the user's own Python function in a persistent interpreter per worker thread. */
package io.binfleet.simulations.python;
