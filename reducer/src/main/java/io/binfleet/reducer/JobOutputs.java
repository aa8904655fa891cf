package io.binfleet.reducer;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.kafka.DeadLetter;

/** Where the reducer's decisions go: job events, merged results, dead letters, and commits of a job's end. */
interface JobOutputs {
    void event(JobEvent event);

    void result(JobResult result);

    void deadLetter(DeadLetter letter);

    /** Removes what a piece of an ended job left behind: its last progress report and its checkpoint (tombstones). */
    void forget(String jobId, int piece);

    /** Makes what was sent visible now (a job's end), not at the next commit interval. */
    void commit();
}
