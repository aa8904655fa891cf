package io.binfleet.reducer;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spi.Series;
import io.binfleet.simulations.InProcessJob;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole fleet on the embedded broker: producer, two workers (share group), reducer (Kafka Streams). The worker
 * group's record lock is 6 s (renewed every 1.5 s), so every piece longer than that is kept only by lock renewal. The
 * lock is short enough to test renewal in seconds and long enough that a machine stalled for a few seconds (seen:
 * controller events of 2-7 s on a CPU-starved 2-core machine) does not lose it.
 */
class FleetIT {
    private static Fleet fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(2, Duration.ofSeconds(6));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static String synthetic(String name, int pieces, double seconds, long seed) {
        return "{\"name\": \"" + name
                + "\", \"system\": {\"Synthetic\": {\"points\": 6}}, \"parallel\": {\"split\": \"replicas\","
                + " \"count\": " + pieces + "}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": " + seconds
                + ", \"seed\": "
                + seed + "}, \"merge\": {\"method\": \"mean\"}}";
    }

    /** The same job merged in this JVM from the same seeds: what every run must reproduce exactly. */
    private static Series inProcess(String json) throws Exception {
        return InProcessJob.merge(json);
    }

    private static void assertMatches(JobResult result, Series expected) {
        assertThat(result.x())
                .containsExactly(Arrays.stream(expected.x()).boxed().toArray(Double[]::new));
        assertThat(result.y())
                .containsExactly(Arrays.stream(expected.y()).boxed().toArray(Double[]::new));
    }

    @Test
    void sixteenPieceJob_completes_withTheMergeComputedInProcess() throws Exception {
        String spec = synthetic("sixteen", 16, 0.05, 11);
        String jobId = fleet.submit(spec);
        JobEvent end = fleet.awaitEnd(jobId, Duration.ofSeconds(90));
        assertThat(end.state()).isEqualTo(JobEvent.State.DONE);
        JobResult result = fleet.result(jobId);
        assertMatches(result, inProcess(spec));
        assertThat(result.pieces())
                .extracting(JobResult.PieceInfo::index)
                .containsExactlyElementsOf(IntStream.range(0, 16).boxed().toList());
        assertThat(result.completedAt()).isGreaterThanOrEqualTo(result.submittedAt());
    }

