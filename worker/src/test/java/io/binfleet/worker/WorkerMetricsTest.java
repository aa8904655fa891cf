package io.binfleet.worker;

import io.binfleet.kafka.metrics.MeterNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerMetricsTest {
    @Test
    void pieceMeters_haveTheirNamesTagsAndUnits() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics m = new WorkerMetrics(registry);
        m.pieceStarted();
        m.pieceStarted();
        assertThat(registry.get(MeterNames.PIECES_ACTIVE).gauge().value()).isEqualTo(2);
        m.pieceEnded("synthetic", "ok", Duration.ofMillis(1500));
        m.pieceEnded("synthetic", "retry", Duration.ofMillis(10));
        assertThat(registry.get(MeterNames.PIECES_ACTIVE).gauge().value()).isEqualTo(0);
        assertThat(registry.get(MeterNames.PIECES_COMPLETED)
                        .tags("simulation", "synthetic", "outcome", "ok")
                        .counter()
                        .count())
                .isEqualTo(1);
        Timer t = registry.get(MeterNames.PIECE_DURATION)
                .tag("simulation", "synthetic")
                .timer();
        assertThat(t.count()).isEqualTo(2);
        assertThat(t.getId().getName()).isEqualTo("binfleet.piece.duration");
        m.piecesBatched(3);
        m.piecesReleased(2);
        assertThat(registry.get(MeterNames.PIECES_BATCHED).counter().count()).isEqualTo(3);
        assertThat(registry.get(MeterNames.PIECES_RELEASED).counter().count()).isEqualTo(2);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags())
                    .allSatisfy(tag -> assertThat(tag.getKey()).isIn("simulation", "outcome", "le"));
        }
    }

    @Test
    void pieceDurationBuckets_runFromTenMillisecondsToADay() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new WorkerMetrics(registry).pieceEnded("s", "ok", Duration.ofSeconds(3));
        CountAtBucket[] buckets =
                registry.get(MeterNames.PIECE_DURATION).timer().takeSnapshot().histogramCounts();
        double[] bounds = Arrays.stream(buckets)
                .mapToDouble(b -> b.bucket(TimeUnit.SECONDS))
                .toArray();
        assertThat(bounds[0]).isEqualTo(0.01);
        assertThat(bounds[bounds.length - 1]).isEqualTo(86_400);
        assertThat(bounds).hasSize(MeterNames.pieceBuckets().length);
    }

    @Test
    void onlyTheWorkersMetersAreRegistered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new WorkerMetrics(registry);
        assertThat(registry.find(MeterNames.JOBS_ACTIVE).meter()).isNull();
        assertThat(registry.find(MeterNames.PIECES_PENDING).meter()).isNull();
    }
}
