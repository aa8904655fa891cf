package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;

import java.util.Set;

/**
 * A simulation, named in a spec as {@code "simulation": {"name": "...", ...}}. Register in
 * {@code META-INF/services/io.binfleet.core.spi.SimulationType}.
 */
public interface SimulationType extends Plugin {
    /** The systems it runs on; empty means any. */
    default Set<String> systems() {
        return Set.of();
    }

    /** The splits whose pieces it understands; empty means any. */
    default Set<String> splits() {
        return Set.of();
    }

    /**
     * Whether it runs the user's own code (a program, a Python function). Such a simulation takes any system, registered
     * or not: a system binfleet does not know passes through to the user's code as the spec gives it.
     */
    default boolean runsUserCode() {
        return false;
    }

    /** The merge a spec gets when it names none. */
    default ObjectNode defaultMerge() {
        return Codec.object().put("method", "mean");
    }

    /**
     * Validates the simulation's parameters ({@code name} and {@code seed} are already read) and returns
     * it. Problems go to {@code params.problems()}.
     * {@code system} is {@code null} when the spec's system is itself invalid: check what can be checked
     * without it, so that every problem is reported at once.
     */
    Simulation configure(Params params, SystemModel system);
}
