package io.binfleet.producer;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The producer on a real (embedded) broker: a job is published whole, a bad spec publishes nothing. */
class JobSubmitterIT {
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

    private static final String SPEC =
            "{\"name\": \"syn16\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": "
                    + "{\"split\": \"replicas\", \"count\": 16}, \"simulation\": {\"name\": \"synthetic\", \"seed\": 9}}";

    @Test
    void aJob_isPublishedWhole_tasksAndSubmittedEvent() {
        String jobId;
        try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            jobId = submitter.submit(SPEC.getBytes(StandardCharsets.UTF_8)).jobId();
        }
        List<ConsumerRecord<String, byte[]>> tasks = kafka.read(
                settings.topics().tasks(), KafkaFixture.key(jobId), 16, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(tasks).hasSize(16);
        List<TaskMessage> decoded = tasks.stream()
                .map(r -> Codec.read(r.value(), TaskMessage.class))
                .toList();
        assertThat(decoded)
                .extracting(TaskMessage::piece)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 16).boxed().toList());
        assertThat(decoded).allSatisfy(t -> assertThat(t.pieces()).isEqualTo(16));
        assertThat(decoded.stream().map(TaskMessage::seed).collect(Collectors.toSet()))
                .hasSize(16);

        List<JobEvent> events = kafka
                .read(
                        settings.topics().jobs(),
                        KafkaFixture.key(jobId),
                        1,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1))
                .stream()
                .map(r -> Codec.read(r.value(), JobEvent.class))
                .toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(JobEvent.State.SUBMITTED);
            assertThat(e.total()).isEqualTo(16);
            assertThat(e.spec().get("name").asText()).isEqualTo("syn16");
        });
    }

    @Test
    void theWarmUp_commitsOneTombstoneThatNoReaderTakesForAJob() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        String jobId;
        try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin());
                JobWatcher watcher = new JobWatcher(settings).start()) {
            submitter.warmUp();
            List<ConsumerRecord<String, byte[]>> warmUps = kafka.read(
                    settings.topics().jobs(),
                    KafkaFixture.key(JobSubmitter.WARM_UP_KEY),
                    1,
                    Duration.ofSeconds(30),
                    Duration.ofMillis(500));
            assertThat(warmUps)
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.value()).isNull());
            // no task: the tasks topic did not move
            Map<TopicPartition, Long> after = endOffsets();
            after.keySet().stream()
                    .filter(tp -> tp.topic().equals(settings.topics().tasks()))
                    .forEach(tp -> assertThat(after.get(tp)).isEqualTo(before.get(tp)));
            // and the submitter goes on to publish jobs
            jobId = submitter.submit(SPEC.getBytes(StandardCharsets.UTF_8)).jobId();
            assertThat(watcher.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> watcher.all().containsKey(jobId));
            assertThat(watcher.all()).doesNotContainKey(JobSubmitter.WARM_UP_KEY);
        }
    }

    @Test
    void aWatcherStartedBeforeItsTopicIsMade_followsItOnceItIs() throws Exception {
        KafkaSettings fresh = new KafkaSettings(
                settings.bootstrap(),
                new Topics("late" + System.nanoTime() + ".", Topics.DEFAULT_DELIVERY_LIMIT, 1),
                Map.of());
        try (JobWatcher watcher = new JobWatcher(fresh).start()) {
            Thread.sleep(500); // it looks for the topic's partitions and finds none
            try (Admin admin = Admin.create(fresh.client())) {
                fresh.topics().ensure(admin);
            }
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(fresh, SpecParser.builtin())) {
                jobId = submitter.submit(SPEC.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            assertThat(watcher.await(jobId, e -> true, Duration.ofSeconds(30)))
                    .as("the watcher follows the topic made after it started")
                    .isPresent();
        }
    }

    @Test
    void aBadSpec_publishesNothing() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            assertThatThrownBy(() -> submitter.submit(SPEC.replace("16}", "0}").getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(SpecException.class)
                    .hasMessage("parallel.count: must be an integer in 1..100000, got 0");
        }
        assertThat(endOffsets()).isEqualTo(before);
    }

    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(settings.client())) {
            Topics t = settings.topics();
            Map<TopicPartition, OffsetSpec> req =
                    admin.describeTopics(List.of(t.tasks(), t.jobs())).allTopicNames().get().values().stream()
                            .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            return admin.listOffsets(req).all().get().entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }
}
