package io.binfleet.reducer;

import io.binfleet.app.LocalFleet;
import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import io.binfleet.simulations.InProcessJob;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tasks topic of several partitions ({@code --task-partitions}): a job's pieces are dealt round all of them in its
 * one transaction, every piece runs once and the merge is exact; an existing tasks topic is grown, never shrunk. And
 * what several partitions cost: Kafka's share-group assignor gives each member its own share of them, so a worker can
 * idle while the pieces left sit on a busy worker's partitions (measured beside one partition).
 */
class TaskPartitionsIT {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private static KafkaSettings settings(int taskPartitions) {
        KafkaFixture shared = KafkaFixture.shared();
        return new KafkaSettings(
                shared.settings().bootstrap(),
                new Topics("tp" + PREFIXES.incrementAndGet() + ".", Topics.DEFAULT_DELIVERY_LIMIT, taskPartitions),
                Map.of());
    }

    private static String synthetic(String name, int pieces, double seconds, long seed) {
        return "{\"name\": \"" + name + "\", \"system\": {\"Synthetic\": {\"points\": 4}}, \"parallel\": {\"split\": "
                + "\"replicas\", \"count\": " + pieces + "}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": "
                + seconds + ", \"seed\": " + seed + "}, \"merge\": {\"method\": \"mean\"}}";
    }

    private static LocalFleet fleet(KafkaSettings settings, int workers) throws Exception {
        return LocalFleet.builder()
                .settings(settings)
                .workers(workers, 1)
                .workerId("tp")
                .stallTimeout(Duration.ofMinutes(5))
                .start();
    }

    /** Records per partition of the tasks topic. */
    private static Map<Integer, Long> tasksPerPartition(Admin admin, KafkaSettings settings) throws Exception {
        String topic = settings.topics().tasks();
        int n = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .size();
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, n)
                .boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(
                        e -> e.getKey().partition(), e -> e.getValue().offset()));
    }

    @Test
    void aJobsPieces_areSpreadOverEightTaskPartitions_andEachRunsOnce() throws Exception {
        KafkaSettings settings = settings(8);
        String spec = synthetic("spread", 16, 0.02, 21);
        try (LocalFleet fleet = fleet(settings, 2);
                Admin admin = Admin.create(settings.client())) {
            // (the fleet's warm-up put its tombstones on the first partitions as it started)
            Map<Integer, Long> before = tasksPerPartition(admin, settings);
            String jobId = fleet.submit(spec);
            JobEvent end = fleet.awaitEnd(jobId, Duration.ofMinutes(3)).orElseThrow();
            assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
            // two pieces on each partition, plus the transaction's commit marker
            assertThat(tasksPerPartition(admin, settings))
                    .hasSize(8)
                    .allSatisfy((p, end2) -> assertThat(end2 - before.get(p))
                            .as("partition %d", p)
                            .isEqualTo(3));
            JobResult result = fleet.result(jobId, Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.y())
                    .containsExactly(
                            Arrays.stream(InProcessJob.merge(spec).y()).boxed().toArray(Double[]::new));
            assertThat(result.pieces())
                    .extracting(JobResult.PieceInfo::index)
                    .containsExactlyElementsOf(IntStream.range(0, 16).boxed().toList());
        }
    }

    @Test
    void anExistingTasksTopic_isGrownToMorePartitions_neverShrunk() throws Exception {
        KafkaSettings one = settings(1);
        KafkaSettings four = new KafkaSettings(
                one.bootstrap(), new Topics(one.topics().prefix(), Topics.DEFAULT_DELIVERY_LIMIT, 4), Map.of());
        KafkaSettings two = new KafkaSettings(
                one.bootstrap(), new Topics(one.topics().prefix(), Topics.DEFAULT_DELIVERY_LIMIT, 2), Map.of());
        try (Admin admin = Admin.create(one.client())) {
            one.topics().ensure(admin);
            // a new topic's and a new partition's metadata reach the broker's cache a moment after the call returns
            await().atMost(Duration.ofSeconds(30)).until(() -> partitions(admin, one) == 1);
            four.topics().ensure(admin);
            await().atMost(Duration.ofSeconds(30)).until(() -> partitions(admin, one) == 4);
            two.topics().ensure(admin);
            assertThat(partitions(admin, one)).isEqualTo(4);
        }
    }

    /** The tasks topic's partitions; 0 while the broker does not know the topic yet. */
    private static int partitions(Admin admin, KafkaSettings settings) throws Exception {
        try {
            return admin.describeTopics(List.of(settings.topics().tasks()))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(settings.topics().tasks())
                    .partitions()
                    .size();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
    }

    /**
     * The head-of-line case of FleetIT on 1 and on 8 task partitions: a 12 s piece on one of two workers, then six
     * pieces of 0.5 s. On one partition the other worker runs all six while the long one runs; on eight, the pieces
     * dealt to the busy worker's partitions wait for it. Prints both.
     */
    @Test
    @Tag("heavy")
    void anIdleWorker_onOnePartition_neverWaitsBehindABusyOne_onEightItCan() throws Exception {
        Function<Integer, double[]> run = partitions -> {
            try (LocalFleet fleet = fleet(settings(partitions), 2)) {
                String longJob = fleet.submit(synthetic("long", 1, 12, 5));
                Thread.sleep(500);
                String shortJob = fleet.submit(synthetic("short", 6, 0.5, 6));
                JobEvent shortEnd =
                        fleet.awaitEnd(shortJob, Duration.ofMinutes(2)).orElseThrow();
                JobEvent longEnd =
                        fleet.awaitEnd(longJob, Duration.ofMinutes(2)).orElseThrow();
                assertThat(shortEnd.state()).isEqualTo(JobEvent.State.DONE);
                assertThat(longEnd.state()).isEqualTo(JobEvent.State.DONE);
                long waited = fleet.result(shortJob, Duration.ofSeconds(30)).orElseThrow().pieces().stream()
                        .filter(p -> p.worker()
                                .equals(fleet.result(longJob, Duration.ofSeconds(30))
                                        .orElseThrow()
                                        .pieces()
                                        .get(0)
                                        .worker()))
                        .count();
                double shortSeconds = (shortEnd.at() - shortEnd.submittedAt()) / 1000.0;
                double longSeconds = (longEnd.at() - longEnd.submittedAt()) / 1000.0;
                System.err.printf(
                        "task partitions %d: long job %.1f s, short job %.1f s; short pieces run by the busy worker"
                                + " after the long one: %d of 6%n",
                        partitions, longSeconds, shortSeconds, waited);
                return new double[] {longSeconds, shortSeconds, shortEnd.at() < longEnd.at() ? 1 : 0};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        double[] one = run.apply(1);
        assertThat(one[2])
                .as("on one partition the short job ends while the long piece runs")
                .isEqualTo(1);
        run.apply(8);
    }
}
