package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaFixture;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.worker.Worker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A whole fleet in this JVM for integration tests: embedded broker, reducer, workers, a job watcher. */
final class Fleet implements AutoCloseable {
    final KafkaFixture kafka;
    final Reducer reducer;
    final List<Worker> workers = new ArrayList<>();
    final JobWatcher watcher;
    final JobSubmitter submitter;

    Fleet(int workerCount, Duration lock) throws Exception {
        this(KafkaFixture.start(), workerCount, lock);
    }

    Fleet(KafkaFixture kafka, int workerCount, Duration lock) throws Exception {
        this.kafka = kafka;
        try {
            KafkaSettings settings = kafka.settings();
            if (lock != null) {
                kafka.recordLock(lock);
            }
            reducer = new Reducer(settings, new Reducer.Config(Files.createTempDirectory("reducer-state"), Duration.ofMinutes(5), null),
                    SpecParser.builtin());
            reducer.start();
            Duration renew = lock == null ? Duration.ofSeconds(10) : lock.dividedBy(4);
            for (int i = 0; i < workerCount; i++) {
                Worker w = new Worker(settings, new Worker.Config("w" + i, 1, 5, renew), SpecParser.builtin());
                workers.add(w);
                w.start();
            }
            watcher = new JobWatcher(settings).start();
            submitter = new JobSubmitter(settings, SpecParser.builtin());
            if (!reducer.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the reducer did not start");
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    String submit(String spec) {
        return submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
    }

    JobEvent awaitEnd(String jobId, Duration timeout) throws InterruptedException {
        return watcher.await(jobId, e -> e.state().terminal(), timeout)
                .orElseThrow(() -> new AssertionError("job " + jobId + " did not end within " + timeout + "; last: "
                        + watcher.latest(jobId).orElse(null)));
    }

    JobResult result(String jobId) {
        var records = kafka.read(kafka.settings().topics().results(), KafkaFixture.key(jobId), 1, Duration.ofSeconds(30),
                Duration.ZERO);
        if (records.isEmpty()) {
            throw new AssertionError("no result for " + jobId);
        }
        return Codec.read(records.get(records.size() - 1).value(), JobResult.class);
    }

    List<PieceResult> pieces(String jobId, int expected) {
        return kafka.read(kafka.settings().topics().pieces(), KafkaFixture.key(jobId), expected, Duration.ofSeconds(30),
                Duration.ofMillis(500)).stream().map(r -> Codec.read(r.value(), PieceResult.class)).toList();
    }

    @Override
    public void close() {
        closeQuietly(submitter);
        closeQuietly(watcher);
        workers.forEach(Fleet::closeQuietly);
        closeQuietly(reducer);
        closeQuietly(kafka);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("closing " + c.getClass().getSimpleName() + ": " + e);
        }
    }
}
