package io.binfleet.reducer;

import io.binfleet.app.LocalFleet;
import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.kafka.JobWatcher;

import java.time.Duration;
import java.util.List;

/**
 * A {@link LocalFleet} of single-thread workers on a test broker, and ways to read a job's records back: what the
 * whole-fleet tests run on.
 */
final class Fleet implements AutoCloseable {
    final KafkaFixture kafka;
    final LocalFleet local;
    final Reducer reducer;
    final JobWatcher watcher;

    Fleet(int workerCount, Duration lock) throws Exception {
        this(KafkaFixture.shared(), workerCount, lock);
    }

    Fleet(KafkaFixture kafka, int workerCount, Duration lock) throws Exception {
        this.kafka = kafka;
        try {
            if (lock != null) {
                kafka.recordLock(lock);
            }
            local = LocalFleet.builder()
                    .settings(kafka.settings())
                    .workers(workerCount, 1)
                    .workerId("w")
                    .renewEvery(lock == null ? Duration.ofSeconds(10) : lock.dividedBy(4))
                    .stallTimeout(Duration.ofMinutes(5))
                    .start();
            reducer = local.reducer();
            watcher = local.watcher();
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    String submit(String spec) {
        return local.submit(spec);
    }

    JobEvent awaitEnd(String jobId, Duration timeout) throws InterruptedException {
        return local.awaitEnd(jobId, timeout)
                .orElseThrow(() -> new AssertionError("job " + jobId + " did not end within " + timeout + "; last: "
                        + watcher.latest(jobId).orElse(null)));
    }

    JobResult result(String jobId) {
        var records = kafka.read(
                kafka.settings().topics().results(), KafkaFixture.key(jobId), 1, Duration.ofSeconds(30), Duration.ZERO);
        if (records.isEmpty()) {
            throw new AssertionError("no result for " + jobId);
        }
        return Codec.read(records.get(records.size() - 1).value(), JobResult.class);
    }

    List<PieceResult> pieces(String jobId, int expected) {
        return kafka
                .read(
                        kafka.settings().topics().pieces(),
                        KafkaFixture.key(jobId),
                        expected,
                        Duration.ofSeconds(30),
                        Duration.ofMillis(500))
                .stream()
                .map(r -> Codec.read(r.value(), PieceResult.class))
                .toList();
    }

    @Override
    public void close() {
        try {
            local.close();
        } finally {
            kafka.close();
        }
    }
}
