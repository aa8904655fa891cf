package io.binfleet.reducer;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.Schema;

/**
 * What the reducer knows of one job, in its job store: small, rewritten as pieces arrive. The job's spec is stored
 * once, apart ({@link JobStore#spec}).
 *
 * @param done           pieces in (for a running job)
 * @param lastProgressAt when a piece last arrived or a running piece last reported (or the job was submitted), epoch
 *     ms
 */
record JobState(
        String jobId,
        String name,
        int total,
        int done,
        JobEvent.State state,
        String reason,
        long submittedAt,
        long lastProgressAt) {

    static JobState submitted(JobEvent e) {
        return new JobState(
                e.jobId(), e.name(), e.total(), 0, JobEvent.State.SUBMITTED, null, e.submittedAt(), e.submittedAt());
    }

    JobState progress(int done, long at) {
        return new JobState(jobId, name, total, done, JobEvent.State.RUNNING, reason, submittedAt, at);
    }

    /** A sign of life at {@code at} (a running piece reported): the stall clock starts again. */
    JobState alive(long at) {
        return new JobState(jobId, name, total, done, state, reason, submittedAt, at);
    }

    JobState end(JobEvent.State state, String reason) {
        return new JobState(jobId, name, total, done, state, reason, submittedAt, lastProgressAt);
    }

    boolean terminal() {
        return state.terminal();
    }

    boolean complete() {
        return done >= total;
    }

    JobEvent event(long at) {
        return new JobEvent(Schema.VERSION, jobId, name, state, done, total, reason, null, submittedAt, at);
    }
}
