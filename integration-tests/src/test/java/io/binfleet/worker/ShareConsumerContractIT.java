package io.binfleet.worker;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Kafka 4.4.0's share consumer allows a worker, pinned down so that a change in a new Kafka shows here first.
 * Workers hold one share-group member per thread because one member cannot feed several running pieces: in explicit
 * acknowledgement mode a poll refuses to run while a record it handed out is unacknowledged, and a record kept by
 * RENEW comes back alone on the next poll, which acquires nothing else, even with room under {@code max.poll.records}
 * and records waiting. So a member with a piece in flight can take no other piece without settling the first.
 */
class ShareConsumerContractIT {
    @Test
    void aMemberWithAPieceInFlight_cannotAcquireAnother() throws Exception {
        try (KafkaFixture kafka = KafkaFixture.shared()) {
            KafkaSettings s = kafka.settings();
            try (var p = new KafkaProducer<>(s.client(), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    p.send(new ProducerRecord<>(s.topics().tasks(), "k", "v" + i))
                            .get();
                }
            }
            var props = s.client();
            props.put(ConsumerConfig.GROUP_ID_CONFIG, s.topics().workerGroup());
            props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
            props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "3");
            try (var c = new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of(s.topics().tasks()));
                List<ConsumerRecord<String, String>> first = new ArrayList<>();
                for (int i = 0; i < 300 && first.isEmpty(); i++) {
                    c.poll(Duration.ofMillis(200)).forEach(first::add);
                }
                assertThat(first).hasSize(3);
                // two pieces finish, one runs on: the member has room for two more, and two records wait
                c.acknowledge(first.get(1), AcknowledgeType.ACCEPT);
                c.acknowledge(first.get(2), AcknowledgeType.ACCEPT);
                ConsumerRecord<String, String> running = first.get(0);
                for (int round = 0; round < 3; round++) {
                    c.acknowledge(running, AcknowledgeType.RENEW);
                    c.commitSync();
                    List<ConsumerRecord<String, String>> got = new ArrayList<>();
                    for (int i = 0; i < 100 && got.isEmpty(); i++) {
                        c.poll(Duration.ofMillis(100)).forEach(got::add);
                    }
                    // the running record comes back alone: nothing new is acquired beside it
                    assertThat(got).as("round %d", round).hasSize(1);
                    assertThat(got.get(0).offset()).isEqualTo(running.offset());
                    running = got.get(0);
                }
                // and a poll with the running record not acknowledged is refused
                assertThatThrownBy(() -> c.poll(Duration.ofMillis(100)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("must be acknowledged");
                c.acknowledge(running, AcknowledgeType.ACCEPT);
                c.commitSync();
            }
        }
    }
}
