package io.binfleet.core.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Normalization;

/** Reads and writes the optional {@code normalize: {"x": X, "y": Y}} of {@code join} and {@code align}. */
final class Normalize {
    private Normalize() {}

    static Normalization read(Params params) {
        Params n = params.optionalObject("normalize");
        if (n == null) {
            return null;
        }
        Double x = n.number("x");
        Double y = n.number("y");
        n.finish();
        return x == null || y == null ? null : new Normalization(x, y);
    }

    static void write(ObjectNode params, Normalization n) {
        if (n != null) {
            params.set("normalize", Codec.object().put("x", n.x()).put("y", n.y()));
        }
    }

    /** The explicit normalization, else the system's, else none. */
    static Normalization effective(Normalization explicit, Normalization system) {
        return explicit != null ? explicit : system;
    }
}
