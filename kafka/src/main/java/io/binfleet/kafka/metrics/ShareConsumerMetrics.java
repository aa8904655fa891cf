package io.binfleet.kafka.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Binds a share consumer's own metrics (Micrometer's KafkaClientMetrics covers producers, consumers and
 * admin clients, not share consumers) as gauges named {@code kafka.<group>.<name>} with the metric's tags. Call
 * {@link #refresh(MeterRegistry)} now and then to pick up metrics the client creates later.
 */
public final class ShareConsumerMetrics implements MeterBinder {
    private static final Logger LOGGER = LoggerFactory.getLogger(ShareConsumerMetrics.class);
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final Set<MetricName> bound = new HashSet<>();

    public ShareConsumerMetrics(ShareConsumer<?, ?> consumer) {
        this(consumer::metrics);
    }

    ShareConsumerMetrics(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        refresh(registry);
    }

    /** Registers the metrics not yet bound. */
    public synchronized void refresh(MeterRegistry registry) {
        Map<MetricName, ? extends Metric> now;
        try {
            now = metrics.get();
        } catch (RuntimeException e) {
            LOGGER.debug("share consumer metrics unavailable: {}", e.toString());
            return;
        }
        for (Map.Entry<MetricName, ? extends Metric> e : now.entrySet()) {
            MetricName n = e.getKey();
            if (bound.contains(n) || !(e.getValue().metricValue() instanceof Number)) {
                continue;
            }
            bound.add(n);
            Metric metric = e.getValue();
            List<Tag> tags = new ArrayList<>();
            n.tags().forEach((k, v) -> tags.add(Tag.of(k, v)));
            try {
                Gauge.builder(name(n), metric, ShareConsumerMetrics::value)
                        .description(n.description())
                        .tags(tags)
                        .strongReference(true)
                        .register(registry);
            } catch (RuntimeException ex) {
                LOGGER.debug("share consumer metric {} not bound: {}", n, ex.toString());
            }
        }
    }

    static String name(MetricName n) {
        return "kafka." + n.group().replace('-', '.') + "." + n.name().replace('-', '.');
    }

    private static double value(Metric m) {
        Object v = m.metricValue();
        return v instanceof Number num ? num.doubleValue() : Double.NaN;
    }
}
