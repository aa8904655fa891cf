package io.binfleet.app;

import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What {@code binfleet run} runs a job on: a fleet of its own ({@link LocalFleet}) or the warm one of {@code up}. */
interface Fleet extends AutoCloseable {
    KafkaSettings settings();

    JobSubmitter.Submitted submit(JobSpec spec);

    /** Submits {@code spec} with the code it needs from {@code folder}. */
    JobSubmitter.Submitted submit(JobSpec spec, Path folder);

    JobWatcher watcher();

    /** Why the fleet can no longer finish a job, if it cannot. */
    Optional<String> problem();

    /** The job's merged result, waiting up to {@code timeout} for it. */
    Optional<JobResult> result(String jobId, Duration timeout);

    @Override
    void close();
}
