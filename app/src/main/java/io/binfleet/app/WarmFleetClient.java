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

/**
 * {@code binfleet run}'s side of the warm fleet {@code binfleet up} keeps: a job watcher on it, and jobs handed to the
 * fleet to publish ({@link FleetServer}: its submitter's transactions are warm, a new one's first commit costs 0.1-0.3
 * s). A fleet that does not take submissions (none on its port) gets them from a submitter of this client's own.
 */
final class WarmFleetClient implements Fleet {
    private final WarmFleet.Info info;
    private final KafkaSettings settings;
    private final JobWatcher watcher;
    private JobSubmitter submitter;

    WarmFleetClient(WarmFleet.Info info, KafkaSettings settings) {
        this.info = info;
        this.settings = settings;
        this.watcher = new JobWatcher(settings).start();
    }

    @Override
    public KafkaSettings settings() {
        return settings;
    }

    @Override
    public JobSubmitter.Submitted submit(JobSpec spec) {
        return submit(spec, null);
    }

    /** {@inheritDoc} Through the fleet if it takes submissions, else through a submitter of this client's own. */
    @Override
    public JobSubmitter.Submitted submit(JobSpec spec, Path folder) {
        Optional<JobSubmitter.Submitted> viaFleet = FleetSubmit.submit(info.statusPort(), spec, folder);
        if (viaFleet.isPresent()) {
            return viaFleet.get();
        }
        if (submitter == null) {
            submitter = new JobSubmitter(settings, SpecParser.builtin());
        }
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
            if (submitter != null) {
                submitter.close();
            }
        } finally {
            watcher.close();
        }
    }
}
