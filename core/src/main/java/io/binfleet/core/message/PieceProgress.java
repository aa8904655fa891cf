package io.binfleet.core.message;

import java.util.Objects;

/**
 * How far a running piece is, on {@code binfleet.jobs} keyed {@code jobId/piece} (so that compaction keeps the last
 * report of each running piece beside, never instead of, the job's own state). Workers send one when a piece has run
 * a second, then when its fraction moves and at least every few seconds while it runs (a heartbeat), and a tombstone
 * when it ends.
 *
 * @param state    always {@code PROGRESS}
 * @param fraction the fraction done in [0, 1], or null if the piece reports none (then {@code seconds} tells)
 * @param seconds  how long the piece has run, a resumed piece's earlier run included
 * @param at       when, epoch ms
 */
public record PieceProgress(
        int v, String jobId, String state, int piece, Double fraction, String worker, double seconds, long at) {
    public static final String STATE = "PROGRESS";

    public PieceProgress {
        Schema.check(v, "piece progress");
        Objects.requireNonNull(jobId, "jobId");
        if (!STATE.equals(state)) {
            throw new IllegalArgumentException("piece progress: state must be " + STATE + ", got " + state);
        }
        if (piece < 0) {
            throw new IllegalArgumentException("piece progress: piece " + piece + " is negative");
        }
        if (fraction != null && !(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("piece progress: fraction " + fraction + " is not in [0, 1]");
        }
    }

    public static PieceProgress of(String jobId, int piece, Double fraction, String worker, double seconds, long at) {
        return new PieceProgress(Schema.VERSION, jobId, STATE, piece, fraction, worker, seconds, at);
    }

    /** The key of a piece's progress (and of its checkpoint): {@code jobId/piece}. */
    public static String key(String jobId, int piece) {
        return jobId + "/" + piece;
    }

    /** Whether a key on the jobs topic is a piece's ({@code jobId/piece}) rather than a job's. */
    public static boolean isPieceKey(String key) {
        return key != null && key.indexOf('/') >= 0;
    }

    /** The job id of a piece key. */
    public static String jobIdOf(String key) {
        return key.substring(0, key.lastIndexOf('/'));
    }

    /**
     * The piece index of a piece key.
     *
     * @throws NumberFormatException if what follows the last {@code /} is not an index
     */
    public static int pieceOf(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf('/') + 1));
    }
}
