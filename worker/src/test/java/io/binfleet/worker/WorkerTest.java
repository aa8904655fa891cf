package io.binfleet.worker;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.CodeRef;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.DeadLetter;
import io.binfleet.kafka.Topics;
import io.binfleet.kafka.metrics.MeterNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker's parts together on a fake share group and a mock producer: no broker. */
class WorkerTest {
    private static final SpecParser PARSER = SpecParser.builtin();
    private final FakeShareConsumer.Group group = new FakeShareConsumer.Group();
    /** While set, the producer's first flush (a first piece's result write) waits for it. */
    private volatile CountDownLatch holdFirstFlush;
    /** The held flush has begun waiting. */
    private final CountDownLatch flushHeld = new CountDownLatch(1);

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
                @Override
                public void flush() {
                    CountDownLatch hold = holdFirstFlush;
                    if (hold != null && flushHeld.getCount() > 0) {
                        flushHeld.countDown();
                        try {
                            hold.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    super.flush();
                }
            };
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Worker worker;

    /**
     * Batch thresholds wide enough that a loaded machine (where a piece of no work can take milliseconds) still sees a
     * streak of very short pieces, and a piece of 2 s is still long.
     */
    private static final BatchPolicy.Thresholds LOADED =
            new BatchPolicy.Thresholds(Duration.ofMillis(300), 8, Duration.ofSeconds(1), Duration.ofSeconds(60));

    private Worker start(int threads, Duration renewEvery) {
        return start(threads, renewEvery, BatchPolicy.Thresholds.DEFAULT);
    }

    private Worker start(int threads, Duration renewEvery, BatchPolicy.Thresholds thresholds) {
        return start(new WorkerConfig("w", threads, renewEvery), thresholds);
    }

    private Worker start(WorkerConfig config, BatchPolicy.Thresholds thresholds) {
        group.sentBefore = () -> results().size();
        worker = new Worker(new Clients(), config, PARSER, new WorkerMetrics(registry), thresholds);
        worker.start();
        return worker;
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private void addJob(String jobId, String simulation, int pieces) {
        String spec =
                "{\"name\": \"t\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": {\"split\": \"replicas\", "
                        + "\"count\": " + pieces + "}, \"simulation\": " + simulation + "}";
        for (TaskMessage t : Plan.tasks(PARSER.parse(spec.getBytes(StandardCharsets.UTF_8)), jobId)) {
            group.add(jobId, Codec.write(t));
        }
    }

    private List<PieceResult> results() {
        synchronized (producer) {
            return producer.history().stream()
                    .filter(r -> r.topic().equals(Topics.defaults().pieces()))
                    .map(r -> Codec.read(r.value(), PieceResult.class))
                    .toList();
        }
    }

    private List<ProducerRecord<String, byte[]>> deadLetters() {
        return producer.history().stream()
                .filter(r -> r.topic().equals(Topics.defaults().dlq()))
                .toList();
    }

    /** Waits for {@code records} records to be accepted or rejected (a bound for a broken worker, not a speed test). */
    private void awaitEnded(int records) {
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            synchronized (group) {
                return group.finalAcks.size() >= records;
            }
        });
    }

    @Test
    void everyPiece_isAcceptedOnce_andOnlyAfterItsResultWasSent() {
        addJob("j", "{\"name\": \"synthetic\", \"seconds\": 0.01, \"seed\": 3}", 6);
        start(2, Duration.ofSeconds(10));
        awaitEnded(6);
        assertThat(group.finalAcks.values())
                .containsOnly(AcknowledgeType.ACCEPT)
                .hasSize(6);
        List<FakeShareConsumer.Ack> accepts = group.acks(AcknowledgeType.ACCEPT);
        for (int i = 0; i < accepts.size(); i++) {
            // when the i-th ACCEPT was given, at least i + 1 results had been written
            assertThat(accepts.get(i).sentBefore())
                    .as("results written before ACCEPT #%d", i + 1)
                    .isGreaterThanOrEqualTo(i + 1);
        }
        assertThat(results()).extracting(PieceResult::piece).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(results()).extracting(PieceResult::worker).containsAnyOf("w-0", "w-1");
    }

    /** Runs one piece of {@code simulation} on a worker of one thread until it ends; the acknowledgements given. */
    private List<AcknowledgeType> runOnePiece(String jobId, String simulation) {
        addJob(jobId, simulation, 1);
        start(1, Duration.ofSeconds(10));
        awaitEnded(1);
        return group.acks.stream().map(FakeShareConsumer.Ack::type).toList();
    }

    @Test
    void aRetryableFailure_isReleased_forItsRetries_thenRejectedWithAFailureAndADeadLetter() {
        // simulation.retries defaults to 2: three runs in all
        assertThat(runOnePiece("j", "{\"name\": \"synthetic\", \"fail\": 1}"))
                .containsExactly(AcknowledgeType.RELEASE, AcknowledgeType.RELEASE, AcknowledgeType.REJECT);
        assertThat(results()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(PieceResult.Outcome.FAILED);
            assertThat(r.error()).startsWith("failed 3 times, last: SyntheticFailure: synthetic failure of piece 0");
            assertThat(r.attempts()).isEqualTo(3);
        });
        assertThat(deadLetters()).singleElement().satisfies(r -> {
            assertThat(new String(
                            r.headers().lastHeader(DeadLetter.ERROR_HEADER).value(), StandardCharsets.UTF_8))
                    .startsWith("piece 0 failed: failed 3 times");
            assertThat(new String(
                            r.headers().lastHeader(DeadLetter.SOURCE_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo("worker");
        });
    }

    @Test
    void noRetries_rejectsAtTheFirstFailure() {
        assertThat(runOnePiece("none", "{\"name\": \"synthetic\", \"fail\": 1, \"retries\": 0}"))
                .containsExactly(AcknowledgeType.REJECT);
        assertThat(results())
                .singleElement()
                .satisfies(r -> assertThat(r.error()).startsWith("failed once, last: SyntheticFailure"));
    }

    @Test
    void moreRetriesThanTheDeliveryLimitAllows_endAtTheLimit() {
        // the group's delivery limit (5 here) ends it first
        assertThat(runOnePiece("many", "{\"name\": \"synthetic\", \"fail\": 1, \"retries\": 9}"))
                .containsExactly(
                        AcknowledgeType.RELEASE,
                        AcknowledgeType.RELEASE,
                        AcknowledgeType.RELEASE,
                        AcknowledgeType.RELEASE,
                        AcknowledgeType.REJECT);
    }

    @Test
    void aPieceThatCanNeverSucceed_isRejectedAtOnce() {
        // an external program this worker is not allowed to start
        String spec =
                "{\"name\": \"t\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": {\"split\": \"replicas\", "
                        + "\"count\": 1}, \"simulation\": {\"name\": \"external\", \"command\": [\"rm\", \"-rf\", \"/\"]}}";
        for (TaskMessage t : Plan.tasks(PARSER.parse(spec.getBytes(StandardCharsets.UTF_8)), "j")) {
            group.add("j", Codec.write(t));
        }
        start(1, Duration.ofSeconds(10));
        awaitEnded(1);
        assertThat(group.acks.stream().map(FakeShareConsumer.Ack::type).toList())
                .containsExactly(AcknowledgeType.REJECT);
        assertThat(results()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(PieceResult.Outcome.FAILED);
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.error()).contains("rm").contains("--allow-command");
        });
        assertThat(deadLetters()).hasSize(1);
    }

    @Test
    void aJobThatShipsItsCode_isRefusedForGood_byAWorkerNotAllowedToRunIt() {
        String spec =
                "{\"name\": \"t\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": {\"split\": \"replicas\", "
                        + "\"count\": 1}, \"simulation\": {\"name\": \"synthetic\"}}";
        for (TaskMessage t : Plan.tasks(PARSER.parse(spec.getBytes(StandardCharsets.UTF_8)), "j")) {
            group.add("j", Codec.write(t.withCode(new CodeRef("c0de".repeat(16), 0, 0))));
        }
        start(1, Duration.ofSeconds(10));
        awaitEnded(1);
        assertThat(group.acks.stream().map(FakeShareConsumer.Ack::type).toList())
                .containsExactly(AcknowledgeType.REJECT);
        assertThat(results())
                .singleElement()
                .satisfies(r -> assertThat(r.error())
                        .isEqualTo(
                                "this job ships its code with it (its folder, bundle c0dec0dec0de), and this worker runs"
                                        + " such code only when started with --allow-job-code"));
    }

    @Test
    void anUnreadableTask_goesToTheDeadLetters_andTheWorkerGoesOn() {
        group.add("j", "not json".getBytes(StandardCharsets.UTF_8));
        addJob("k", "{\"name\": \"synthetic\", \"seed\": 1}", 1);
        start(1, Duration.ofSeconds(10));
        awaitEnded(2);
        assertThat(group.finalAcks).containsEntry(0L, AcknowledgeType.REJECT).containsEntry(1L, AcknowledgeType.ACCEPT);
        assertThat(deadLetters())
                .singleElement()
                .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .isEqualTo("not json"));
    }

    @Test
    void aPieceOfAnEndedJob_isSkipped_withoutAResult() {
        ended.add("gone");
        addJob("gone", "{\"name\": \"synthetic\", \"seed\": 1}", 2);
        start(1, Duration.ofSeconds(10));
        awaitEnded(2);
        assertThat(group.finalAcks.values()).containsOnly(AcknowledgeType.ACCEPT);
        assertThat(results()).isEmpty();
        assertThat(registry.get(MeterNames.PIECES_COMPLETED)
                        .tag("outcome", "skipped")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void aLongPiece_hasItsLockRenewed_atTheConfiguredCadence() {
        addJob(
                "warm-up",
                "{\"name\": \"synthetic\", \"seed\": 1}",
                1); // class loading happens here, not in the long piece
        // 6 s: the worker thread renews when its 100 ms wait for the piece times out, and on a starved VM one such
        // wait was seen to return only after the 1.5 s piece this test had before had ended (no renewal due then)
        addJob("j", "{\"name\": \"synthetic\", \"seconds\": 6, \"spread\": 0, \"seed\": 1}", 1);
        start(1, Duration.ofMillis(100));
        awaitEnded(2);
        List<FakeShareConsumer.Ack> renewals = group.acks(AcknowledgeType.RENEW);
        // 6 s of work renewed every 100 ms (plus the time each renewal takes to come back): renewed, never more
        // often than the cadence (a loaded machine only makes the gaps longer)
        assertThat(renewals)
                .as("acks %s", group.acks)
                .hasSizeBetween(1, 60)
                .allSatisfy(r -> assertThat(r.offset()).isEqualTo(1L));
        for (int i = 1; i < renewals.size(); i++) {
            assertThat(renewals.get(i).at() - renewals.get(i - 1).at()).isGreaterThanOrEqualTo(95);
        }
        // the ACCEPT went to the record as handed back after the last renewal (the fake refuses any other)
        assertThat(group.finalAcks).containsEntry(1L, AcknowledgeType.ACCEPT);
        assertThat(group.deliveries).containsEntry(1L, (short) 1);
    }

    @Test
    void aPieceThatReportsItsPace_hasTheNextTakenShortlyBeforeItEnds_andEachRunsOnce() {
        addJob("paced", "{\"name\": \"synthetic\", \"seconds\": 0.6, \"spread\": 0, \"seed\": 1}", 4);
        start(1, Duration.ofSeconds(10));
        awaitEnded(4);
        assertThat(group.finalAcks.values())
                .containsOnly(AcknowledgeType.ACCEPT)
                .hasSize(4);
        assertThat(group.deliveries.values()).as("deliveries").containsOnly((short) 1);
        assertThat(results()).extracting(PieceResult::attempts).containsOnly(1);
        Map<Long, Long> acquired = group.acquiredAt;
        Map<Long, Long> accepted = group.acks(AcknowledgeType.ACCEPT).stream()
                .collect(Collectors.toMap(FakeShareConsumer.Ack::offset, FakeShareConsumer.Ack::at));
        for (long offset = 1; offset < 4; offset++) {
            // taken while the piece before it still ran (its ACCEPT comes after its result), but not before it had
            // run half its time: a piece is taken ahead shortly before the running one ends, never at its start
            assertThat(acquired.get(offset))
                    .as("piece %d taken, against piece %d's acquisition and acceptance", offset, offset - 1)
                    .isLessThan(accepted.get(offset - 1))
                    .isGreaterThan(acquired.get(offset - 1) + 300);
        }
        assertThat(group.acks(AcknowledgeType.RELEASE)).isEmpty();
    }

    @Test
    void aPieceTakenAhead_startsBeforeTheRunningOnesWriteIsConfirmed_whichIsAcceptedOnlyAfterIt() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        holdFirstFlush = hold;
        addJob("held", "{\"name\": \"synthetic\", \"seconds\": 0.8, \"spread\": 0, \"seed\": 1}", 2);
        start(1, Duration.ofSeconds(10));
        // the first piece's result write does not complete: the piece taken ahead runs meanwhile
        assertThat(flushHeld.await(60, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(400);
        long releasedAt = System.currentTimeMillis();
        long releasedMs = System.nanoTime() / 1_000_000;
        hold.countDown();
        awaitEnded(2);
        assertThat(group.finalAcks.values())
                .containsOnly(AcknowledgeType.ACCEPT)
                .hasSize(2);
        assertThat(group.acks(AcknowledgeType.ACCEPT))
                .filteredOn(a -> a.offset() == 0)
                .singleElement()
                .satisfies(
                        a -> assertThat(a.at()).as("the first piece's ACCEPT").isGreaterThanOrEqualTo(releasedMs));
        assertThat(results()).filteredOn(r -> r.piece() == 1).singleElement().satisfies(r -> {
            long started = r.completedAt() - Math.round(r.seconds() * 1000);
            assertThat(started)
                    .as("the second piece started before the first one's write was confirmed")
                    .isLessThan(releasedAt - 200);
        });
    }

    @Test
    void aPieceWhoseFirstPaceIsTooSlow_stillHasTheNextTakenShortlyBeforeItEnds() {
        // its first pace says a second, its second 0.6 s, and it ends at 0.65 s: trusting the first pace all the way,
        // the thread would look again only after the piece had ended
        addJob("slow", "{\"name\": \"slow-start\"}", 1);
        addJob("next", "{\"name\": \"synthetic\", \"seconds\": 0.01, \"seed\": 1}", 1);
        start(1, Duration.ofSeconds(10));
        awaitEnded(2);
        assertThat(group.finalAcks).containsEntry(0L, AcknowledgeType.ACCEPT).containsEntry(1L, AcknowledgeType.ACCEPT);
        long accepted = group.acks(AcknowledgeType.ACCEPT).stream()
                .filter(a -> a.offset() == 0L)
                .findFirst()
                .orElseThrow()
                .at();
        assertThat(group.acquiredAt.get(1L))
                .as("the next piece taken while the slow-start one ran, near its end")
                .isLessThan(accepted)
                .isGreaterThan(group.acquiredAt.get(0L) + 300);
        assertThat(group.acks(AcknowledgeType.RELEASE)).isEmpty();
    }

    @Test
    void aPieceTakenAhead_goesBackToTheGroup_whenTheRunningPieceOutlivesItsPace() {
        // the first piece says it is 90 % done after 0.1 s and runs 3 s; the second is taken ahead, then given back
        addJob("misled", "{\"name\": \"misleading-pace\", \"seconds\": 3}", 1);
        addJob("next", "{\"name\": \"synthetic\", \"seconds\": 0.01, \"seed\": 1}", 1);
        start(1, Duration.ofSeconds(10));
        awaitEnded(2);
        assertThat(group.finalAcks).containsEntry(0L, AcknowledgeType.ACCEPT).containsEntry(1L, AcknowledgeType.ACCEPT);
        List<FakeShareConsumer.Ack> released = group.acks(AcknowledgeType.RELEASE);
        assertThat(released).as("acks %s", group.acks).singleElement().satisfies(r -> {
            assertThat(r.offset()).isEqualTo(1L);
            // given back while the misleading piece still ran, long before its end
            assertThat(r.at())
                    .isLessThan(group.acks(AcknowledgeType.ACCEPT).get(0).at() - 1_000);
        });
        assertThat(registry.get(MeterNames.PIECES_RELEASED).counter().count()).isEqualTo(1);
        assertThat(group.deliveries).containsEntry(1L, (short) 2);
    }

    @Test
    void runsOfVeryShortPieces_areTakenInBatches_andALongPieceReleasesThoseBehindIt() {
        // enough short pieces that a streak is reached after the cold start's slow first pieces
        int before = 4 * LOADED.shortStreak();
        addJob("short", "{\"name\": \"synthetic\", \"seconds\": 0, \"seed\": 1}", before);
        addJob("long", "{\"name\": \"synthetic\", \"seconds\": 2, \"spread\": 0, \"seed\": 1}", 1);
        addJob("after", "{\"name\": \"synthetic\", \"seconds\": 0, \"seed\": 1}", 20);
        int total = before + 1 + 20;
        start(1, Duration.ofSeconds(10), LOADED);
        awaitEnded(total);
        assertThat(group.finalAcks).hasSize(total);
        assertThat(group.finalAcks.values()).containsOnly(AcknowledgeType.ACCEPT);
        Set<String> batchClients = group.acks.stream()
                .map(FakeShareConsumer.Ack::clientId)
                .filter(c -> c.endsWith("-batch"))
                .collect(Collectors.toSet());
        assertThat(batchClients).as("acks %s", group.acks).isNotEmpty();
        // the pieces behind the long one went back to the group unstarted, and each ran once afterwards
        assertThat(group.acks(AcknowledgeType.RELEASE)).isNotEmpty();
        assertThat(registry.get(MeterNames.PIECES_RELEASED).counter().count())
                .isEqualTo(group.acks(AcknowledgeType.RELEASE).size());
        assertThat(registry.get(MeterNames.PIECES_BATCHED).counter().count()).isPositive();
        assertThat(results()).hasSize(total);
        // leaving batches closed the batch consumer it had used (giving back anything it held)
        assertThat(group.consumers)
                .filteredOn(c -> c.clientId().endsWith("-batch"))
                .filteredOn(FakeShareConsumer::closed)
                .isNotEmpty();
    }

    @Test
    void aFatalErrorInAThread_stopsTheWholeWorker_andSaysWhy() throws Exception {
        addJob("j", "{\"name\": \"synthetic\", \"seconds\": 0.3, \"spread\": 0, \"seed\": 1}", 1);
        start(2, Duration.ofSeconds(10));
        awaitStarted();
        synchronized (group) {
            group.failPolls = new AuthorizationException("not allowed to read binfleet.tasks");
        }
        Optional<Throwable> failure = worker.awaitStopped();
        assertThat(failure).get().isInstanceOf(AuthorizationException.class);
        assertThat(worker.awaitThreads(Duration.ofSeconds(10))).isTrue();
        synchronized (group) {
            assertThat(group.consumers)
                    .allSatisfy(c -> assertThat(c.closed()).as(c.clientId()).isTrue());
        }
    }

    @Test
    void aFullShareGroup_rebuildsTheConsumers_andRunsPiecesOnceThereIsRoom() throws Exception {
        synchronized (group) {
            group.failPolls = new GroupMaxSizeReachedException("The share group has reached its maximum capacity");
        }
        addJob("j", "{\"name\": \"synthetic\", \"seconds\": 0.01, \"seed\": 3}", 3);
        start(1, Duration.ofSeconds(10));
        awaitStarted(2);
        // the failed consumers are closed and new ones made after a pause
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (group) {
                return group.consumers.size() >= 4 && group.consumers.get(0).closed();
            }
        });
        synchronized (group) {
            group.failPolls = null; // a member left: there is room
        }
        awaitEnded(3);
        assertThat(group.finalAcks.values()).containsOnly(AcknowledgeType.ACCEPT);
        assertThat(worker.failure()).isEmpty();
    }

    @Test
    void aShareGroupThatStaysFull_stopsTheWorkerAfterTheRejoinTimeout() throws Exception {
        synchronized (group) {
            group.failPolls = new GroupMaxSizeReachedException("The share group has reached its maximum capacity");
        }
        start(
                new WorkerConfig("w", 1, Duration.ofSeconds(10)).withRejoinTimeout(Duration.ofSeconds(2)),
                BatchPolicy.Thresholds.DEFAULT);
        Optional<Throwable> failure = worker.awaitStopped();
        assertThat(failure).get().isInstanceOf(PieceLoop.GroupJoinException.class);
        assertThat(failure.get().getMessage())
                .contains("could not join the share group binfleet-workers")
                .contains("maximum capacity");
        assertThat(worker.awaitThreads(Duration.ofSeconds(10))).isTrue();
        synchronized (group) {
            assertThat(group.consumers)
                    .allSatisfy(c -> assertThat(c.closed()).as(c.clientId()).isTrue());
        }
    }

    @Test
    void aFullGroupWithNoRoomForTheBatchConsumer_runsEveryPieceOneAtATime() throws Exception {
        synchronized (group) {
            group.failPolls = new GroupMaxSizeReachedException("The share group has reached its maximum capacity");
            group.failing = id -> id.endsWith("-batch");
        }
        addJob("j", "{\"name\": \"synthetic\", \"seconds\": 0, \"seed\": 3}", 40);
        start(1, Duration.ofSeconds(10), LOADED);
        awaitEnded(40);
        assertThat(group.finalAcks.values())
                .containsOnly(AcknowledgeType.ACCEPT)
                .hasSize(40);
        assertThat(registry.find(MeterNames.PIECES_BATCHED).counters())
                .allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(worker.failure()).isEmpty();
        synchronized (group) {
            // the single-piece consumer was never rebuilt: the thread stayed a member
            assertThat(group.consumers)
                    .filteredOn(c -> c.clientId().equals("w-0"))
                    .hasSize(1);
        }
    }

    private void awaitStarted(int consumers) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (group) {
                return group.consumers.size() >= consumers;
            }
        });
    }

