package io.binfleet.bench;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a fleet with jobs, for timing the clients against a busy jobs topic: submits JOBS jobs of PIECES trivial pieces
 * each to the fleet at BOOTSTRAP (one producer, one transaction per job) and waits until every one has ended. Prints
 * one line. Usage: {@code ManyJobs BOOTSTRAP [JOBS [PIECES]]}.
 */
public final class ManyJobs {
    private ManyJobs() {}

    public static void main(String[] args) throws Exception {
        KafkaSettings settings = KafkaSettings.of(args[0]);
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int pieces = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        byte[] spec = ("{\"name\": \"filler\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": {\"split\":"
                        + " \"replicas\", \"count\": " + pieces
                        + "}, \"simulation\": {\"name\": \"synthetic\", \"seconds\":"
                        + " 0}, \"merge\": {\"method\": \"mean\"}}")
                .getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>(jobs);
        try (JobWatcher watcher = new JobWatcher(settings).start();
                JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            for (int i = 0; i < jobs; i++) {
                ids.add(submitter.submit(spec).jobId());
            }
            for (String id : ids) {
                if (watcher.await(id, e -> e.state().terminal(), Duration.ofMinutes(10))
                        .isEmpty()) {
                    throw new IllegalStateException(id + " did not end within 10 minutes");
                }
            }
            long done = ids.stream()
                    .filter(id -> watcher.latest(id).map(JobEvent::state).orElse(null) == JobEvent.State.DONE)
                    .count();
            System.out.printf(
                    "submitted %d jobs of %d pieces; %d DONE in %.1f s%n",
                    jobs, pieces, done, (System.nanoTime() - t0) / 1e9);
        }
    }
}
