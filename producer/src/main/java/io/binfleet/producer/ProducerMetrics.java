package io.binfleet.producer;

import io.binfleet.kafka.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The producer's meters: task records published. */
public final class ProducerMetrics {
    private final MeterRegistry registry;
    private final Counter published;

    public ProducerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.published = Counter.builder(MeterNames.TASKS_PUBLISHED)
                .description("Task records published (one per piece)")
                .register(registry);
    }

    /** Meters that go nowhere. */
    public static ProducerMetrics none() {
        return new ProducerMetrics(new SimpleMeterRegistry());
    }

    MeterRegistry registry() {
        return registry;
    }

    void tasksPublished(int count) {
        published.increment(count);
    }
}
