package io.binfleet.worker;

import io.binfleet.kafka.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The worker's meters: pieces running, pieces completed by simulation and outcome, piece durations, batching. */
public final class WorkerMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, Counter> completed = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Counter batched;
    private final Counter released;
    private final Counter takenAhead;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MeterNames.PIECES_ACTIVE, active, AtomicInteger::get)
                .description("Pieces this process is running now")
                .register(registry);
        batched = Counter.builder(MeterNames.PIECES_BATCHED)
                .description("Pieces workers took in batches (runs of short pieces)")
                .register(registry);
        released = Counter.builder(MeterNames.PIECES_RELEASED)
                .description("Pieces workers released unstarted, for others to run")
                .register(registry);
        takenAhead = Counter.builder(MeterNames.PIECES_TAKEN_AHEAD)
                .description("Pieces workers asked for shortly before the piece they ran ended")
                .register(registry);
    }

    /** Meters that go nowhere (a worker run without a metrics endpoint). */
    public static WorkerMetrics none() {
        return new WorkerMetrics(new SimpleMeterRegistry());
    }

    MeterRegistry registry() {
        return registry;
    }

    void pieceStarted() {
        active.incrementAndGet();
    }

    /** A piece ended: {@code outcome} is ok, retry, failed or skipped. */
    void pieceEnded(String simulation, String outcome, Duration took) {
        active.decrementAndGet();
        // looked up once per (simulation, outcome): a worker may end thousands of pieces a second
        completed
                .computeIfAbsent(
                        simulation + "\u0000" + outcome,
                        k -> Counter.builder(MeterNames.PIECES_COMPLETED)
                                .description("Pieces run to an outcome (ok, retry, failed, skipped)")
                                .tag("simulation", simulation)
                                .tag("outcome", outcome)
                                .register(registry))
                .increment();
        if (!"skipped".equals(outcome)) {
            Duration[] buckets = MeterNames.pieceBuckets();
            durations
                    .computeIfAbsent(
                            simulation,
                            k -> Timer.builder(MeterNames.PIECE_DURATION)
                                    .description("Wall time of one piece's simulation")
                                    .tag("simulation", simulation)
                                    .serviceLevelObjectives(buckets)
                                    .minimumExpectedValue(buckets[0])
                                    .maximumExpectedValue(buckets[buckets.length - 1])
                                    .register(registry))
                    .record(took);
        }
    }

    /** {@code count} acknowledgements the broker did not take. */
    void acksFailed(int count) {
        Counter.builder(MeterNames.ACKS_FAILED)
                .description("Acknowledgements of task records that failed (those pieces are delivered again)")
                .register(registry)
                .increment(count);
    }

    void checkpointWritten() {
        Counter.builder(MeterNames.CHECKPOINTS_WRITTEN)
                .description("Checkpoints saved by running pieces")
                .register(registry)
                .increment();
    }

    void checkpointRestored() {
        Counter.builder(MeterNames.CHECKPOINTS_RESTORED)
                .description("Pieces resumed from a checkpoint")
                .register(registry)
                .increment();
    }

    /** A checkpoint not used (unreadable, incompatible, unavailable) or not saved (too-big). */
    void checkpointDiscarded(String reason) {
        Counter.builder(MeterNames.CHECKPOINTS_DISCARDED)
                .description("Checkpoints not used or not saved, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** A thread took {@code count} pieces in one batch of short pieces. */
    void piecesBatched(int count) {
        batched.increment(count);
    }

    /** A thread took {@code count} pieces it had asked for before its running piece ended. */
    void piecesTakenAhead(int count) {
        takenAhead.increment(count);
    }

    /** A thread gave back {@code count} pieces it had taken but not started. */
    void piecesReleased(int count) {
        released.increment(count);
    }
}
