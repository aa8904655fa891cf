package io.binfleet.broker;

import io.binfleet.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded KRaft broker is a real broker: its coordinators ready from the start, topics, produce, consume, restart
 * with its data kept.
 */
class EmbeddedBrokerIT {

    /** One test, two broker starts: a broker start is the costly part on a slow machine. */
    @Test
    void coordinatorTopicsAreThere_topicsAreCreatedIdempotently_recordsFlow_andARestartWithTheSameDataKeepsThem()
            throws Exception {
        Path data = Files.createTempDirectory("binfleet-broker-test-");
        try {
            int port;
            Topics topics = Topics.defaults();
            try (EmbeddedBroker broker = EmbeddedBroker.start(0, data);
                    Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                port = broker.port();
                // the coordinators' topics exist before any group or transaction asks for them (the start asks)
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true))
                                        .names()
                                        .get())
                                .contains("__consumer_offsets", "__transaction_state", "__share_group_state"));
                topics.ensure(admin);
                topics.ensure(admin);
                Map<String, TopicDescription> described =
                        admin.describeTopics(topics.all()).allTopicNames().get();
                assertThat(described).containsOnlyKeys(topics.all());
                assertThat(described.get(topics.tasks()).partitions()).hasSize(Topics.DEFAULT_TASK_PARTITIONS);
                assertThat(config(admin, ConfigResource.Type.TOPIC, topics.jobs(), "cleanup.policy"))
                        .isEqualTo("compact");
                assertThat(config(admin, ConfigResource.Type.GROUP, topics.workerGroup(), "share.delivery.count.limit"))
                        .isEqualTo(Integer.toString(Topics.DEFAULT_DELIVERY_LIMIT));

                produce(broker, topics.dlq(), 100);
                assertThat(consumeAll(broker, topics.dlq(), 100)).hasSize(100);
            }
            try (EmbeddedBroker again = EmbeddedBroker.start(port, data)) {
                assertThat(consumeAll(again, topics.dlq(), 100)).hasSize(100);
            }
        } finally {
            try (var walk = Files.walk(data)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String config(Admin admin, ConfigResource.Type type, String name, String key) throws Exception {
        return admin.describeConfigs(List.of(new ConfigResource(type, name)))
                .all()
                .get()
                .values()
                .iterator()
                .next()
                .get(key)
                .value();
    }

    private static void produce(EmbeddedBroker broker, String topic, int n) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
            }
        }
    }

    static List<ConsumerRecord<String, String>> consumeAll(EmbeddedBroker broker, String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("group.id", "test-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
