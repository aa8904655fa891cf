package io.binfleet.worker;

/** What a worker needs to know of jobs: whether one has ended (done, failed or cancelled), so its pieces are skipped. */
@FunctionalInterface
interface JobStatus {
    boolean ended(String jobId);
}
