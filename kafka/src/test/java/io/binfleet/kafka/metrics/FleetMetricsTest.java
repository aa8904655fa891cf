package io.binfleet.kafka.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FleetMetricsTest {
    @Test
    void pieceMeters_haveTheirNamesTagsAndUnits() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FleetMetrics m = new FleetMetrics(registry);
        m.pieceStarted();
        m.pieceStarted();
        assertThat(registry.get(FleetMetrics.PIECES_ACTIVE).gauge().value()).isEqualTo(2);
        m.pieceEnded("synthetic", "ok", Duration.ofMillis(1500));
        m.pieceEnded("synthetic", "retry", Duration.ofMillis(10));
        assertThat(registry.get(FleetMetrics.PIECES_ACTIVE).gauge().value()).isEqualTo(0);
        assertThat(registry.get(FleetMetrics.PIECES_COMPLETED).tags("simulation", "synthetic", "outcome", "ok").counter().count())
                .isEqualTo(1);
        Timer t = registry.get(FleetMetrics.PIECE_DURATION).tag("simulation", "synthetic").timer();
        assertThat(t.count()).isEqualTo(2);
        assertThat(registry.get(FleetMetrics.PIECE_DURATION).timer().getId().getName()).isEqualTo("binfleet.piece.duration");
    }

    @Test
    void pieceDurationBuckets_runFromTenMillisecondsToADay() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new FleetMetrics(registry).pieceEnded("s", "ok", Duration.ofSeconds(3));
        CountAtBucket[] buckets = registry.get(FleetMetrics.PIECE_DURATION).timer().takeSnapshot().histogramCounts();
        double[] bounds = Arrays.stream(buckets).mapToDouble(b -> b.bucket(java.util.concurrent.TimeUnit.SECONDS)).toArray();
        assertThat(bounds[0]).isEqualTo(0.01);
        assertThat(bounds[bounds.length - 1]).isEqualTo(86_400);
        assertThat(bounds).hasSize(FleetMetrics.PIECE_BUCKETS.length);
    }

    @Test
    void noJobIdIsEverATag_andJobsActiveSumsTheReducerTasks() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FleetMetrics m = new FleetMetrics(registry);
        m.jobEnded("DONE", Duration.ofSeconds(2));
        m.tasksPublished(16);
        m.jobsActive("0_0", 2);
        m.jobsActive("0_1", 3);
        m.jobsActive("0_0", 1);
        assertThat(registry.get(FleetMetrics.JOBS_ACTIVE).gauge().value()).isEqualTo(4);
        assertThat(registry.get(FleetMetrics.TASKS_PUBLISHED).counter().count()).isEqualTo(16);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).allSatisfy(tag -> assertThat(tag.getKey()).isIn("simulation", "outcome"));
        }
    }

    @Test
    void shareConsumerMetrics_areBoundAsGauges_andPickedUpLater() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<MetricName, Metric> metrics = new java.util.HashMap<>();
        metrics.put(new MetricName("records-per-request-avg", "consumer-share-fetch-manager-metrics", "d", Map.of("client-id", "w-0")),
                metric(3.5));
        ShareConsumerMetrics binder = new ShareConsumerMetrics(() -> metrics);
        binder.bindTo(registry);
        assertThat(registry.get("kafka.consumer.share.fetch.manager.metrics.records.per.request.avg").tag("client-id", "w-0")
                .gauge().value()).isEqualTo(3.5);
        metrics.put(new MetricName("acknowledgements-send-total", "consumer-share-fetch-manager-metrics", "d",
                Map.of("client-id", "w-0")), metric(7));
        binder.refresh(registry);
        assertThat(registry.get("kafka.consumer.share.fetch.manager.metrics.acknowledgements.send.total").gauge().value()).isEqualTo(7);
    }

    @Test
    void metricsServer_servesPrometheusText() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "test")) {
            server.metrics().pieceStarted();
            server.metrics().pieceEnded("synthetic", "ok", Duration.ofMillis(20));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("binfleet_pieces_completed_total{outcome=\"ok\",service=\"test\",simulation=\"synthetic\"} 1",
                    "binfleet_piece_duration_seconds_bucket{service=\"test\",simulation=\"synthetic\",le=\"86400.0\"} 1",
                    "jvm_memory_used_bytes", "binfleet_pieces_active{service=\"test\"} 0");
        }
    }

    private static Metric metric(double value) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        };
    }
}
