package io.binfleet.worker;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.metrics.MeterNames;
import io.binfleet.producer.JobSubmitter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a 6 s record lock renewed every 1.5 s, a 20 s piece runs exactly once: its worker renews the lock, the idle worker
 * never gets it. (6 s rather than the 30 s default to keep the test short; not shorter, so that a few seconds' stall
 * of a CPU-starved machine do not lose the lock.)
 */
class LockRenewalIT {
    private static final Duration LOCK = Duration.ofSeconds(6);
    private static final Duration RENEW = LOCK.dividedBy(4);

    @Tag("heavy")
    @Test
    void aPieceFourTimesLongerThanTheLock_runsExactlyOnce() throws Exception {
        try (KafkaFixture kafka = KafkaFixture.shared()) {
            KafkaSettings settings = kafka.settings();
            kafka.recordLock(LOCK);
            String spec = "{\"name\": \"long\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                    + "{\"split\": \"replicas\", \"count\": 1}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 20}}";
            try (Worker a = new Worker(settings, new WorkerConfig("a", 1, RENEW), SpecParser.builtin());
                    Worker b = new Worker(settings, new WorkerConfig("b", 1, RENEW), SpecParser.builtin())) {
                a.start();
                b.start();
                String jobId;
                try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                    jobId = submitter
                            .submit(spec.getBytes(StandardCharsets.UTF_8))
                            .jobId();
                }
                List<PieceResult> results = kafka
                        .read(
                                settings.topics().pieces(),
                                KafkaFixture.key(jobId),
                                1,
                                Duration.ofMinutes(2),
                                Duration.ofSeconds(4))
                        .stream()
                        .map(r -> Codec.read(r.value(), PieceResult.class))
                        .toList();
                assertThat(results).singleElement().satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo(PieceResult.Outcome.OK);
                    assertThat(r.attempts()).isEqualTo(1);
                    assertThat(r.seconds()).isGreaterThanOrEqualTo(20);
                });
            }
        }
    }

    @Test
    void aWorkerStoppedMidPiece_releasesIt_andAnotherWorkerRunsIt() throws Exception {
        try (KafkaFixture kafka = KafkaFixture.shared()) {
            KafkaSettings settings = kafka.settings();
            kafka.recordLock(LOCK);
            String spec = "{\"name\": \"moved\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                    + "{\"split\": \"replicas\", \"count\": 1}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 15}}";
            String jobId;
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Worker a = new Worker(settings, new WorkerConfig("a", 1, RENEW), SpecParser.builtin(), registry)) {
                a.start();
                try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                    jobId = submitter
                            .submit(spec.getBytes(StandardCharsets.UTF_8))
                            .jobId();
                }
                // a took the piece (however long joining took on this machine), then renews its lock a few times
                Awaitility.await()
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() ->
                                registry.get(MeterNames.PIECES_ACTIVE).gauge().value() >= 1);
                Thread.sleep(LOCK.toMillis());
            }
            try (Worker b = new Worker(settings, new WorkerConfig("b", 1, RENEW), SpecParser.builtin())) {
                b.start();
                List<PieceResult> results = kafka
                        .read(
                                settings.topics().pieces(),
                                KafkaFixture.key(jobId),
                                1,
                                Duration.ofMinutes(2),
                                Duration.ofSeconds(1))
                        .stream()
                        .map(r -> Codec.read(r.value(), PieceResult.class))
                        .toList();
                assertThat(results).singleElement().satisfies(r -> {
                    assertThat(r.worker()).isEqualTo("b-0");
                    // released once by a; measured: the closing consumer's background fetch may acquire it once more
                    assertThat(r.attempts()).isBetween(2, 3);
                });
            }
        }
    }
}
