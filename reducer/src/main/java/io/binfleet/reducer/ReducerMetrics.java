package io.binfleet.reducer;

import io.binfleet.core.spi.Boundary;
import io.binfleet.kafka.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The reducer's meters: jobs ended by outcome and their durations, jobs active, pieces pending. */
public final class ReducerMetrics {
    private final MeterRegistry registry;
    private final Map<String, Integer> jobsActive = new ConcurrentHashMap<>();
    private final Map<String, Integer> piecesPending = new ConcurrentHashMap<>();

    public ReducerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MeterNames.JOBS_ACTIVE, jobsActive, ReducerMetrics::sum)
                .description("Jobs submitted and not yet ended, as the reducer sees them")
                .register(registry);
        Gauge.builder(MeterNames.PIECES_PENDING, piecesPending, ReducerMetrics::sum)
                .description("Pieces of running jobs that have no result yet (awaiting or running on workers)")
                .register(registry);
    }

    /** Meters that go nowhere (a reducer run without a metrics endpoint). */
    public static ReducerMetrics none() {
        return new ReducerMetrics(new SimpleMeterRegistry());
    }

    MeterRegistry registry() {
        return registry;
    }

    private static double sum(Map<String, Integer> perTask) {
        return perTask.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A piece ran once more than it had to (a duplicate result, or a result from a later delivery). */
    void pieceRerun() {
        Counter.builder(MeterNames.PIECES_RERUN)
                .description("Runs of pieces beyond their first (after a worker or broker failure)")
                .register(registry)
                .increment();
    }

    /** A job ended DONE, FAILED or CANCELLED after {@code took} from submission. */
    void jobEnded(String outcome, Duration took) {
        Counter.builder(MeterNames.JOBS_COMPLETED)
                .description("Jobs ended, by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder(MeterNames.JOB_DURATION)
                .description("Submission to end of a job")
                .tag("outcome", outcome)
                .register(registry)
                .record(took);
    }

    /** A merged job's window boundaries: counted by quality (ok, suspect), their spreads recorded. */
    void boundaries(List<Boundary> boundaries) {
        for (Boundary b : boundaries) {
            Counter.builder(MeterNames.MERGE_BOUNDARIES)
                    .description("Window boundaries of merged jobs, by quality: suspect when a boundary's spread is"
                            + " more than three times its job's median")
                    .tag("quality", b.suspect() ? "suspect" : "ok")
                    .register(registry)
                    .increment();
            DistributionSummary.builder(MeterNames.MERGE_BOUNDARY_SPREAD)
                    .description("Spread over the overlap of the difference of two neighbouring windows")
                    .register(registry)
                    .record(b.spread());
        }
    }

    /** The reducer task {@code task} (one per partition) holds {@code count} jobs that have not ended. */
    void jobsActive(String task, int count) {
        jobsActive.put(task, count);
    }

    /** The reducer task {@code task} waits for {@code count} more pieces of its running jobs. */
    void piecesPending(String task, int count) {
        piecesPending.put(task, count);
    }
}
