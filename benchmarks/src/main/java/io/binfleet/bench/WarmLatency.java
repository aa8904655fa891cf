package io.binfleet.bench;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.EmbeddedBroker;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.reducer.Reducer;
import io.binfleet.worker.Worker;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;

/**
 * Latency on a warm fleet: an embedded broker, a reducer and 2 worker threads in this JVM; after a warm-up, JOBS jobs
 * of 8 trivial pieces are submitted one after another and each timed from submit to its DONE event (published in
 * the same transaction as its merged result). Prints the median and p95. Usage: {@code WarmLatency [JOBS]}.
 */
public final class WarmLatency {
    private WarmLatency() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        String spec = "{\"name\": \"latency\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": {\"split\": \"replicas\","
                + " \"count\": 8}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0}}";
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            KafkaSettings settings = KafkaSettings.of(broker.bootstrapServers());
            try (Admin admin = Admin.create(settings.client())) {
                settings.topics().ensure(admin);
            }
            try (Reducer reducer = new Reducer(settings, new Reducer.Config(Files.createTempDirectory("latency"), Duration.ofMinutes(5),
                    null), SpecParser.builtin());
                 Worker worker = new Worker(settings, new Worker.Config("bench", 2, 5, Duration.ofSeconds(10)), SpecParser.builtin());
                 JobWatcher watcher = new JobWatcher(settings).start();
                 JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                reducer.start();
                worker.start();
                reducer.awaitRunning(Duration.ofSeconds(60));
                for (int i = 0; i < 5; i++) {
                    time(submitter, watcher, spec);
                }
                double[] ms = new double[jobs];
                for (int i = 0; i < jobs; i++) {
                    ms[i] = time(submitter, watcher, spec);
                }
                Arrays.sort(ms);
                System.out.printf("warm latency, submit -> merged result, 8 trivial pieces, %d jobs: median %.0f ms, p95 %.0f ms, "
                        + "min %.0f ms, max %.0f ms%n", jobs, ms[jobs / 2], ms[(int) Math.ceil(0.95 * jobs) - 1], ms[0], ms[jobs - 1]);
            }
        }
    }

    private static double time(JobSubmitter submitter, JobWatcher watcher, String spec) throws InterruptedException {
        long start = System.nanoTime();
        String id = submitter.submit(spec.getBytes()).jobId();
        JobEvent end = watcher.await(id, e -> e.state().terminal(), Duration.ofSeconds(60)).orElseThrow();
        if (end.state() != JobEvent.State.DONE) {
            throw new IllegalStateException(id + " ended " + end.state() + ": " + end.reason());
        }
        return (System.nanoTime() - start) / 1e6;
    }
}
