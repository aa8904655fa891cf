package io.binfleet.app;

import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import io.binfleet.kafka.metrics.MetricsServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Options every command that talks to Kafka shares. */
final class KafkaOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:BINFLEET_BOOTSTRAP}",
            description = "Kafka bootstrap servers (env BINFLEET_BOOTSTRAP).")
    String bootstrap;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description = "Standard Kafka client properties (TLS, SASL); secrets are never logged.")
    Path kafkaConfig;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = "${env:BINFLEET_TOPIC_PREFIX:-binfleet.}",
            description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(
            names = "--delivery-limit",
            paramLabel = "N",
            defaultValue = "${env:BINFLEET_DELIVERY_LIMIT:-5}",
            description =
                    "How often the share group hands out one piece before its failure is final (2..10; set on the "
                            + "group, give every service the same; env BINFLEET_DELIVERY_LIMIT; default: ${DEFAULT-VALUE}).")
    int deliveryLimit;

    @Option(
            names = "--task-partitions",
            paramLabel = "N",
            defaultValue = "${env:BINFLEET_TASK_PARTITIONS:-1}",
            description = "Partitions of the tasks topic when it is created, or grown to (1..1000; a job's pieces are"
                    + " spread over them). One keeps every idle worker busy while pieces wait; more spread the task"
                    + " traffic over brokers for a very large fleet (env BINFLEET_TASK_PARTITIONS; default:"
                    + " ${DEFAULT-VALUE}).")
    int taskPartitions;

    @Option(
            names = "--metrics-port",
            paramLabel = "P",
            defaultValue = "${env:BINFLEET_METRICS_PORT:--1}",
            description =
                    "Serve Prometheus metrics on http://BIND:P/metrics (env BINFLEET_METRICS_PORT; off by default).")
    int metricsPort;

    @Option(
            names = "--metrics-bind",
            paramLabel = "ADDRESS",
            defaultValue = "${env:BINFLEET_METRICS_BIND:-0.0.0.0}",
            description = "Address the metrics endpoint listens on (default: ${DEFAULT-VALUE}).")
    String metricsBind;

    /** Starts the metrics endpoint if {@code --metrics-port} was given; the registry to record into either way. */
    MeterRegistry metrics(Closer closer, String service) {
        if (metricsPort < 0) {
            return new SimpleMeterRegistry();
        }
        return closer.add(MetricsServer.start(metricsBind, metricsPort, service))
                .registry();
    }

    /**
     * Settings for {@code --bootstrap}, or for {@code fallbackBootstrap} when none was given; the connection (address
     * and credentials) is checked once, so that a mistake is reported at once.
     *
     * @throws ConnectionException saying what is wrong with the connection
     */
    KafkaSettings settings(String fallbackBootstrap) {
        KafkaSettings settings = unverified(fallbackBootstrap);
        verify(settings);
        return settings;
    }

    /** Checks the connection (address and credentials) of {@code settings}; throws a ConnectionException saying why. */
    static void verify(KafkaSettings settings) {
        try {
            settings.verify(Duration.ofSeconds(15));
        } catch (IllegalStateException e) {
            throw new ConnectionException(e.getMessage());
        }
    }

    private KafkaSettings unverified(String fallbackBootstrap) {
        String servers = bootstrap != null && !bootstrap.isBlank() ? bootstrap : fallbackBootstrap;
        Map<String, String> extra = kafkaConfig == null ? Map.of() : KafkaSettings.readConfig(kafkaConfig);
        KafkaSettings settings;
        try {
            settings = new KafkaSettings(servers, new Topics(topicPrefix, deliveryLimit, taskPartitions), extra);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
        return settings;
    }

    /** The connection to Kafka failed: the command ends with this message and exit code 1. */
    static final class ConnectionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionException(String message) {
            super(message);
        }
    }

    /**
     * The settings of a command that works on an existing cluster: {@code --bootstrap}, else the local fleet of
     * {@code binfleet up} if one is up.
     *
     * @throws ConnectionException if it is missing or the cluster cannot be reached
     */
    KafkaSettings connect() {
        KafkaSettings settings = connectUnverified();
        verify(settings);
        return settings;
    }

    /**
     * As {@link #connect()}, without the connection check (an admin client's round trip, 0.4 s of a command's start): for
     * a command whose own requests show soon enough that the cluster answers, and which calls {@link
     * #verify(KafkaSettings)} for the reason when they do not.
     */
    KafkaSettings connectUnverified() {
        if (!hasBootstrap()) {
            // the local fleet of `binfleet up`, when one is up
            Optional<String> local = WarmFleet.defaultBootstrap();
            if (local.isPresent()) {
                return unverified(local.get());
            }
            throw new ConnectionException(
                    command.name()
                            + " needs --bootstrap HOST:PORT (or BINFLEET_BOOTSTRAP), or a local fleet started by `binfleet up`");
        }
        return unverified(null);
    }

    boolean hasBootstrap() {
        return bootstrap != null && !bootstrap.isBlank();
    }
}