    private void awaitStarted() {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (group) {
                return group.consumers.size() >= 4;
            }
        });
    }

    /** The checkpoints a fake store holds, by key. */
    private final java.util.Map<String, byte[]> checkpoints = new ConcurrentHashMap<>();

    private static final String WL_PIECE = "{\"name\": \"t\", \"system\": {\"Ising2D\": {\"L\": 8}}, "
            + "\"parallel\": {\"split\": \"replicas\", \"count\": 1}, "
            + "\"simulation\": {\"name\": \"wang-landau\", \"lnfFinal\": 1e-4, \"seed\": 3}, "
            + "\"merge\": {\"method\": \"mean\"}}";

    /** Runs the one piece of WL_PIECE in this thread, keeping the state it saves half-way. */
    private static io.binfleet.core.message.Checkpoint halfWay(String jobId) throws Exception {
        var spec = PARSER.parse(WL_PIECE);
        TaskMessage t = Plan.tasks(spec, jobId).get(0);
        var task = t.withAttempt(1, t.seed()).toJson();
        List<com.fasterxml.jackson.databind.JsonNode> saved = new java.util.ArrayList<>();
        int[] asked = {0};
        spec.simulation()
                .run(
                        new io.binfleet.core.spi.PieceContext() {
                            @Override
                            public com.fasterxml.jackson.databind.node.ObjectNode task() {
                                return task;
                            }

                            @Override
                            public boolean checkpointDue() {
                                return ++asked[0] % 3 == 0;
                            }

                            @Override
                            public void checkpoint(com.fasterxml.jackson.databind.JsonNode state) {
                                saved.add(state);
                            }
                        },
                        io.binfleet.core.seed.Seeds.generator(t.seed()));
        return new io.binfleet.core.message.Checkpoint(
                io.binfleet.core.message.Schema.VERSION,
                jobId,
                0,
                t.seed(),
                4.5,
                0.5,
                "dead-0",
                saved.get(saved.size() / 2),
                1L);
    }

    /** The y of WL_PIECE's piece run from zero with its seed. */
    private static double[] fromZero(String jobId) throws Exception {
        var spec = PARSER.parse(WL_PIECE);
        TaskMessage t = Plan.tasks(spec, jobId).get(0);
        return spec.simulation()
                .run(
                        io.binfleet.core.spi.PieceContext.of(
                                t.withAttempt(1, t.seed()).toJson()),
                        io.binfleet.core.seed.Seeds.generator(t.seed()))
                .y();
    }

    private void deliverAgain(String jobId) {
        for (TaskMessage t : Plan.tasks(PARSER.parse(WL_PIECE), jobId)) {
            group.addDelivered(jobId, Codec.write(t), 1);
        }
    }

    @Test
    void aPieceDeliveredAgain_resumesFromItsCheckpoint_andRemovesItOnceItsResultIsSent() throws Exception {
        io.binfleet.core.message.Checkpoint saved = halfWay("res");
        checkpoints.put("res/0", Codec.write(saved));
        deliverAgain("res");
        start(1, Duration.ofSeconds(30));
        awaitEnded(1);
        double[] through = fromZero("x");
        assertThat(results()).singleElement().satisfies(r -> {
            assertThat(r.attempts()).isEqualTo(2);
            assertThat(r.resumed()).isEqualTo(new PieceResult.Resumed(4.5, 0.5));
            assertThat(r.seconds()).isGreaterThan(4.5);
            assertThat(r.y()).containsExactly(through);
        });
        assertThat(checkpoints).doesNotContainKey("res/0");
        assertThat(registry.get(MeterNames.CHECKPOINTS_RESTORED).counter().count())
                .isEqualTo(1);
    }

    @Test
    void aCheckpointTheSimulationCannotUse_isCounted_andThePieceStartsFromZero() throws Exception {
        io.binfleet.core.message.Checkpoint saved = halfWay("inc");
        var foreign = new io.binfleet.core.message.Checkpoint(
                saved.v(),
                "inc",
                0,
                saved.seed(),
                4.5,
                0.5,
                "dead-0",
                Codec.object().put("kind", "metropolis").put("v", 1),
                1L);
        checkpoints.put("inc/0", Codec.write(foreign));
        deliverAgain("inc");
        start(1, Duration.ofSeconds(30));
        awaitEnded(1);
        double[] through = fromZero("x");
        assertThat(results()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(PieceResult.Outcome.OK);
            assertThat(r.resumed()).isNull();
            assertThat(r.y()).containsExactly(through);
        });
        assertThat(registry.get(MeterNames.CHECKPOINTS_DISCARDED)
                        .tag("reason", "incompatible")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    /** The fake group, the mock producer and the ended jobs as a worker's clients. */
    private final class Clients implements WorkerClients {
        @Override
        public Topics topics() {
            return Topics.defaults();
        }

        @Override
        public ShareConsumers shareConsumers() {
            return group::consumer;
        }

        @Override
        public Producer<String, byte[]> producer() {
            return producer;
        }

        @Override
        public JobStatus jobs() {
            return ended::contains;
        }

        @Override
        public CheckpointStore checkpoints() {
            return new CheckpointStore() {
                @Override
                public java.util.concurrent.Future<?> save(String key, byte[] value) {
                    checkpoints.put(key, value);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }

                @Override
                public byte[] load(String key) {
                    return checkpoints.get(key);
                }

                @Override
                public void remove(String key) {
                    checkpoints.remove(key);
                }
            };
        }

        @Override
        public void close() {}
    }
}
