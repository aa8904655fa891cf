package io.binfleet.core.message;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * A job's state, on the compacted {@code binfleet.jobs}, keyed by job id: SUBMITTED (with the spec), RUNNING
 * {@code done}/{@code total}, DONE, FAILED (with the reason), CANCELLED.
 *
 * @param spec        the whole spec, defaults filled in (on SUBMITTED; may be null on later events)
 * @param submittedAt when the job was submitted, epoch ms
 * @param at          when this event happened, epoch ms
 */
public record JobEvent(
        int v,
        String jobId,
        String name,
        State state,
        int done,
        int total,
        String reason,
        ObjectNode spec,
        long submittedAt,
        long at) {

    public enum State {
        SUBMITTED,
        RUNNING,
        DONE,
        FAILED,
        CANCELLED;

        public boolean terminal() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }
    }

    public JobEvent {
        Schema.check(v, "job event");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        if (total < 0 || done < 0 || done > total) {
            throw new IllegalArgumentException("job event: done " + done + " of " + total + " is not possible");
        }
    }

    public static JobEvent submitted(String jobId, String name, int total, ObjectNode spec, long at) {
        return new JobEvent(Schema.VERSION, jobId, name, State.SUBMITTED, 0, total, null, spec, at, at);
    }

    /** This job in another state, at {@code at}. */
    public JobEvent next(State state, int done, String reason, long at) {
        return new JobEvent(v, jobId, name, state, done, total, reason, spec, submittedAt, at);
    }
}
