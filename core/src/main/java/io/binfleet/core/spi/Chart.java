package io.binfleet.core.spi;

/** How a simulation's merged result is best drawn: the result files' plot follows what the simulation declares. */
public enum Chart {
    /** y (and any series) against x. */
    XY,
    /** ln g(E) against E, with each window's extent marked. */
    DENSITY_OF_STATES,
    /** U/N, C/N and |m| against T with error bars, side by side (series {@code U.err}, {@code C}, {@code C.err}, {@code m}, {@code m.err}). */
    THERMODYNAMICS
}
