package io.binfleet.kafka.metrics;

import java.time.Duration;

/**
 * The name of every binfleet meter, in one place (dotted, base units; Prometheus shows {@code binfleet.pieces.completed}
 * as {@code binfleet_pieces_completed_total}). Each service binds only its own meters (the worker's, the reducer's and
 * the producer's binders); no job id is ever a tag: tags are bounded sets (simulation names, outcomes).
 */
public final class MeterNames {
    public static final String TASKS_PUBLISHED = "binfleet.tasks.published";
    public static final String PIECES_COMPLETED = "binfleet.pieces.completed";
    public static final String PIECE_DURATION = "binfleet.piece.duration";
    public static final String PIECES_ACTIVE = "binfleet.pieces.active";
    public static final String JOBS_COMPLETED = "binfleet.jobs.completed";
    public static final String JOB_DURATION = "binfleet.job.duration";
    public static final String JOBS_ACTIVE = "binfleet.jobs.active";
    public static final String PIECES_PENDING = "binfleet.pieces.pending";
    /** Window boundaries of merged jobs (join, align), by quality: ok or suspect. */
    public static final String MERGE_BOUNDARIES = "binfleet.merge.boundaries";
    /** The spread of each boundary's difference over its overlap. */
    public static final String MERGE_BOUNDARY_SPREAD = "binfleet.merge.boundary.spread";

    public static final String PIECES_BATCHED = "binfleet.pieces.batched";
    public static final String PIECES_RELEASED = "binfleet.pieces.released";
    public static final String PIECES_TAKEN_AHEAD = "binfleet.pieces.taken.ahead";
    /** Acknowledgements of task records the broker did not take (their pieces are delivered again). */
    public static final String ACKS_FAILED = "binfleet.acks.failed";
    /** Runs of pieces beyond their first (a rerun after a worker or broker failure). */
    public static final String PIECES_RERUN = "binfleet.pieces.rerun";
    /** Checkpoints saved by running pieces. */
    public static final String CHECKPOINTS_WRITTEN = "binfleet.checkpoints.written";
    /** Pieces resumed from a checkpoint. */
    public static final String CHECKPOINTS_RESTORED = "binfleet.checkpoints.restored";
    /** Checkpoints not used or not saved, by reason (unreadable, incompatible, too-big, unavailable). */
    public static final String CHECKPOINTS_DISCARDED = "binfleet.checkpoints.discarded";
    /** Pieces running now, by band of their progress fraction (or "none" if they report none). */
    public static final String PIECES_PROGRESS = "binfleet.pieces.progress";

    /** Piece-duration histogram buckets: 10 ms to 24 h. */
    private static final Duration[] PIECE_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
                Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
                Duration.ofMinutes(10),
        Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(12),
        Duration.ofHours(24)
    };

    private MeterNames() {}

    /** The piece-duration histogram's buckets (a copy). */
    public static Duration[] pieceBuckets() {
        return PIECE_BUCKETS.clone();
    }
}
