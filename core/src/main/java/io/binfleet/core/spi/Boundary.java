package io.binfleet.core.spi;

import java.util.List;

/**
 * Where two neighbouring windows of a join or align meet, and how well they agree there.
 *
 * @param between the two windows (piece indices; window numbers when each window has several walkers)
 * @param at      the middle of their overlap
 * @param spread  the standard deviation over the overlap of the difference of the two (a pure offset gives 0): how far
 *                from one curve shifted onto the other they are (icet's check)
 * @param suspect whether this boundary's spread stands out: more than three times the median of the job's
 *                boundaries (with three or more)
 */
public record Boundary(List<Integer> between, double at, double spread, boolean suspect) {}
