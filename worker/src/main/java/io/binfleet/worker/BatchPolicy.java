package io.binfleet.worker;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * When a worker thread takes pieces one at a time and when in batches: pure decisions, no clients.
 *
 * <p>A thread holds a lock only on the piece it runs, taking one per fetch. Once its last {@link #SHORT_STREAK} pieces
 * ran under {@link #VERY_SHORT} on average, it takes up to {@link #BATCH} per fetch instead: for pieces of a millisecond
 * the fetch, acknowledgement and result round trips, not the pieces, are the cost. (An average, not every piece: in a
 * fresh JVM on a busy machine one piece of no work in a few takes longer than the rest, and a run in which every one is
 * quick may not come for seconds.) A batch stops as soon as one of its pieces runs past {@link #SHORT} or the batch
 * past {@link #BATCH_BUDGET}: the pieces it has not started then go back to the group, except those a release would
 * leave with fewer than two deliveries, and the thread takes its next piece alone; batches start again once the last
 * pieces average under {@link #VERY_SHORT} again (at once after a piece that a pause of the machine made long, only
 * once it has left the average after a piece that is really long). Not thread-safe: one per worker thread.
 */
final class BatchPolicy {
    /** The most pieces a batch takes at once. */
    static final int BATCH = 256;
    /** Pieces that run under this on average are very short: a run of them is better taken in batches. */
    static final Duration VERY_SHORT = Duration.ofMillis(5);
    /** How many pieces in a row the average is taken over before a thread takes pieces in batches. */
    static final int SHORT_STREAK = 32;
    /** A piece in a batch that runs past this is long: the pieces behind it are released. */
    static final Duration SHORT = Duration.ofMillis(20);
    /** A batch that has run this long releases the pieces it has not started (a backstop: 256 very short pieces take less). */
    static final Duration BATCH_BUDGET = Duration.ofSeconds(1);

    /** What the thread does after the records of one poll. */
    enum Next {
        /** Go on as before. */
        STAY,
        /** Take pieces in batches from now on. */
        ENTER_BATCHES,
        /** Back to one piece at a time. */
        LEAVE_BATCHES
    }

    /**
     * The durations and counts the decisions use; {@link #DEFAULT} in service. Tests on a loaded machine give wider ones,
     * since a piece of no work can take milliseconds there.
     *
     * @param veryShort   pieces that average under this are very short
     * @param shortStreak how many pieces in a row that average is taken over
     * @param shortPiece  a piece in a batch running past this releases the ones behind it
     * @param budget      a batch running this long releases the ones it has not started
     */
    record Thresholds(Duration veryShort, int shortStreak, Duration shortPiece, Duration budget) {
        static final Thresholds DEFAULT = new Thresholds(VERY_SHORT, SHORT_STREAK, SHORT, BATCH_BUDGET);
    }

    private final int deliveryLimit;
    private final Thresholds thresholds;
    private final LongSupplier clock;
    private boolean batching;
    private boolean refused;
    private long refusedUntil;
    /** The run times of the last pieces, oldest overwritten first. */
    private final long[] recent;

    private int recentCount;
    private long recentSum;
    private boolean stop;

    BatchPolicy(int deliveryLimit) {
        this(deliveryLimit, Thresholds.DEFAULT);
    }

    BatchPolicy(int deliveryLimit, Thresholds thresholds) {
        this(deliveryLimit, thresholds, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} */
    BatchPolicy(int deliveryLimit, Thresholds thresholds, LongSupplier clock) {
        this.deliveryLimit = deliveryLimit;
        this.thresholds = thresholds;
        this.clock = clock;
        this.recent = new long[thresholds.shortStreak()];
    }

    /**
     * Back to one piece at a time, and no batches for {@code period}: the thread's batch consumer could not join the
     * share group (it is full), while its single-piece consumer is a member.
     */
    void refuseBatches(Duration period) {
        batching = false;
        forgetRecent();
        refused = true;
        refusedUntil = clock.getAsLong() + period.toNanos();
    }

    boolean batching() {
        return batching;
    }

    /** A new poll's records are about to run. */
    void pollStarted() {
        stop = false;
    }

    /**
     * A piece ran for {@code ranNanos}, {@code sinceBatchStartNanos} after its poll's first piece started.
     */
    void pieceRan(long ranNanos, long sinceBatchStartNanos) {
        int slot = recentCount % recent.length;
        if (recentCount >= recent.length) {
            recentSum -= recent[slot];
        }
        recent[slot] = ranNanos;
        recentSum += ranNanos;
        recentCount++;
        stop = ranNanos >= thresholds.shortPiece().toNanos()
                || sinceBatchStartNanos > thresholds.budget().toNanos();
    }

    private void forgetRecent() {
        recentCount = 0;
        recentSum = 0;
    }

    /** The last {@code shortStreak} pieces in a row were very short on average. */
    private boolean shortRun() {
        return recentCount >= recent.length
                && recentSum < thresholds.veryShort().toNanos() * recent.length;
    }

    /** Whether the pieces of this poll not yet started should go back to the group (those that {@link #releasable} may). */
    boolean stopping() {
        return stop;
    }

    /** After all of a poll's records were handled: batches go on until a piece runs long; single pieces until a run of very short ones. */
    Next pollEnded() {
        if (refused && clock.getAsLong() - refusedUntil >= 0) {
            refused = false;
        }
        boolean next = batching ? !stop : shortRun() && !stop && !refused;
        Next decision = next == batching ? Next.STAY : next ? Next.ENTER_BATCHES : Next.LEAVE_BATCHES;
        batching = next;
        return decision;
    }

    /**
     * Whether a record may go back to the group unstarted: only while the release (which counts as a delivery) leaves
     * it two deliveries, so that it can still run and fail once more before the limit.
     */
    boolean releasable(Optional<Short> deliveryCount) {
        return deliveryCount.orElse((short) 1) <= deliveryLimit - 2;
    }
}
