package io.binfleet.core.message;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A running piece's saved state, on the compacted {@code binfleet.checkpoints} keyed {@code jobId/piece}; a tombstone
 * once the piece's result is in or its job has ended.
 *
 * @param seed     the seed the piece runs with (a resumed piece keeps it)
 * @param seconds  how long the piece had run when it saved, earlier runs included
 * @param fraction its progress then (0 if it reports none)
 * @param worker   who saved it
 * @param state    the simulation's own state (any JSON)
 * @param at       when, epoch ms
 */
public record Checkpoint(
        int v,
        String jobId,
        int piece,
        long seed,
        double seconds,
        double fraction,
        String worker,
        JsonNode state,
        long at) {
    public Checkpoint {
        Schema.check(v, "checkpoint");
        Objects.requireNonNull(jobId, "jobId");
        if (state == null || state.isNull()) {
            throw new IllegalArgumentException("checkpoint: no state");
        }
        if (!(seconds >= 0) || !(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(
                    "checkpoint: seconds " + seconds + " or fraction " + fraction + " out of range");
        }
    }
}
