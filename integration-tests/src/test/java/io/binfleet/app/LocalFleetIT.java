package io.binfleet.app;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.worker.Worker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet {@code binfleet run} starts on a broker of its own: it is ready for the first job once every worker
 * thread's warm-up is behind it, so that the job's first pieces are not taken behind a warm-up record or a join.
 */
class LocalFleetIT {
    @Test
    void onItsOwnBroker_theWorkersAreReady_onceEveryWarmUpTombstoneIsSettled_andTheFirstJobRuns() throws Exception {
        try (LocalFleet fleet = LocalFleet.builder()
                .workers(1, 2)
                .workerId("ready")
                .awaitReducer(false)
                .start()) {
            assertThat(fleet.awaitWorkers(Duration.ofSeconds(60))).isTrue();
            // two per worker thread, all taken and their acknowledgements recorded by the broker
            assertThat(fleet.workers().stream()
                            .mapToInt(Worker::warmUpsAcknowledged)
                            .sum())
                    .isEqualTo(4);
            String group = fleet.settings().topics().workerGroup();
            try (Admin admin = Admin.create(fleet.settings().client())) {
                // nothing of the warm-up is left on the tasks topic for the first job's pieces to wait behind
                assertThat(admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                                .partitionsToOffsetInfo(group)
                                .get()
                                .entrySet())
                        .filteredOn(e -> e.getKey()
                                .topic()
                                .equals(fleet.settings().topics().tasks()))
                        .isNotEmpty()
                        .allSatisfy(e -> assertThat(e.getValue().lag()).hasValue(0L));
            }
            String spec = "{\"name\": \"first\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                    + "{\"split\": \"replicas\", \"count\": 4}, \"simulation\": {\"name\": \"synthetic\", "
                    + "\"seconds\": 0.05}, \"merge\": {\"method\": \"mean\"}}";
            var submitted = fleet.submit(SpecParser.builtin().parse(spec.getBytes(StandardCharsets.UTF_8)));
            JobEvent end = JobFollower.follow(
                    fleet.watcher(), submitted.jobId(), "first", 4, false, Duration.ofMinutes(3), fleet::problem);
            assertThat(end.state()).isEqualTo(JobEvent.State.DONE);
        }
    }
}
