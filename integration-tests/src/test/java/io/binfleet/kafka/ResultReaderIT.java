package io.binfleet.kafka;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobResult;
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
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading results back: the newest result of a job, whether it sits among the last records or far behind them. */
class ResultReaderIT {
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

    private static JobResult result(String jobId, String status) {
        return new JobResult(
                jobId,
                "r",
                status,
                false,
                List.of(),
                "mean",
                List.of(0.0),
                List.of(1.0),
                Map.of(),
                List.of(),
                List.of(),
                Map.of(),
                Codec.object(),
                "",
                1,
                2,
                1);
    }

    @Test
    void theNewestResultIsFound_atTheEndAndFarBehindIt() throws Exception {
        String topic = kafka.settings().topics().results();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(kafka.settings().client(), new StringSerializer(), new ByteArraySerializer())) {
            int partition = producer.send(
                            new ProducerRecord<>(topic, "old-job", Codec.write(result("old-job", "DONE"))))
                    .get()
                    .partition();
            // three tails' worth of other jobs' records after it, in its partition
            for (int i = 0; i < 3 * ResultReader.TAIL; i++) {
                producer.send(new ProducerRecord<>(
                        topic, partition, "other-" + i, ("x" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.send(new ProducerRecord<>(topic, "new-job", Codec.write(result("new-job", "FAILED"))));
            producer.send(new ProducerRecord<>(topic, "new-job", Codec.write(result("new-job", "DONE"))));
            producer.flush();
        }
        // the last records alone hold the new job's results, not the old one's
        assertThat(ResultReader.scan(kafka.settings(), topic, "new-job", ResultReader.TAIL))
                .hasSize(2);
        assertThat(ResultReader.scan(kafka.settings(), topic, "old-job", ResultReader.TAIL))
                .isEmpty();

        Optional<JobResult> newest = ResultReader.fetch(kafka.settings(), "new-job", Duration.ofSeconds(10));
        assertThat(newest).map(JobResult::status).contains("DONE");
        Optional<JobResult> old = ResultReader.fetch(kafka.settings(), "old-job", Duration.ofSeconds(10));
        assertThat(old)
                .as("found behind the tail by reading the whole topic")
                .map(JobResult::status)
                .contains("DONE");
        assertThat(ResultReader.fetch(kafka.settings(), "no-such-job", Duration.ofMillis(300)))
                .isEmpty();
    }
}
