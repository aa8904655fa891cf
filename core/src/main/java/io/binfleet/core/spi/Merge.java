package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A configured merge: a pure function from pieces to one result. */
public interface Merge {
    /** The registered name of its {@link MergeType}. */
    String type();

    /** Its parameters, defaults included, without {@code method}. */
    ObjectNode params();

    /**
     * Merges {@code pieces}, given in any order.
     *
     * @throws MergeException if the pieces cannot be merged this way (e.g. neighbours that do not overlap)
     */
    Series merge(List<Piece> pieces);

    /**
     * Whether pieces are known only up to an additive constant (ln g(E)), so that walkers of one window are matched to
     * each other before they are averaged. The default: no, they are averaged as they are.
     */
    default boolean upToAConstant() {
        return false;
    }
}
