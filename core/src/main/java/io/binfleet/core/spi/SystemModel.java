package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/** A configured system: an immutable value whose {@link #params()} configure an equal system again. */
public interface SystemModel {
    /** The registered name of its {@link SystemType}. */
    String type();

    /** Its complete state, defaults included. */
    ObjectNode params();

    /**
     * The discrete levels of the system's observable (e.g. the reachable energies of an Ising lattice),
     * ascending, or {@code null} if it has none. Splits over levels ({@code energy-windows}) need them.
     */
    default double[] levels() {
        return null;
    }

    /**
     * Whether the density over its levels is symmetric about 0, g(E) = g(−E) (the Ising model on a bipartite lattice),
     * so that {@code energy-windows} may run only E ≤ 0 and mirror the rest ({@code symmetric: true}).
     */
    default boolean mirrorSymmetric() {
        return false;
    }

    /** How many units (spins, sites) it has: thermodynamics from its density of states are given per unit. */
    default double units() {
        return 1;
    }

    /**
     * The temperatures (k_B = 1, ascending) at which thermodynamics are computed from its density of states, or
     * {@code null} for none.
     */
    default double[] temperatures() {
        return null;
    }

    /**
     * Its exact thermodynamics per unit at temperature {@code t}, where known: {U, C, F, S}, to draw and score a
     * result against; empty (the default) where not.
     */
    default Optional<double[]> exactThermodynamics(double t) {
        return Optional.empty();
    }

    /** The normalization a join or align merge applies unless the spec sets one. */
    default Optional<Normalization> normalization() {
        return Optional.empty();
    }
}
