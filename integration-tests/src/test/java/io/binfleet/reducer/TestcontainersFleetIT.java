package io.binfleet.reducer;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 16-piece job of {@link FleetIT} on a real Apache Kafka broker in Docker (the apache/kafka image). Skipped,
 * and reported as skipped, where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersFleetIT {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0")
            .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");

    @Test
    void sixteenPieceJob_completes_onAKafkaContainer() throws Exception {
        try (Fleet fleet = new Fleet(KafkaFixture.external(KAFKA.getBootstrapServers()), 2, null)) {
            String spec =
                    "{\"name\": \"tc16\", \"system\": {\"Synthetic\": {\"points\": 6}}, \"parallel\": {\"split\": \"replicas\","
                            + " \"count\": 16}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.05, \"seed\": 11}, \"merge\": {\"method\": \"mean\"}}";
            String jobId = fleet.submit(spec);
            assertThat(fleet.awaitEnd(jobId, Duration.ofSeconds(120)).state()).isEqualTo(JobEvent.State.DONE);
            JobResult result = fleet.result(jobId);
            assertThat(result.pieces()).hasSize(16);
            assertThat(result.y()).hasSize(6);
        }
    }
}
