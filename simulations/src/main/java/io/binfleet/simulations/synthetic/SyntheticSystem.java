package io.binfleet.simulations.synthetic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.core.spi.SystemType;

/** {@code Synthetic {points: P}}: a system with no physics; a piece returns P points. */
public final class SyntheticSystem implements SystemType {
    public static final String NAME = "Synthetic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SystemModel configure(Params state) {
        Integer points = state.integer("points", 1, Limits.MAX_POINTS);
        return points == null ? null : new Synthetic(points);
    }

    /** A configured synthetic system. */
    public record Synthetic(int points) implements SystemModel {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            return Codec.object().put("points", points);
        }
    }
}
