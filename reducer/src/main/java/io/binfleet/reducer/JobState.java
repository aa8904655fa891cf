package io.binfleet.reducer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.message.JobEvent;

/**
 * What the reducer knows of one job, in its state store.
 *
 * @param lastProgressAt when a piece last arrived (or the job was submitted), epoch ms
 */
record JobState(String jobId, String name, int total, int done, JobEvent.State state, String reason, ObjectNode spec,
                long submittedAt, long lastProgressAt) {

    static JobState submitted(JobEvent e) {
        return new JobState(e.jobId(), e.name(), e.total(), 0, JobEvent.State.SUBMITTED, null, e.spec(), e.submittedAt(),
                e.submittedAt());
    }

    JobState progress(int done, long at) {
        return new JobState(jobId, name, total, done, JobEvent.State.RUNNING, reason, spec, submittedAt, at);
    }

    JobState end(JobEvent.State state, String reason) {
        return new JobState(jobId, name, total, done, state, reason, spec, submittedAt, lastProgressAt);
    }

    boolean terminal() {
        return state.terminal();
    }

    JobEvent event(long at) {
        return new JobEvent(io.binfleet.core.message.Schema.VERSION, jobId, name, state, done, total, reason, null,
                submittedAt, at);
    }
}
