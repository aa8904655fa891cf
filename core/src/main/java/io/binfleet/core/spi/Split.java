package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A configured split: the pieces a job is made of. */
public interface Split {
    /** The registered name of its {@link SplitType}. */
    String type();

    /** Its parameters, defaults included, without the {@code split} field. */
    ObjectNode params();

    /** The task args of every piece, in piece-index order. Pure: computing it runs nothing. */
    List<ObjectNode> pieces();

    /**
     * The system of piece {@code piece} in its spec form, for a split that gives each piece a system of its own (the
     * classic {@code psystem_func}); {@code null} (the default) when the piece runs on the job's system.
     */
    default ObjectNode system(int piece) {
        return null;
    }
}
