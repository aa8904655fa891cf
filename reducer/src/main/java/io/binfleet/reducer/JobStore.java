package io.binfleet.reducer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The reducer's jobs: each job's small state, rewritten as pieces arrive, and its spec, written once. */
interface JobStore {
    /** The job's state, or null if its SUBMITTED event has not been read. */
    JobState get(String jobId);

    void put(JobState state);

    /** The job's spec, as submitted. */
    ObjectNode spec(String jobId);

    void putSpec(String jobId, ObjectNode spec);

    /** Forgets the spec of a job that has ended (its state stays, so that late pieces are recognised). */
    void deleteSpec(String jobId);

    /** Every job that has not ended. */
    List<JobState> running();
}
