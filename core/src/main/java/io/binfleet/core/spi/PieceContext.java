package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

/**
 * What a running piece may know and tell. Implementations are supplied by the runner (a worker, a test).
 */
public interface PieceContext {
    /** The task JSON this piece was handed (DESIGN §2): jobId, piece, pieces, system, args, simulation, seed, attempt. */
    ObjectNode task();

    /** The split's args for this piece. */
    default ObjectNode args() {
        return (ObjectNode) task().get("args");
    }

    /** The piece's index in its job. */
    default int piece() {
        return task().get("piece").asInt();
    }

    /** The folder relative commands and files resolve against (the job file's folder, or the working directory). */
    default Path baseDir() {
        return Path.of("").toAbsolutePath();
    }

    /** True once the job was cancelled or the worker is shutting down: stop soon, throwing anything. */
    default boolean cancelled() {
        return false;
    }

    /**
     * Whether this runner lets a simulation start {@code program} (an external command). The worker service allows
     * only the programs on its allow-list; {@code binfleet run} allows the job's own command.
     */
    default boolean allows(String program) {
        return false;
    }

    /** Reports the fraction of the piece done, in [0, 1]. */
    default void progress(double fraction) {}

    /** A context for {@code task} with no cancellation and no progress reporting. */
    static PieceContext of(ObjectNode task) {
        return () -> task;
    }
}
