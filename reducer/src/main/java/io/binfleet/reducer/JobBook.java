package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The job state machine: SUBMITTED, then RUNNING k/n as pieces arrive (each stored once per index, duplicates
 * ignored), then DONE with the merged result, FAILED (a failed piece, a merge that fails, a stall) or CANCELLED. An
 * ended job ignores later pieces. Works on a {@link JobStore}, a {@link PieceStore} and {@link JobOutputs}, so it runs
 * the same inside Kafka Streams and in unit tests. One per reducer task; not thread-safe.
 */
final class JobBook {
    private static final Logger LOGGER = LoggerFactory.getLogger(JobBook.class);
    /** The most often a job's RUNNING progress is published. */
    static final Duration PROGRESS_EVERY = Duration.ofMillis(100);
    /** The finest grain of a job's stall clock moved by running pieces' reports. */
    static final Duration ALIVE_EVERY = Duration.ofSeconds(1);

    private final JobStore jobs;
    private final PieceStore pieces;
    private final JobOutputs out;
    private final SpecParser parser;
    private final StallCheck stall;
    private final ReducerMetrics metrics;
    private final Consumer<JobResult> onResult;
    private final String task;
    /** When each running job's last RUNNING event went out (not stored: after a restart the next piece reports). */
    private final Map<String, Long> lastReported = new HashMap<>();
    /** Running jobs with progress held back by the throttle, sent by {@link #checkStalled} once it allows. */
    private final Map<String, JobState> unreported = new HashMap<>();

    /**
     * @param onResult called with every merged result after it is sent (e.g. to write files); it may be called again
     *                 for the same job if the task is reprocessed after a crash
     * @param task     this reducer task's name, for the gauges summed over tasks
     */
    JobBook(
            JobStore jobs,
            PieceStore pieces,
            JobOutputs out,
            SpecParser parser,
            StallCheck stall,
            ReducerMetrics metrics,
            Consumer<JobResult> onResult,
            String task) {
        this.jobs = jobs;
        this.pieces = pieces;
        this.out = out;
        this.parser = parser;
        this.stall = stall;
        this.metrics = metrics;
        this.onResult = onResult;
        this.task = task;
    }

    void submitted(JobEvent event, long now) {
        if (jobs.get(event.jobId()) != null) {
            return; // replayed
        }
        JobState state = JobState.submitted(event);
        jobs.putSpec(event.jobId(), event.spec());
        jobs.put(state);
        int stored = pieces.count(event.jobId());
        if (stored > 0) {
            // pieces that came before their job's SUBMITTED event
            afterPiece(state.progress(stored, now), null, now);
        }
    }

    void cancelled(JobEvent event) {
        JobState current = jobs.get(event.jobId());
        if (current == null || current.terminal()) {
            return;
        }
        JobState cancelled =
                current.end(JobEvent.State.CANCELLED, event.reason() == null ? "cancelled" : event.reason());
        endUnfinished(cancelled, event.at());
        metrics.jobEnded("CANCELLED", Duration.ofMillis(Math.max(0, event.at() - current.submittedAt())));
        LOGGER.info("job cancelled jobId={}", event.jobId());
    }

    /**
     * A running piece of {@code jobId} reported (progress or a heartbeat): the job is alive, whatever its pieces' length.
     * Stored at most every {@link #ALIVE_EVERY}, as the stall clock needs no finer grain.
     */
    void alive(String jobId, long now) {
        JobState state = jobs.get(jobId);
        if (state == null || state.terminal() || now - state.lastProgressAt() < ALIVE_EVERY.toMillis()) {
            return;
        }
        jobs.put(state.alive(now));
    }

    /** {@code bytes}: the piece as it came, already read and checked, stored as it is. */
    void piece(PieceResult piece, byte[] bytes, long now) {
        JobState state = jobs.get(piece.jobId());
        if (state != null && state.terminal()) {
            LOGGER.debug("piece of an ended job ignored jobId={} piece={}", piece.jobId(), piece.piece());
            return;
        }
        PieceResult stored = pieces.get(piece.jobId(), piece.piece());
        if (stored != null) {
            // another run of a piece already in (its first run's acknowledgement was lost, say): counted once, and
            // the piece's entry says it ran again
            LOGGER.info("duplicate piece ignored, counted as a rerun jobId={} piece={}", piece.jobId(), piece.piece());
            pieces.put(piece.jobId(), piece.piece(), Codec.write(stored.seenAgain()));
            metrics.pieceRerun();
            return;
        }
        if (piece.attempts() > 1) {
            metrics.pieceRerun(); // an earlier run of it was lost
        }
        if (state != null && piece.piece() >= state.total()) {
            out.deadLetter(new DeadLetter(
                    piece.jobId(),
                    bytes,
                    "piece " + piece.piece() + " is not in 0.." + (state.total() - 1),
                    "reducer"));
            return;
        }
        pieces.put(piece.jobId(), piece.piece(), bytes);
        if (state == null) {
            return; // its job's SUBMITTED event has not been read yet
        }
        afterPiece(state.progress(state.done() + 1, now), piece, now);
    }

