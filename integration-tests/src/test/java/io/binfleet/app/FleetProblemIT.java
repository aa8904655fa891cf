package io.binfleet.app;

import io.binfleet.broker.KafkaFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A fleet whose reducer stops for good says so, instead of leaving whoever follows a job waiting forever: what
 * {@code binfleet run} and {@code binfleet reducer} rely on to end with a reason.
 */
class FleetProblemIT {
    @Test
    void aReducerThatCannotGoOn_isReportedAsTheFleetsProblem() throws Exception {
        try (KafkaFixture kafka = KafkaFixture.shared();
                LocalFleet fleet = LocalFleet.builder()
                        .settings(kafka.settings())
                        .workers(1, 1)
                        .workerId("problem")
                        .start()) {
            await().atMost(Duration.ofMinutes(3)).until(() -> fleet.reducer().state() == KafkaStreams.State.RUNNING);
            assertThat(fleet.problem()).isEmpty();

            // the reducer's input topic disappears: no stream thread can run its tasks any more, however often
            // it is replaced
            try (Admin admin = Admin.create(kafka.settings().client())) {
                admin.deleteTopics(List.of(kafka.settings().topics().pieces()))
                        .all()
                        .get();
            }

            // (the dying stream threads' exceptions are the reducer's to handle, not the test's)
            await().dontCatchUncaughtExceptions()
                    .atMost(Duration.ofMinutes(4))
                    .until(() -> fleet.problem().isPresent());
            Optional<String> problem = fleet.problem();
            assertThat(problem).hasValueSatisfying(p -> assertThat(p).startsWith("the reducer stopped: "));
            assertThat(fleet.reducer().awaitStopped(Duration.ofMinutes(1))).isPresent();
            // following a job on it ends at once with that reason (it would otherwise wait for the job's end)
            assertThatThrownBy(() -> JobFollower.follow(
                            fleet.watcher(), "never-ends", "x", 1, false, Duration.ofDays(1), fleet::problem))
                    .isInstanceOf(JobFollower.FleetStopped.class)
                    .hasMessage(problem.get());
        }
    }
}
