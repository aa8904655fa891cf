package io.binfleet.core.split;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Split;
import io.binfleet.core.spi.SplitType;
import io.binfleet.core.spi.SystemModel;

import java.util.ArrayList;
import java.util.List;

/** {@code replicas}: {@code count} identical pieces, the repeated-experiment case. Piece args: {@code {"replica": i}}. */
public final class ReplicasSplit implements SplitType {
    public static final String NAME = "replicas";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Split configure(Params params, SystemModel system) {
        Integer count = params.integer("count", 1, Limits.MAX_PIECES);
        return count == null ? null : new Replicas(count);
    }

    /** A configured replicas split. */
    record Replicas(int count) implements Split {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            return Codec.object().put("count", count);
        }

        @Override
        public List<ObjectNode> pieces() {
            List<ObjectNode> pieces = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pieces.add(Codec.object().put("replica", i));
            }
            return pieces;
        }
    }
}
