package io.binfleet.core.split;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.spi.Split;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code parallel.walkers: m} on an energy-windows or grid split: every window of {@code inner} run by m independent
 * pieces (each with a seed of its own), piece {@code w·m + k} being walker k of window w; its args are the window's
 * with {@code "walker": k} added. The merge combines each window's walkers first, and the spread between them gives the
 * result's error bars.
 */
public record WalkersSplit(Split inner, int walkers) implements Split {
    /** The most walkers per window. */
    public static final int MAX_WALKERS = 1000;

    @Override
    public String type() {
        return inner.type();
    }

    @Override
    public ObjectNode params() {
        return inner.params().put("walkers", walkers);
    }

    @Override
    public List<ObjectNode> pieces() {
        List<ObjectNode> windows = inner.pieces();
        List<ObjectNode> out = new ArrayList<>(windows.size() * walkers);
        for (ObjectNode window : windows) {
            for (int k = 0; k < walkers; k++) {
                out.add(window.deepCopy().put("walker", k));
            }
        }
        return out;
    }

    @Override
    public int walkers() {
        return walkers;
    }

    @Override
    public boolean mirrored() {
        return inner.mirrored();
    }
}
