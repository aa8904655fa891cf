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

    /** The normalization a join or align merge applies unless the spec sets one. */
    default Optional<Normalization> normalization() {
        return Optional.empty();
    }
}
