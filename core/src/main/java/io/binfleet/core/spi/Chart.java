package io.binfleet.core.spi;

/** How a simulation's merged result is best drawn: the result files' plot follows what the simulation declares. */
public enum Chart {
    /** y (and any series) against x. */
    XY("x", "y"),
    /** ln g(E) against E, with each window's extent marked. */
    DENSITY_OF_STATES("E", "ln g(E)"),
    /** U/N, C/N and |m| against T with error bars, side by side (series {@code U.err}, {@code C}, {@code C.err}, {@code m}, {@code m.err}). */
    THERMODYNAMICS("T", "U/N");

    private final String x;
    private final String y;

    Chart(String x, String y) {
        this.x = x;
        this.y = y;
    }

    /** What x is, for column headers and axes. */
    public String x() {
        return x;
    }

    /** What y is, for column headers and axes. */
    public String y() {
        return y;
    }
}
