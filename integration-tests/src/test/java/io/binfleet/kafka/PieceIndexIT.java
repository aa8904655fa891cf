package io.binfleet.kafka;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spi.PieceOutput;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The warm fleet's index of the pieces topic: a job's pieces read from its first one are all of them, whether the index
 * saw the job, has not read that far yet, or the job's pieces are still coming.
 */
class PieceIndexIT {
    private static KafkaFixture kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaFixture.shared();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, String jobId, int from, int to) {
        String topic = kafka.settings().topics().pieces();
        for (int i = from; i < to; i++) {
            PieceResult p = PieceResult.ok(
                    jobId, i, 10, i, "w", 0.1, 1, new PieceOutput(new double[] {i}, new double[] {i}), 1L);
            producer.send(new ProducerRecord<>(topic, jobId, Codec.write(p)));
            // other jobs' records between this job's, and one unreadable under its key
            producer.send(new ProducerRecord<>(topic, "other-" + UUID.randomUUID(), Codec.write(p)));
        }
        producer.send(new ProducerRecord<>(topic, jobId, "not json".getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }

    private static List<Integer> indices(List<PieceResult> pieces) {
        return pieces.stream().map(PieceResult::piece).sorted().toList();
    }

    @Test
    void aJobsPiecesAreAllFound_seenByTheIndexOrNot() {
        String early = "early-" + UUID.randomUUID();
        String late = "late-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        kafka.settings().client(), new StringSerializer(), new ByteArraySerializer());
                PieceIndex index = new PieceIndex(kafka.settings())) {
            publish(producer, early, 0, 4);
            // asked before the index follows anything: read from where it has read, the start
            assertThat(indices(index.pieces(early))).containsExactly(0, 1, 2, 3);
            index.start();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(index.firstOffsets(early)).isNotNull());
            publish(producer, early, 4, 6);
            publish(producer, late, 0, 3);
            // the late job may or may not be indexed yet: either way all of its pieces, and all of the early one's
            assertThat(indices(index.pieces(late))).containsExactly(0, 1, 2);
            assertThat(indices(index.pieces(early))).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(index.pieces("no-such-job")).isEmpty();
            // the same as reading the whole topic
            assertThat(indices(index.pieces(early))).isEqualTo(indices(ResultReader.pieces(kafka.settings(), early)));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(index.firstOffsets(late)).isNotNull());
            assertThat(indices(index.pieces(late))).containsExactly(0, 1, 2);
        }
    }
}
