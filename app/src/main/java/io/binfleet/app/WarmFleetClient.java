package io.binfleet.app;

import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;
import io.binfleet.producer.JobSubmitter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code binfleet run}'s side of the warm fleet {@code binfleet up} keeps: a job watcher and a submitter on it. */
final class WarmFleetClient implements Fleet {
    private final WarmFleet.Info info;
    private final KafkaSettings settings;
    private final JobWatcher watcher;
    private final JobSubmitter submitter;

    WarmFleetClient(WarmFleet.Info info, KafkaSettings settings) {
        this.info = info;
        this.settings = settings;
        this.watcher = new JobWatcher(settings).start();
        try {
            this.submitter = new JobSubmitter(settings, SpecParser.builtin());
        } catch (RuntimeException e) {
            watcher.close();
            throw e;
        }
    }

    @Override
    public KafkaSettings settings() {
        return settings;
    }

    @Override
    public JobSubmitter.Submitted submit(JobSpec spec) {
        return submitter.submit(spec);
    }

    @Override
    public JobSubmitter.Submitted submit(JobSpec spec, Path folder) {
        return submitter.submit(spec, folder);
    }

    @Override
    public JobWatcher watcher() {
        return watcher;
    }

    /** The fleet's process ended (binfleet down, a crash): the job cannot finish until it is up again. */
    @Override
    public Optional<String> problem() {
        boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive
                ? Optional.empty()
                : Optional.of(
                        "the local fleet (pid " + info.pid() + ") stopped; its pieces run again after `binfleet up`");
    }

    @Override
    public Optional<JobResult> result(String jobId, Duration timeout) {
        return ResultReader.fetch(settings, jobId, timeout);
    }

    @Override
    public void close() {
        try {
            submitter.close();
        } finally {
            watcher.close();
        }
    }
}