    @Test
    void threeJobsTogether_eachMergesOnlyItsOwnPieces() throws Exception {
        String[] specs = {synthetic("a", 5, 0.02, 1), synthetic("b", 7, 0.02, 2), synthetic("c", 3, 0.02, 3)};
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = fleet.submit(specs[i]);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(fleet.awaitEnd(ids[i], Duration.ofSeconds(90)).state()).isEqualTo(JobEvent.State.DONE);
            JobResult result = fleet.result(ids[i]);
            assertMatches(result, inProcess(specs[i]));
            assertThat(result.pieces()).hasSize(new int[] {5, 7, 3}[i]);
        }
    }

    @Test
    @Tag("heavy")
    void aLongPieceDoesNotHoldUpShortOnes_andKeepsItsLockByRenewal() throws Exception {
        // one 20 s piece (over three times the 6 s lock) and six 0.5 s pieces on two workers: about 20 s in all, not 23
        String longJob = fleet.submit(synthetic("long", 1, 20, 5));
        Thread.sleep(300);
        String shortJob = fleet.submit(synthetic("short", 6, 0.5, 6));
        JobEvent shortEnd = fleet.awaitEnd(shortJob, Duration.ofSeconds(90));
        JobEvent longEnd = fleet.awaitEnd(longJob, Duration.ofSeconds(90));
        assertThat(shortEnd.state()).isEqualTo(JobEvent.State.DONE);
        assertThat(longEnd.state()).isEqualTo(JobEvent.State.DONE);
        // the short job ended while the long piece was still running
        assertThat(shortEnd.at()).isLessThan(longEnd.at());
        List<PieceResult> longPieces = fleet.pieces(longJob, 1);
        assertThat(longPieces)
                .singleElement()
                .satisfies(p -> assertThat(p.attempts()).isEqualTo(1));
        String longWorker = longPieces.get(0).worker();
        // every short piece ran on the other worker at its first delivery: the busy worker's lock renewals neither
        // hold nor burn deliveries of the pieces waiting behind it
        assertThat(fleet.pieces(shortJob, 6)).hasSize(6).allSatisfy(p -> {
            assertThat(p.worker()).isNotEqualTo(longWorker);
            assertThat(p.attempts()).isEqualTo(1);
        });
        System.err.printf(
                "head-of-line: long job %.1f s, short job %.1f s, both from the first submit %.1f s%n",
                (longEnd.at() - longEnd.submittedAt()) / 1000.0,
                (shortEnd.at() - shortEnd.submittedAt()) / 1000.0,
                (Math.max(longEnd.at(), shortEnd.at()) - longEnd.submittedAt()) / 1000.0);
    }

    @Test
    void aPiecePublishedTwice_isCountedOnce() throws Exception {
        String jobId = fleet.submit(synthetic("dup", 3, 0.02, 8));
        assertThat(fleet.awaitEnd(jobId, Duration.ofSeconds(90)).state()).isEqualTo(JobEvent.State.DONE);
        JobResult first = fleet.result(jobId);
        // replay piece 0 after the end: nothing changes
        PieceResult piece0 = fleet.pieces(jobId, 3).stream()
                .filter(p -> p.piece() == 0)
                .findFirst()
                .orElseThrow();
        RecordMetadata sent;
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                fleet.kafka.settings().client(), new StringSerializer(), new ByteArraySerializer())) {
            sent = p.send(new ProducerRecord<>(fleet.kafka.settings().topics().pieces(), jobId, Codec.write(piece0)))
                    .get();
        }
        // the reducer has read the copy once its committed position is past it; with exactly once, whatever it
        // wrote on reading it is committed in the same transaction, so a second result would now be readable
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        try (Admin admin = Admin.create(fleet.kafka.settings().client())) {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(
                                        fleet.kafka.settings().topics().prefix() + "reducer")
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .get(partition);
                        return committed != null && committed.offset() > sent.offset();
                    });
        }
        assertThat(fleet.kafka.read(
                        fleet.kafka.settings().topics().results(),
                        KafkaFixture.key(jobId),
                        2,
                        Duration.ofSeconds(20),
                        Duration.ZERO))
                .hasSize(1);
        assertThat(fleet.watcher.latest(jobId).orElseThrow().state()).isEqualTo(JobEvent.State.DONE);
        assertThat(fleet.result(jobId)).isEqualTo(first);
    }

    @Test
    void aSimulationThatAlwaysThrows_failsItsJobAfterItsRetries_whileOtherJobsFlow() throws Exception {
        String failing = fleet.submit(
                "{\"name\": \"doomed\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                        + "{\"split\": \"replicas\", \"count\": 2}, \"simulation\": {\"name\": \"synthetic\", \"fail\": 1}}");
        String healthy = fleet.submit(synthetic("healthy", 6, 0.05, 12));
        JobEvent failed = fleet.awaitEnd(failing, Duration.ofSeconds(90));
        assertThat(failed.state()).isEqualTo(JobEvent.State.FAILED);
        assertThat(failed.reason())
                .matches("piece [01] failed: failed 3 times, last: SyntheticFailure: synthetic failure of piece [01] "
                        + "\\(fail = 1.0\\)");
        assertThat(fleet.awaitEnd(healthy, Duration.ofSeconds(90)).state()).isEqualTo(JobEvent.State.DONE);
        var dlq = fleet.kafka.read(
                fleet.kafka.settings().topics().dlq(),
                KafkaFixture.key(failing),
                1,
                Duration.ofSeconds(10),
                Duration.ZERO);
        assertThat(dlq).isNotEmpty();
        assertThat(new String(dlq.get(0).headers().lastHeader("binfleet.error").value()))
                .contains("failed 3 times");
    }

    @Test
    void garbageOnEveryTopic_goesToTheDlq_andChangesNoJobsResult() throws Exception {
        String spec = synthetic("garbage-proof", 4, 0.05, 13);
        String jobId = fleet.submit(spec);
        assertThat(fleet.awaitEnd(jobId, Duration.ofSeconds(90)).state()).isEqualTo(JobEvent.State.DONE);
        JobResult before = fleet.result(jobId);
        var topics = fleet.kafka.settings().topics();
        PieceResult real = fleet.pieces(jobId, 4).get(0);
        byte[] otherVersion =
                Codec.writeString(real).replace("\"v\":1", "\"v\":9").getBytes();
        byte[] wrongKey = Codec.write(real);
        byte[] oversized = new byte[3 << 20];
        Arrays.fill(oversized, (byte) '{');
        var p = new Properties();
        p.putAll(fleet.kafka.settings().client());
        p.put("max.request.size", Integer.toString(8 << 20));
        try (KafkaProducer<String, byte[]> raw =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (String topic : topics.all()) {
                if (topic.equals(topics.dlq())) {
                    continue;
                }
                raw.send(new ProducerRecord<>(topic, jobId, "not json".getBytes()))
                        .get();
                raw.send(new ProducerRecord<>(topic, jobId, new byte[] {0, (byte) 0xff, 7}))
                        .get();
                raw.send(new ProducerRecord<>(topic, jobId, "{\"v\": 1, \"unexpected\": true}".getBytes()))
                        .get();
                raw.send(new ProducerRecord<>(topic, jobId, otherVersion)).get();
                raw.send(new ProducerRecord<>(topic, jobId, oversized)).get();
            }
            raw.send(new ProducerRecord<>(topics.pieces(), "someone-else", wrongKey))
                    .get();
        }
        // every service keeps going: a new job still completes, and the old result is unchanged
        String after = fleet.submit(synthetic("after-garbage", 3, 0.05, 14));
        assertThat(fleet.awaitEnd(after, Duration.ofSeconds(90)).state()).isEqualTo(JobEvent.State.DONE);
        assertThat(fleet.watcher.latest(jobId).orElseThrow().state()).isEqualTo(JobEvent.State.DONE);
        assertThat(fleet.reducer.state().isRunningOrRebalancing()).isTrue();
        // the reducer and the worker put what they could not read on the DLQ (tasks: 5 records, pieces: 6, jobs: 5)
        var dlq = fleet.kafka.read(
                topics.dlq(),
                r -> jobId.equals(r.key()) || "someone-else".equals(r.key()),
                16,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1));
        assertThat(dlq).hasSizeGreaterThanOrEqualTo(16);
        assertThat(dlq)
                .allSatisfy(r ->
                        assertThat(r.headers().lastHeader("binfleet.error")).isNotNull());
        var results =
                fleet.kafka.read(topics.results(), KafkaFixture.key(jobId), 10, Duration.ofSeconds(5), Duration.ZERO);
        JobResult lastReadable = null;
        for (var r : results) {
            try {
                lastReadable = Codec.read(r.value(), JobResult.class);
            } catch (RuntimeException e) {
                // garbage written by this test
            }
        }
        assertThat(lastReadable).isEqualTo(before);
    }
}
