package io.binfleet.worker;

import io.binfleet.broker.EmbeddedBroker;
import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers on a broker whose share groups hold at most two members ({@code group.share.max.size=2}): a worker that
 * finds the group full keeps trying with new consumers and runs pieces once a member leaves; one that stays shut out
 * past its rejoin timeout stops with an error naming the group, instead of idling for ever.
 */
class MembershipIT {
    private static EmbeddedBroker broker;
    private static KafkaFixture kafka;
    private static KafkaSettings settings;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start(0, null, Map.of("group.share.max.size", "2"));
        kafka = KafkaFixture.external(broker.bootstrapServers());
        settings = kafka.settings();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Worker worker(String id, int threads, Duration rejoinTimeout) {
        return new Worker(
                settings,
                new WorkerConfig(id, threads, Duration.ofSeconds(10)).withRejoinTimeout(rejoinTimeout),
                SpecParser.builtin());
    }

    @Test
    void aWorkerShutOutOfAFullGroup_joinsWhenAMemberLeaves_andRunsTheJob() throws Exception {
        try (Worker late = worker("late", 1, Duration.ofMinutes(5))) {
            try (Worker first = worker("first", 2, Duration.ofMinutes(5))) {
                first.start();
                assertThat(first.awaitAssigned(Duration.ofSeconds(60))).isTrue();
                late.start();
                // the group is full: the late worker cannot join, but does not give up
                assertThat(late.awaitAssigned(Duration.ofSeconds(5))).isFalse();
                assertThat(late.failure()).isEmpty();
            }
            // the first worker left: the late one builds new consumers and gets in
            assertThat(late.awaitAssigned(Duration.ofSeconds(90))).isTrue();
            String spec = "{\"name\": \"room\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                    + "{\"split\": \"replicas\", \"count\": 3}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.05}}";
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            List<PieceResult> results = kafka
                    .read(settings.topics().pieces(), KafkaFixture.key(jobId), 3, Duration.ofMinutes(2), Duration.ZERO)
                    .stream()
                    .map(r -> Codec.read(r.value(), PieceResult.class))
                    .toList();
            assertThat(results).extracting(PieceResult::worker).containsOnly("late-0");
            assertThat(results).extracting(PieceResult::piece).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(late.failure()).isEmpty();
        }
    }

    @Test
    void aWorkerShutOutPastItsRejoinTimeout_stopsWithAnErrorNamingTheGroup() throws Exception {
        try (Worker first = worker("full", 2, Duration.ofMinutes(5));
                Worker late = worker("shut", 1, Duration.ofSeconds(3))) {
            first.start();
            assertThat(first.awaitAssigned(Duration.ofSeconds(60))).isTrue();
            late.start();
            Optional<Throwable> failure = late.awaitStopped();
            assertThat(failure).get().isInstanceOf(PieceLoop.GroupJoinException.class);
            assertThat(failure.get().getMessage())
                    .contains("could not join the share group "
                            + settings.topics().workerGroup())
                    .contains("maximum capacity of 2 members");
            assertThat(first.failure()).isEmpty();
        }
    }
}
