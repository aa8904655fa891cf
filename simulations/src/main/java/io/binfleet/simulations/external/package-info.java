/** The {@code external} simulation: any program, in any language, that reads the task JSON and prints a piece result. */
package io.binfleet.simulations.external;
