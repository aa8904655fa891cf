package io.binfleet.core.split;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.binfleet.core.codec.Codec;

/** JSON helpers shared by the splits: whole numbers are written without a fraction. */
final class SplitJson {
    private SplitJson() {}

    static void add(ArrayNode array, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            array.add((long) v);
        } else {
            array.add(v);
        }
    }

    static ArrayNode array(double... values) {
        ArrayNode a = Codec.array();
        for (double v : values) {
            add(a, v);
        }
        return a;
    }
}
