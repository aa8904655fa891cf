package io.binfleet.kafka.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every binfleet metric, in one place: names (dotted, base units), descriptions, tags. No job id is ever a tag:
 * tags are bounded sets (simulation names, outcomes).
 */
public final class FleetMetrics {
    public static final String TASKS_PUBLISHED = "binfleet.tasks.published";
    public static final String PIECES_COMPLETED = "binfleet.pieces.completed";
    public static final String PIECE_DURATION = "binfleet.piece.duration";
    public static final String PIECES_ACTIVE = "binfleet.pieces.active";
    public static final String JOBS_COMPLETED = "binfleet.jobs.completed";
    public static final String JOB_DURATION = "binfleet.job.duration";
    public static final String JOBS_ACTIVE = "binfleet.jobs.active";
    public static final String PIECES_PENDING = "binfleet.pieces.pending";
    public static final String PIECES_BATCHED = "binfleet.pieces.batched";
    public static final String PIECES_RELEASED = "binfleet.pieces.released";

    /** Piece-duration histogram buckets: 10 ms to 24 h. */
    static final Duration[] PIECE_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
        Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(12),
        Duration.ofHours(24)};

    private final MeterRegistry registry;
    private final AtomicInteger piecesActive = new AtomicInteger();
    private final java.util.Map<String, Integer> jobsActive = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Integer> piecesPending = new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.Map<String, Counter> completed = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Timer> durations = new java.util.concurrent.ConcurrentHashMap<>();

    public FleetMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(PIECES_ACTIVE, piecesActive, AtomicInteger::get).description("Pieces this process is running now")
                .register(registry);
        Gauge.builder(JOBS_ACTIVE, jobsActive, m -> m.values().stream().mapToInt(Integer::intValue).sum()).description("Jobs submitted and not yet ended, as the reducer sees them")
                .register(registry);
        Gauge.builder(PIECES_PENDING, piecesPending, m -> m.values().stream().mapToInt(Integer::intValue).sum())
                .description("Pieces of running jobs that have no result yet (awaiting or running on workers)").register(registry);
    }

    /** Metrics that go nowhere (a service run without {@code --metrics-port}). */
    public static FleetMetrics none() {
        return new FleetMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void tasksPublished(int count) {
        Counter.builder(TASKS_PUBLISHED).description("Task records published (one per piece)")
                .register(registry).increment(count);
    }

    /** A worker took {@code count} pieces in one batch of short pieces. */
    public void piecesBatched(int count) {
        Counter.builder(PIECES_BATCHED).description("Pieces workers took in batches (runs of short pieces)")
                .register(registry).increment(count);
    }

    /** A worker gave back {@code count} pieces it had taken but not started (they were behind a long piece). */
    public void piecesReleased(int count) {
        Counter.builder(PIECES_RELEASED).description("Pieces workers released unstarted, for others to run")
                .register(registry).increment(count);
    }

    public void pieceStarted() {
        piecesActive.incrementAndGet();
    }

    /** A piece ended: {@code outcome} is ok, retry, failed or skipped. */
    public void pieceEnded(String simulation, String outcome, Duration took) {
        piecesActive.decrementAndGet();
        // looked up once per (simulation, outcome): a worker may end thousands of pieces a second
        completed.computeIfAbsent(simulation + "\u0000" + outcome, k -> Counter.builder(PIECES_COMPLETED)
                .description("Pieces run to an outcome (ok, retry, failed, skipped)")
                .tag("simulation", simulation).tag("outcome", outcome).register(registry)).increment();
        if (!"skipped".equals(outcome)) {
            durations.computeIfAbsent(simulation, k -> Timer.builder(PIECE_DURATION).description("Wall time of one piece's simulation")
                    .tag("simulation", simulation).serviceLevelObjectives(PIECE_BUCKETS).minimumExpectedValue(PIECE_BUCKETS[0])
                    .maximumExpectedValue(PIECE_BUCKETS[PIECE_BUCKETS.length - 1]).register(registry)).record(took);
        }
    }

    /** A job ended DONE, FAILED or CANCELLED after {@code took} from submission. */
    public void jobEnded(String outcome, Duration took) {
        Counter.builder(JOBS_COMPLETED).description("Jobs ended, by outcome").tag("outcome", outcome)
                .register(registry).increment();
        Timer.builder(JOB_DURATION).description("Submission to end of a job").tag("outcome", outcome)
                .register(registry).record(took);
    }

    /** The reducer task {@code task} (one per partition) holds {@code count} jobs that have not ended. */
    public void jobsActive(String task, int count) {
        jobsActive.put(task, count);
    }

    /** The reducer task {@code task} waits for {@code count} more pieces of its running jobs. */
    public void piecesPending(String task, int count) {
        piecesPending.put(task, count);
    }
}
