package io.binfleet.kafka.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics endpoint and the share consumer binder. */
class MetricsServerTest {
    @Test
    void shareConsumerMetrics_areBoundAsGauges_andPickedUpLater() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<MetricName, Metric> metrics = new HashMap<>();
        metrics.put(
                new MetricName(
                        "records-per-request-avg",
                        "consumer-share-fetch-manager-metrics",
                        "d",
                        Map.of("client-id", "w-0")),
                metric(3.5));
        ShareConsumerMetrics binder = new ShareConsumerMetrics(() -> metrics);
        binder.bindTo(registry);
        assertThat(registry.get("kafka.consumer.share.fetch.manager.metrics.records.per.request.avg")
                        .tag("client-id", "w-0")
                        .gauge()
                        .value())
                .isEqualTo(3.5);
        metrics.put(
                new MetricName(
                        "acknowledgements-send-total",
                        "consumer-share-fetch-manager-metrics",
                        "d",
                        Map.of("client-id", "w-0")),
                metric(7));
        binder.refresh(registry);
        assertThat(registry.get("kafka.consumer.share.fetch.manager.metrics.acknowledgements.send.total")
                        .gauge()
                        .value())
                .isEqualTo(7);
    }

    @Test
    void metricsServer_servesPrometheusText() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "test")) {
            Counter.builder(MeterNames.PIECES_COMPLETED)
                    .tag("simulation", "synthetic")
                    .tag("outcome", "ok")
                    .register(server.registry())
                    .increment();
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .contains(
                            "binfleet_pieces_completed_total{outcome=\"ok\",service=\"test\",simulation=\"synthetic\"} 1",
                            "jvm_memory_used_bytes");
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
