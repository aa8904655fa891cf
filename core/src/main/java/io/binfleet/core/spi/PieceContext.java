package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * The state an earlier run of this piece saved with {@link #checkpoint(JsonNode)}, to resume from: the task's
     * {@code "checkpoint"}; null when the piece starts from zero. A simulation that cannot use it throws
     * {@link CheckpointException}, and the runner starts the piece again from zero.
     */
    default JsonNode resumeFrom() {
        JsonNode c = task().get("checkpoint");
        return c == null || c.isNull() ? null : c;
    }

    /**
     * Whether the piece should save its state now: the job's checkpoint interval has passed since the last save (or
     * the start), or the runner is stopping (a worker asked to stop saves before it gives the piece back). Cheap enough
     * to ask between any two chunks of work.
     */
    default boolean checkpointDue() {
        return false;
    }

    /**
     * Saves the piece's state (any JSON) so that a later run can resume from it, with the progress reported last.
     * Returns at once; a state too big to keep is skipped with a warning, never failing the piece.
     */
    default void checkpoint(JsonNode state) {}

    /** A context for {@code task} with no cancellation and no progress reporting. */
    static PieceContext of(ObjectNode task) {
        return () -> task;
    }
}
