package io.binfleet.producer;

import org.apache.kafka.common.KafkaException;

/**
 * A job could not be published; {@link #submitted()} says whether it is certainly not on the fleet (its transaction
 * was aborted) or may be (its commit was sent but not confirmed in time: the broker may still complete it).
 */
public final class SubmitException extends KafkaException {
    private static final long serialVersionUID = 1L;

    /** Whether the job reached the fleet. */
    public enum Submitted {
        /** The transaction was aborted or never committed: nothing of the job is on the fleet. */
        NO,
        /** The commit did not complete in time and could not be confirmed either way. */
        UNKNOWN
    }

    private final String jobId;
    private final Submitted submitted;

    SubmitException(String jobId, Submitted submitted, String message, Throwable cause) {
        super(message, cause);
        this.jobId = jobId;
        this.submitted = submitted;
    }

    public String jobId() {
        return jobId;
    }

    public Submitted submitted() {
        return submitted;
    }
}
