package io.binfleet.reducer;

import io.binfleet.kafka.metrics.MeterNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReducerMetricsTest {
    @Test
    void noJobIdIsEverATag_andJobsActiveSumsTheReducerTasks() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReducerMetrics m = new ReducerMetrics(registry);
        m.jobEnded("DONE", Duration.ofSeconds(2));
        m.jobsActive("0_0", 2);
        m.jobsActive("0_1", 3);
        m.jobsActive("0_0", 1);
        m.piecesPending("0_0", 7);
        m.boundaries(java.util.List.of(
                new io.binfleet.core.spi.Boundary(java.util.List.of(0, 1), -4, 0.01, false),
                new io.binfleet.core.spi.Boundary(java.util.List.of(1, 2), 0, 0.2, true)));
        assertThat(registry.get(MeterNames.MERGE_BOUNDARIES)
                        .tag("quality", "suspect")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(MeterNames.MERGE_BOUNDARY_SPREAD).summary().max())
                .isEqualTo(0.2);
        assertThat(registry.get(MeterNames.JOBS_ACTIVE).gauge().value()).isEqualTo(4);
        assertThat(registry.get(MeterNames.PIECES_PENDING).gauge().value()).isEqualTo(7);
        assertThat(registry.get(MeterNames.JOBS_COMPLETED)
                        .tag("outcome", "DONE")
                        .counter()
                        .count())
                .isEqualTo(1);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags())
                    .allSatisfy(tag -> assertThat(tag.getKey()).isIn("outcome", "quality"));
        }
        assertThat(registry.find(MeterNames.PIECES_ACTIVE).meter()).isNull();
    }
}
