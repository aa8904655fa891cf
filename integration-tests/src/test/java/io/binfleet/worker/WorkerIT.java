package io.binfleet.worker;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.metrics.MeterNames;
import io.binfleet.kafka.metrics.MetricsServer;
import io.binfleet.producer.JobSubmitter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Workers on a real (embedded) broker take every piece of a job from the share group and publish its result. */
class WorkerIT {
    /**
     * How long a test reads for records it expects: an upper bound only (a healthy machine takes seconds; a starved
     * one ran 1,500 trivial pieces at 4 a second).
     */
    private static final Duration UP_TO = Duration.ofMinutes(3);

    private static KafkaFixture kafka;
    private static KafkaSettings settings;

    @BeforeAll
    static void start() {
        kafka = KafkaFixture.shared();
        settings = kafka.settings();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void twoWorkers_runEveryPieceOfASixteenPieceJob_once() {
        String spec = "{\"name\": \"syn16\", \"system\": {\"Synthetic\": {\"points\": 4}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 16}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.3, \"seed\": 1}}";
        List<PieceResult> results;
        try (Worker a = new Worker(settings, new WorkerConfig("a", 1, Duration.ofSeconds(10)), SpecParser.builtin());
                Worker b =
                        new Worker(settings, new WorkerConfig("b", 1, Duration.ofSeconds(10)), SpecParser.builtin())) {
            a.start();
            b.start();
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            results = pieceResults(jobId, 16, Duration.ofSeconds(1));
        }
        assertThat(results)
                .extracting(PieceResult::piece)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 16).boxed().toList());
        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(PieceResult.Outcome.OK));
        assertThat(results).extracting(PieceResult::worker).contains("a-0", "b-0");
    }

    /** The piece results of job {@code jobId}: {@code expected} of them (or what came within {@link #UP_TO}), then any that
     * come within {@code quiet} more (duplicates). */
    private static List<PieceResult> pieceResults(String jobId, int expected, Duration quiet) {
        return kafka.read(settings.topics().pieces(), KafkaFixture.key(jobId), expected, UP_TO, quiet).stream()
                .map(r -> Codec.read(r.value(), PieceResult.class))
                .toList();
    }

    /** Waits until the workers' share group has no record of the tasks topic left to settle (its lag is zero). */
    private static void awaitNoTaskLeft() {
        try (Admin admin = Admin.create(settings.client())) {
            String group = settings.topics().workerGroup();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                                            .partitionsToOffsetInfo(group)
                                            .get()
                                            .entrySet())
                            .filteredOn(e ->
                                    e.getKey().topic().equals(settings.topics().tasks()))
                            .isNotEmpty()
                            .allSatisfy(e -> assertThat(e.getValue().lag()).hasValue(0L)));
        }
    }

    @Test
    void piecesTakenAheadOfTheRunningOnesEnd_runOnceEach_andNoneIsLeftBehind() throws Exception {
        // pieces that report their pace: each worker thread asks for its next piece shortly before the running one
        // ends, on a second consumer; the two take turns, and none may take a piece nobody runs
        String spec = "{\"name\": \"ahead\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 12}, \"simulation\": {\"name\": \"synthetic\", "
                + "\"seconds\": 0.4, \"spread\": 0.5}}";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String jobId;
        try (Worker w = new Worker(
                        settings,
                        new WorkerConfig("ahead", 2, Duration.ofSeconds(10)),
                        SpecParser.builtin(),
                        registry);
                JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            w.start();
            jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            List<PieceResult> results = pieceResults(jobId, 12, Duration.ofSeconds(2));
            assertThat(results)
                    .extracting(PieceResult::piece)
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.range(0, 12).boxed().toList());
            assertThat(results).extracting(PieceResult::attempts).containsOnly(1);
            assertThat(registry.get(MeterNames.PIECES_TAKEN_AHEAD).counter().count())
                    .isPositive();
            // every task record was settled: nothing sits taken in a consumer that is not looked at
            awaitNoTaskLeft();
        }
    }

    @Test
    void tasksOfAnAbortedTransaction_areNeverRun() throws Exception {
        String spec = "{\"name\": \"aborted\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 3}, \"simulation\": {\"name\": \"synthetic\"}}";
        var props = settings.client();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborting-submitter");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (var task :
                    Plan.tasks(SpecParser.builtin().parse(spec.getBytes(StandardCharsets.UTF_8)), "aborted-job")) {
                producer.send(new ProducerRecord<>(settings.topics().tasks(), "aborted-job", Codec.write(task)))
                        .get();
            }
            producer.abortTransaction();
        }
        try (Worker w = new Worker(settings, new WorkerConfig("t", 1, Duration.ofSeconds(10)), SpecParser.builtin())) {
            w.start();
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            // the real job's pieces sit behind the aborted ones on the single tasks partition
            assertThat(kafka.read(settings.topics().pieces(), KafkaFixture.key(jobId), 3, UP_TO, Duration.ZERO))
                    .hasSize(3);
        }
        assertThat(kafka.read(
                        settings.topics().pieces(),
                        KafkaFixture.key("aborted-job"),
                        1,
                        Duration.ofSeconds(2),
                        Duration.ZERO))
                .isEmpty();
    }

    @Tag("heavy")
    @Test
    void shortPiecesRunInBatches_butALongPieceDoesNotHoldUpThePiecesBehindIt() throws Exception {
        // all in the topic before any worker starts: 1,500 trivial pieces (long enough a run for both workers to take
        // batches), one piece of 4 s, then 20 trivial pieces: whichever worker's batch takes the long piece takes
        // the 20 behind it
        String trivial = "{\"name\": \"trivial\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": %d}, \"simulation\": {\"name\": \"synthetic\"}}";
        String longOne = "{\"name\": \"long\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 1}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 4}}";
        String first;
        String slow;
        String behind;
        try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            first = submitter
                    .submit(String.format(trivial, 1500).getBytes(StandardCharsets.UTF_8))
                    .jobId();
            slow = submitter.submit(longOne.getBytes(StandardCharsets.UTF_8)).jobId();
            behind = submitter
                    .submit(String.format(trivial, 20).getBytes(StandardCharsets.UTF_8))
                    .jobId();
        }
        var registry = new SimpleMeterRegistry();
        var metrics = registry;
        List<ConsumerRecord<String, byte[]>> slowResult;
        List<ConsumerRecord<String, byte[]>> behindResults;
        try (Worker a = new Worker(
                        settings, new WorkerConfig("ba", 1, Duration.ofSeconds(10)), SpecParser.builtin(), metrics);
                Worker b = new Worker(
                        settings, new WorkerConfig("bb", 1, Duration.ofSeconds(10)), SpecParser.builtin(), metrics)) {
            a.start();
            b.start();
            assertThat(kafka.read(settings.topics().pieces(), KafkaFixture.key(first), 1500, UP_TO, Duration.ZERO))
                    .hasSize(1500);
            behindResults = kafka.read(settings.topics().pieces(), KafkaFixture.key(behind), 20, UP_TO, Duration.ZERO);
            slowResult = kafka.read(settings.topics().pieces(), KafkaFixture.key(slow), 1, UP_TO, Duration.ZERO);
        }
        assertThat(behindResults).hasSize(20);
        assertThat(slowResult).hasSize(1);
        long slowDone = slowResult.get(0).timestamp();
        // the 20 ran on the other worker while the long piece ran, not after it
        assertThat(behindResults).allSatisfy(r -> assertThat(r.timestamp()).isLessThan(slowDone - 2000));
        assertThat(registry.get(MeterNames.PIECES_BATCHED).counter().count()).isGreaterThan(0);
        assertThat(registry.get(MeterNames.PIECES_RELEASED).counter().count()).isGreaterThan(0);
    }

    @Tag("heavy")
    @Test
    void workersGoingInAndOutOfBatches_leaveNoPieceLockedBehind() {
        // each round: a run of very short pieces (batches), then a piece of 30 ms (back to single pieces); a piece
        // left in a consumer that is no longer polled would sit locked for the 30 s lock timeout
        String trivial = "{\"name\": \"round\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 200}, \"simulation\": {\"name\": \"synthetic\"}}";
        String slower = "{\"name\": \"slower\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 2}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.03}}";
        try (Worker a = new Worker(settings, new WorkerConfig("ra", 1, Duration.ofSeconds(10)), SpecParser.builtin());
                Worker b =
                        new Worker(settings, new WorkerConfig("rb", 1, Duration.ofSeconds(10)), SpecParser.builtin());
                JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            a.start();
            b.start();
            for (int round = 0; round < 8; round++) {
                String fast = submitter
                        .submit(trivial.getBytes(StandardCharsets.UTF_8))
                        .jobId();
                String slow = submitter
                        .submit(slower.getBytes(StandardCharsets.UTF_8))
                        .jobId();
                assertThat(kafka.read(
                                settings.topics().pieces(),
                                KafkaFixture.key(fast),
                                200,
                                Duration.ofSeconds(15),
                                Duration.ZERO))
                        .as("round %d", round)
                        .hasSize(200);
                assertThat(kafka.read(
                                settings.topics().pieces(),
                                KafkaFixture.key(slow),
                                2,
                                Duration.ofSeconds(15),
                                Duration.ZERO))
                        .as("round %d", round)
                        .hasSize(2);
            }
        }
    }

    @Test
    void garbageOnTheTasksTopic_goesToTheDlq_andTheNextJobStillRuns() throws Exception {
        var props = settings.client();
        try (var raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(settings.topics().tasks(), "garbage", new byte[] {0, 1, 2, (byte) 0xff}))
                    .get();
        }
        String spec = "{\"name\": \"after-garbage\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 4}, \"simulation\": {\"name\": \"synthetic\"}}";
        try (Worker w = new Worker(settings, new WorkerConfig("c", 1, Duration.ofSeconds(10)), SpecParser.builtin())) {
            w.start();
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            var pieces = kafka.read(settings.topics().pieces(), KafkaFixture.key(jobId), 4, UP_TO, Duration.ZERO);
            assertThat(pieces).hasSize(4);
        }
        var dlq = kafka.read(
                settings.topics().dlq(), KafkaFixture.key("garbage"), 1, Duration.ofSeconds(10), Duration.ZERO);
        assertThat(dlq).singleElement().satisfies(r -> {
            assertThat(r.value()).containsExactly(0, 1, 2, 0xff);
            assertThat(new String(r.headers().lastHeader("binfleet.error").value(), StandardCharsets.UTF_8))
                    .startsWith("unreadable task: ");
        });
    }

    @Test
    void aFleetsWarmUpTombstones_areAcknowledged_withoutAPieceResultOrADlqRecord() throws Exception {
        String spec = "{\"name\": \"after-warm-up\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 2}, \"simulation\": {\"name\": \"synthetic\"}}";
        String jobId;
        try (Worker w = new Worker(
                        settings, new WorkerConfig("warm", 1, Duration.ofSeconds(10)), SpecParser.builtin());
                JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            w.start();
            submitter.warmUp(3);
            jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            assertThat(kafka.read(settings.topics().pieces(), KafkaFixture.key(jobId), 2, UP_TO, Duration.ZERO))
                    .hasSize(2);
            // the tombstones were taken and settled: nothing is left for the group on the tasks topic
            awaitNoTaskLeft();
            // and counted once each, after the broker recorded their acknowledgement
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(w.warmUpsAcknowledged()).isEqualTo(3));
        }
        assertThat(kafka.read(
                        settings.topics().tasks(),
                        KafkaFixture.key(JobSubmitter.WARM_UP_KEY),
                        3,
                        Duration.ofSeconds(10),
                        Duration.ZERO))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.value()).isNull());
        assertThat(kafka.read(
                        settings.topics().dlq(),
                        KafkaFixture.key(JobSubmitter.WARM_UP_KEY),
                        1,
                        Duration.ofSeconds(3),
                        Duration.ZERO))
                .as("DLQ records of the warm-up")
                .isEmpty();
        assertThat(kafka.read(
                        settings.topics().pieces(),
                        KafkaFixture.key(JobSubmitter.WARM_UP_KEY),
                        1,
                        Duration.ofSeconds(1),
                        Duration.ZERO))
                .isEmpty();
    }

    @Test
    void afterAJob_theWorkersMetricsShowPiecesDurationsJvmAndKafkaClients() throws Exception {
        String spec = "{\"name\": \"metered\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 5}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.02}}";
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "worker");
                Worker w = new Worker(
                        settings,
                        new WorkerConfig("m", 1, Duration.ofSeconds(10)),
                        SpecParser.builtin(),
                        server.registry())) {
            w.start();
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            assertThat(kafka.read(settings.topics().pieces(), KafkaFixture.key(jobId), 5, UP_TO, Duration.ZERO))
                    .hasSize(5);
            String body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(body)
                    .contains(
                            "binfleet_pieces_completed_total{outcome=\"ok\",service=\"worker\",simulation=\"synthetic\"} 5.0",
                            "binfleet_piece_duration_seconds_count{service=\"worker\",simulation=\"synthetic\"} 5",
                            "jvm_memory_used_bytes",
                            "kafka_producer_record_send_total",
                            "kafka_consumer_share");
        }
    }

    @Test
    void aProgramNotOnTheAllowList_isAClearPieceFailure() {
        String spec = "{\"name\": \"ext\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 1}, \"simulation\": {\"name\": \"external\", \"command\": [\"sh\", \"-c\", \"echo hi\"]}}";
        try (Worker w = new Worker(
                settings,
                new WorkerConfig("x", 1, Duration.ofSeconds(10), Set.of("python3"), Path.of("")),
                SpecParser.builtin())) {
            w.start();
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            List<PieceResult> results = pieceResults(jobId, 1, Duration.ofMillis(500));
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(PieceResult.Outcome.FAILED);
                assertThat(r.attempts()).isEqualTo(1);
                assertThat(r.error())
                        .isEqualTo("external program \"sh\" is not allowed here; a worker runs only the programs "
                                + "given with --allow-command");
            });
        }
    }
}
