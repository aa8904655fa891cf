package io.binfleet.worker;

import java.time.Duration;

/**
 * When a worker thread whose share consumer failed for good (the group full, the member fenced and left in a fatal
 * state) builds a new one, and when it gives up: pure decisions on a clock in nanoseconds, no clients.
 *
 * <p>A consumer that fails this way throws once and then polls nothing, quietly, for ever: the only cure is a new
 * consumer. The first rebuild waits {@link #FIRST_PAUSE}, each next one twice as long up to {@link #MAX_PAUSE}. A
 * consumer that goes {@link #HEALTHY} without failing (or whose poll hands back a piece) has joined, and the count
 * starts again. Failing for longer than the timeout without such a spell is the end: the worker stops with an error so
 * that a supervisor restarts it (and an operator sees it). Not thread-safe: one per worker thread.
 */
final class Rejoin {
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    /** A rebuilt consumer that goes this long without failing has joined the group (its first heartbeat fails fast). */
    static final Duration HEALTHY = Duration.ofSeconds(15);

    private final long timeoutNanos;
    private long failingSince;
    /** When the consumer built after the last failure started (that failure plus its pause). */
    private long rebuiltAt;

    private boolean failing;
    private Duration pause = FIRST_PAUSE;

    /** @param timeout how long failing may last before the thread gives up; zero: never */
    Rejoin(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * A consumer failed at {@code now}.
     *
     * @return how long to wait before building the next one
     */
    Duration failed(long now) {
        if (failing && now - rebuiltAt >= HEALTHY.toNanos()) {
            failing = false; // the last one had joined: a new spell of failures
        }
        if (!failing) {
            failing = true;
            failingSince = now;
            pause = FIRST_PAUSE;
        }
        Duration wait = pause;
        rebuiltAt = now + wait.toNanos();
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        return wait;
    }

    /** A poll handed back pieces: the consumer is in the group. */
    void joined() {
        failing = false;
    }

    /** Whether the failures that began this spell have lasted past the timeout at {@code now}. */
    boolean givenUp(long now) {
        return failing && timeoutNanos > 0 && now - failingSince > timeoutNanos;
    }

    /** How long this spell of failures has lasted at {@code now} (zero when not failing). */
    Duration failingFor(long now) {
        return failing ? Duration.ofNanos(now - failingSince) : Duration.ZERO;
    }
}
