/**
 * binfleet's metrics, defined once ({@link io.binfleet.kafka.metrics.MeterNames}), served to Prometheus
 * ({@link io.binfleet.kafka.metrics.MetricsServer}), with binders for the JVM and every Kafka client, the share
 * consumer included ({@link io.binfleet.kafka.metrics.ShareConsumerMetrics}). Metrics never break the service:
 * a binder that fails is logged and skipped.
 */
package io.binfleet.kafka.metrics;
