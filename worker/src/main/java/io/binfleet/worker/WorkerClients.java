package io.binfleet.worker;

import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;

/**
 * The Kafka clients a worker runs on, made in one place: the share consumers of its threads, its one result producer,
 * and what it knows of jobs. {@link #kafka} makes the real ones; tests hand in fakes.
 */
interface WorkerClients extends AutoCloseable {
    Topics topics();

    ShareConsumers shareConsumers();

    Producer<String, byte[]> producer();

    JobStatus jobs();

    /** Where the code jobs ship with them is read from. The default has none. */
    default JobCode.Source code() {
        return ref -> {
            throw new io.binfleet.core.spi.PieceFailedException("this worker cannot read shipped code");
        };
    }

    /** Where running pieces' checkpoints are kept. The default keeps none. */
    default CheckpointStore checkpoints() {
        return CheckpointStore.NONE;
    }

    /** Called once when the worker starts, before any thread polls. */
    default void start() {}

    /** Binds the clients' own metrics (those of the producer). */
    default void bindMetrics(MeterRegistry registry) {}

    /**
     * Waits until {@code threads} single-piece share consumers named {@code workerId-i} have joined the group and been
     * assigned the tasks topic.
     *
     * @return false if that did not happen within {@code timeout}
     */
    default boolean awaitAssigned(String workerId, int threads, Duration timeout) throws InterruptedException {
        return true;
    }

    /** Closes the producer and the job watcher (the share consumers are closed by their threads). */
    @Override
    void close();

    static WorkerClients kafka(KafkaSettings settings) {
        return new KafkaWorkerClients(settings, new JobWatcher(settings));
    }
}