    private void afterPiece(JobState state, PieceResult piece, long now) {
        if (piece != null && piece.outcome() == PieceResult.Outcome.FAILED) {
            fail(state, "piece " + piece.piece() + " failed: " + piece.error(), now);
            return;
        }
        if (!state.complete()) {
            jobs.put(state);
            Long last = lastReported.get(state.jobId());
            if (last == null || now - last >= PROGRESS_EVERY.toMillis()) {
                // progress for watchers and progress bars, at most every PROGRESS_EVERY per job: a job of 20,000
                // short pieces would otherwise write (and read back) 20,000 events
                report(state, now);
            } else {
                // held back, not dropped: the periodic check sends it if no later piece does
                unreported.put(state.jobId(), state);
            }
            return;
        }
        List<PieceResult> all = pieces.load(state.jobId());
        for (PieceResult p : all) {
            if (p.outcome() == PieceResult.Outcome.FAILED) {
                fail(state, "piece " + p.piece() + " failed: " + p.error(), now);
                return;
            }
        }
        JobResult result;
        try {
            var specJson = jobs.spec(state.jobId());
            JobSpec spec = parser.parse(specJson);
            result = ResultBuilder.build(state.jobId(), spec, specJson, all, state.submittedAt(), now);
        } catch (RuntimeException e) {
            fail(state, "merge failed: " + e.getMessage(), now);
            return;
        }
        JobState done = state.end(JobEvent.State.DONE, null);
        end(done);
        out.result(result);
        out.event(done.event(result.completedAt()));
        out.commit();
        LOGGER.info(
                "job done jobId={} pieces={} seconds={}",
                state.jobId(),
                state.total(),
                (result.completedAt() - state.submittedAt()) / 1000.0);
        metrics.jobEnded("DONE", Duration.ofMillis(Math.max(0, result.completedAt() - state.submittedAt())));
        metrics.boundaries(result.boundaries());
        onResult.accept(result);
    }

    private void fail(JobState state, String reason, long now) {
        JobState failed = state.end(JobEvent.State.FAILED, reason);
        endUnfinished(failed, now);
        out.event(failed.event(now));
        out.commit();
        metrics.jobEnded("FAILED", Duration.ofMillis(Math.max(0, now - state.submittedAt())));
        LOGGER.warn("job failed jobId={} reason={}", state.jobId(), reason);
    }

    /**
     * For a job that ends FAILED or CANCELLED: the merge of the pieces it had finished, published as its result marked
     * partial (with the pieces it lacks), before the job's end event, so that an hour of finished work is not lost to
     * one bad piece. Nothing if no piece had finished, or if they cannot be merged (a join missing a window).
     */
    private void partialResult(JobState ended, List<PieceResult> finished, long now) {
        var specJson = jobs.spec(ended.jobId());
        if (finished.isEmpty() || specJson == null) {
            return;
        }
        try {
            JobResult partial = ResultBuilder.partial(
                    ended.jobId(),
                    ended.state().name(),
                    parser.parse(specJson),
                    specJson,
                    finished,
                    ended.total(),
                    ended.submittedAt(),
                    now);
            out.result(partial);
            LOGGER.info(
                    "partial result jobId={} state={} pieces={}/{}",
                    ended.jobId(),
                    ended.state(),
                    finished.size(),
                    ended.total());
            onResult.accept(partial);
        } catch (RuntimeException e) {
            LOGGER.info(
                    "no partial result jobId={}: the finished pieces do not merge: {}", ended.jobId(), e.getMessage());
        }
    }

    /**
     * Ends a job that did not finish (FAILED, CANCELLED): publishes the partial result of its finished pieces, removes
     * the progress reports and checkpoints its missing and failed pieces may have left (a finished piece's worker
     * removed its own), and stores its end.
     */
    private void endUnfinished(JobState ended, long now) {
        List<PieceResult> finished = pieces.load(ended.jobId()).stream()
                .filter(p -> p.outcome() == PieceResult.Outcome.OK)
                .toList();
        partialResult(ended, finished, now);
        java.util.Set<Integer> in = new java.util.HashSet<>();
        finished.forEach(p -> in.add(p.piece()));
        for (int i = 0; i < ended.total(); i++) {
            if (!in.contains(i)) {
                out.forget(ended.jobId(), i);
            }
        }
        end(ended);
    }

    /** Stores an ended job's final state and forgets its pieces and spec. */
    private void end(JobState ended) {
        jobs.put(ended);
        jobs.deleteSpec(ended.jobId());
        pieces.deleteAll(ended.jobId());
        lastReported.remove(ended.jobId());
        unreported.remove(ended.jobId());
    }

    private void report(JobState state, long now) {
        lastReported.put(state.jobId(), now);
        unreported.remove(state.jobId());
        out.event(state.event(now));
    }

    /** Sends the progress the throttle held back, for the jobs whose last report is old enough now. */
    void flushProgress(long now) {
        for (JobState held : List.copyOf(unreported.values())) {
            Long last = lastReported.get(held.jobId());
            if (last == null || now - last >= PROGRESS_EVERY.toMillis()) {
                report(held, now);
            }
        }
    }

    /**
     * Sends the progress held back, fails the jobs that have stalled, and updates the gauges of jobs active and pieces
     * pending.
     */
    void checkStalled(long now) {
        flushProgress(now);
        List<JobState> running = jobs.running();
        List<JobState> stalled = stall.stalled(running, now);
        metrics.jobsActive(task, running.size() - stalled.size());
        metrics.piecesPending(
                task, running.stream().mapToInt(s -> s.total() - s.done()).sum());
        for (JobState s : stalled) {
            fail(
                    s,
                    stall.reason(
                            s,
                            id -> pieces.load(id).stream()
                                    .map(PieceResult::piece)
                                    .toList()),
                    now);
        }
    }

    /** A record that could not be read: to the dead-letter topic, as it came. */
    void unreadable(String key, byte[] value, String topic, String error) {
        LOGGER.warn("unreadable record sent to the DLQ topic={} error={}", topic, error);
        out.deadLetter(new DeadLetter(key, value, error, "reducer"));
    }
}
