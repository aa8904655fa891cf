package io.binfleet.producer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.EmbeddedBroker;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The producer on a real (embedded) broker: a job is published whole, a bad spec publishes nothing. */
class JobSubmitterIT {
    private static EmbeddedBroker broker;
    private static KafkaSettings settings;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start();
        settings = KafkaSettings.of(broker.bootstrapServers());
        try (Admin admin = Admin.create(settings.client())) {
            settings.topics().ensure(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static final String SPEC = "{\"name\": \"syn16\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": "
            + "{\"split\": \"replicas\", \"count\": 16}, \"simulation\": {\"name\": \"synthetic\", \"seed\": 9}}";

    @Test
    void aJob_isPublishedWhole_tasksAndSubmittedEvent() {
        String jobId;
        try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            jobId = submitter.submit(SPEC.getBytes(StandardCharsets.UTF_8)).jobId();
        }
        List<ConsumerRecord<String, byte[]>> tasks = readCommitted(settings.topics().tasks()).stream()
                .filter(r -> r.key().equals(jobId)).toList();
        assertThat(tasks).hasSize(16);
        List<TaskMessage> decoded = tasks.stream().map(r -> Codec.read(r.value(), TaskMessage.class)).toList();
        assertThat(decoded).extracting(TaskMessage::piece).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 16).boxed().toList());
        assertThat(decoded).allSatisfy(t -> assertThat(t.pieces()).isEqualTo(16));
        assertThat(decoded.stream().map(TaskMessage::seed).collect(Collectors.toSet())).hasSize(16);

        List<JobEvent> events = readCommitted(settings.topics().jobs()).stream().filter(r -> r.key().equals(jobId))
                .map(r -> Codec.read(r.value(), JobEvent.class)).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(JobEvent.State.SUBMITTED);
            assertThat(e.total()).isEqualTo(16);
            assertThat(e.spec().get("name").asText()).isEqualTo("syn16");
        });
    }

    @Test
    void aBadSpec_publishesNothing() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
            assertThatThrownBy(() -> submitter.submit(SPEC.replace("16}", "0}").getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(SpecException.class).hasMessage("parallel.count: must be an integer in 1..100000, got 0");
        }
        assertThat(endOffsets()).isEqualTo(before);
    }

    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(settings.client())) {
            Topics t = settings.topics();
            Map<TopicPartition, OffsetSpec> req = admin.describeTopics(List.of(t.tasks(), t.jobs())).allTopicNames().get()
                    .values().stream().flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            return admin.listOffsets(req).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readCommitted(String topic) {
        Properties p = settings.client();
        p.put("group.id", "check-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && (out.isEmpty() || empty < 5)) {
                var records = c.poll(Duration.ofMillis(200));
                records.forEach(out::add);
                empty = records.isEmpty() ? empty + 1 : 0;
            }
        }
        return out;
    }
}
