package io.binfleet.core.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.spi.SystemModel;

import java.util.Objects;

/**
 * A system binfleet does not know, for a simulation that runs the user's own code: its type name and state pass
 * through as the spec gives them (the state is copied, never rewritten). It has no levels of its own; an
 * {@code energy-windows} split takes them from {@code parallel.levels}.
 *
 * @param type  the system's type name, as the spec writes it
 * @param state its state, a JSON object
 */
public record UserSystem(String type, ObjectNode state) implements SystemModel {
    public UserSystem {
        Objects.requireNonNull(type, "type");
        state = state.deepCopy();
    }

    @Override
    public ObjectNode params() {
        return state.deepCopy();
    }
}
