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
     * Each piece's system in its spec form, in piece-index order, for a split that gives every piece a system of its own
     * (the classic {@code psystem_func}); empty (the default) when every piece runs on the job's system.
     */
    default List<ObjectNode> systems() {
        return List.of();
    }

    /**
     * Independent pieces per window or bin ({@code parallel.walkers}): pieces {@code w·m} to {@code w·m + m − 1} run
     * window {@code w}, each with a seed of its own. 1 (the default) for one piece per window.
     */
    default int walkers() {
        return 1;
    }

    /**
     * Whether the pieces cover only x ≤ 0 (and a little past it) of a system symmetric about 0, the result to be
     * completed by its mirror image ({@code parallel.symmetric}). False by default.
     */
    default boolean mirrored() {
        return false;
    }
}
