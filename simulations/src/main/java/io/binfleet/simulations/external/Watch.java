package io.binfleet.simulations.external;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.spec.Params;

import java.util.concurrent.TimeUnit;

/**
 * When a running program is killed: for silence, {@code silenceSeconds} (default {@link #DEFAULT_SILENCE}, 0: never)
 * with no output at all (a progress, checkpoint or result line, or anything on stdout or stderr); for length, only if
 * the spec sets {@code timeoutSeconds}. A long piece that reports progress is never killed for being long.
 *
 * @param timeoutSeconds the longest a piece may run, 0 for no limit
 * @param silenceSeconds the longest a program may say nothing, 0 for no limit
 */
public record Watch(int timeoutSeconds, int silenceSeconds) {
    /** Half an hour without a word. */
    public static final int DEFAULT_SILENCE = 1800;

    private static final int MAX = 7 * 86_400;

    /** The fields of a simulation that runs a program. */
    public static Watch of(Params params) {
        int timeout = params.has("timeoutSeconds") ? params.integer("timeoutSeconds", 1, MAX, 0) : 0;
        int silence = params.integer("silenceSeconds", 0, MAX, DEFAULT_SILENCE);
        return new Watch(timeout, silence);
    }

    /** Writes them into a simulation's params: the timeout only if there is one. */
    public void put(ObjectNode params) {
        if (timeoutSeconds > 0) {
            params.put("timeoutSeconds", timeoutSeconds);
        }
        params.put("silenceSeconds", silenceSeconds);
    }

    /** A clock for one run, started now. */
    Clock start() {
        return new Clock(System.nanoTime());
    }

    /** One run's clock: call {@link #heard()} on any output; {@link #expired()} says why the program must go. */
    final class Clock {
        private final long start;
        private volatile long lastHeard;

        private Clock(long start) {
            this.start = start;
            this.lastHeard = start;
        }

        void heard() {
            lastHeard = System.nanoTime();
        }

        /** Also counts output seen elsewhere (a capture thread) at {@code nanos}. */
        void heardAt(long nanos) {
            if (nanos - lastHeard > 0) {
                lastHeard = nanos;
            }
        }

        /** Why the program must be killed now ("timed out after ...", "silent for ..."), or null. */
        String expired() {
            long now = System.nanoTime();
            if (timeoutSeconds > 0 && now - start > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
                return "timed out after " + timeoutSeconds + " s (timeoutSeconds)";
            }
            if (silenceSeconds > 0 && now - lastHeard > TimeUnit.SECONDS.toNanos(silenceSeconds)) {
                return "said nothing for " + silenceSeconds + " s (no progress, checkpoint or output; "
                        + "silenceSeconds)";
            }
            return null;
        }
    }
}
