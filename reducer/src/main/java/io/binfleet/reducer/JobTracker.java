package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.metrics.FleetMetrics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The reducer's one processor. It reads job events (SUBMITTED, CANCELLED) and piece results; stores every piece
 * once per (jobId, index); when a job's last piece is in it merges them and forwards the result and DONE. A failed
 * piece fails its job; a job with no progress for the stall timeout fails as STALLED naming the missing pieces.
 * Unreadable records go to the DLQ.
 */
final class JobTracker implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOGGER = LoggerFactory.getLogger(JobTracker.class);
    /** The most often a job's RUNNING progress is published. */
    static final Duration PROGRESS_EVERY = Duration.ofMillis(100);

    private final String piecesTopic;
    private final SpecParser parser;
    private final Duration stallTimeout;
    private final Consumer<JobResult> onResult;
    private final FleetMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> jobs;
    private KeyValueStore<String, byte[]> pieces;
    /** When each running job's last RUNNING event went out (not stored: after a restart the next piece reports). */
    private final Map<String, Long> lastReported = new HashMap<>();
    /**
     * The running jobs' states as last written to the store, so that a piece does not read and decode its job's
     * state (spec included) again. Emptied whenever the task is (re)initialized, when the store may have changed.
     */
    private final Map<String, JobState> running = new HashMap<>();

    JobTracker(String piecesTopic, SpecParser parser, Duration stallTimeout, Consumer<JobResult> onResult, FleetMetrics metrics) {
        this.metrics = metrics;
        this.piecesTopic = piecesTopic;
        this.parser = parser;
        this.stallTimeout = stallTimeout;
        this.onResult = onResult;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        running.clear();
        lastReported.clear();
        this.jobs = context.getStateStore(ReducerTopology.JOB_STORE);
        this.pieces = context.getStateStore(ReducerTopology.PIECE_STORE);
        Duration every = stallTimeout.dividedBy(10);
        if (every.compareTo(Duration.ofSeconds(1)) > 0) {
            every = Duration.ofSeconds(1);
        }
        if (every.compareTo(Duration.ofMillis(50)) < 0) {
            every = Duration.ofMillis(50);
        }
        context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::checkStalled);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        if (record.key() == null || record.value() == null) {
            if (!topic.equals(piecesTopic) && record.value() == null) {
                return; // a tombstone on the compacted jobs topic
            }
            dlq(record, topic, "record without a key or a value");
            return;
        }
        if (topic.equals(piecesTopic)) {
            PieceResult piece = decode(record, topic, PieceResult.class, "piece result", PieceResult::jobId);
            if (piece != null) {
                onPiece(piece, record.value());
            }
        } else {
            JobEvent event = decode(record, topic, JobEvent.class, "job event", JobEvent::jobId);
            if (event != null) {
                onEvent(event);
            }
        }
    }

    /** The record's value as {@code type}, or null after sending it to the DLQ (unreadable, or keyed by another job). */
    private <T> T decode(Record<String, byte[]> record, String topic, Class<T> type, String what,
                         java.util.function.Function<T, String> jobIdOf) {
        try {
            T value = Codec.read(record.value(), type);
            if (!jobIdOf.apply(value).equals(record.key())) {
                throw new IllegalArgumentException("key " + record.key() + " is not the job id " + jobIdOf.apply(value));
            }
            return value;
        } catch (RuntimeException e) {
            dlq(record, topic, "unreadable " + what + ": " + e.getMessage());
            return null;
        }
    }

    private void onEvent(JobEvent event) {
        JobState current = state(event.jobId());
        if (event.state() == JobEvent.State.SUBMITTED) {
            if (current != null) {
                return; // replayed
            }
            JobState state = JobState.submitted(event);
            put(state);
            int stored = countPieces(event.jobId());
            if (stored > 0) {
                // pieces that came before their job's SUBMITTED event
                afterPiece(state.progress(stored, context.currentSystemTimeMs()), null);
            }
        } else if (event.state() == JobEvent.State.CANCELLED && current != null && !current.terminal()) {
            JobState cancelled = current.end(JobEvent.State.CANCELLED, event.reason() == null ? "cancelled" : event.reason());
            put(cancelled);
            deletePieces(event.jobId());
            metrics.jobEnded("CANCELLED", Duration.ofMillis(Math.max(0, event.at() - current.submittedAt())));
            LOGGER.info("job cancelled jobId={}", event.jobId());
        }
    }

    /** {@code bytes}: the piece as it came, already read and checked, stored as it is. */
    private void onPiece(PieceResult piece, byte[] bytes) {
        String key = pieceKey(piece.jobId(), piece.piece());
        JobState state = state(piece.jobId());
        if (state != null && state.terminal()) {
            LOGGER.debug("piece of an ended job ignored jobId={} piece={}", piece.jobId(), piece.piece());
            return;
        }
        if (pieces.get(key) != null) {
            LOGGER.debug("duplicate piece ignored jobId={} piece={}", piece.jobId(), piece.piece());
            return;
        }
        pieces.put(key, bytes);
        if (state == null) {
            return; // its job's SUBMITTED event has not been read yet
        }
        if (piece.piece() >= state.total()) {
            pieces.delete(key);
            dlqValue(piece.jobId(), Codec.write(piece), "piece " + piece.piece() + " is not in 0.." + (state.total() - 1));
            return;
        }
        afterPiece(state.progress(state.done() + 1, context.currentSystemTimeMs()), piece);
    }

    private void afterPiece(JobState state, PieceResult piece) {
        if (piece != null && piece.outcome() == PieceResult.Outcome.FAILED) {
            fail(state, "piece " + piece.piece() + " failed: " + piece.error());
            return;
        }
        if (state.done() < state.total()) {
            put(state);
            long now = context.currentSystemTimeMs();
            Long last = lastReported.get(state.jobId());
            if (last == null || now - last >= PROGRESS_EVERY.toMillis()) {
                // progress for watchers and progress bars, at most every PROGRESS_EVERY per job: a job of 20,000
                // short pieces would otherwise write (and read back) 20,000 events
                lastReported.put(state.jobId(), now);
                forward(state.jobId(), Codec.write(state.event(now)), ReducerTopology.JOBS_SINK);
            }
            return;
        }
        List<PieceResult> all = loadPieces(state.jobId());
        for (PieceResult p : all) {
            if (p.outcome() == PieceResult.Outcome.FAILED) {
                fail(state, "piece " + p.piece() + " failed: " + p.error());
                return;
            }
        }
        JobResult result;
        try {
            JobSpec spec = parser.parse(state.spec());
            result = ResultBuilder.build(state.jobId(), spec, state.spec(), all, state.submittedAt(), context.currentSystemTimeMs());
        } catch (RuntimeException e) {
            fail(state, "merge failed: " + e.getMessage());
            return;
        }
        JobState done = state.end(JobEvent.State.DONE, null);
        put(done);
        deletePieces(state.jobId());
        forward(state.jobId(), Codec.write(result), ReducerTopology.RESULTS_SINK);
        forward(state.jobId(), Codec.write(done.event(result.completedAt())), ReducerTopology.JOBS_SINK);
        context.commit(); // a job's end is visible once committed: now, not at the next commit interval
        LOGGER.info("job done jobId={} pieces={} seconds={}", state.jobId(), state.total(),
                (result.completedAt() - state.submittedAt()) / 1000.0);
        metrics.jobEnded("DONE", Duration.ofMillis(Math.max(0, result.completedAt() - state.submittedAt())));
        onResult.accept(result);
    }

    private void fail(JobState state, String reason) {
        JobState failed = state.end(JobEvent.State.FAILED, reason);
        put(failed);
        deletePieces(state.jobId());
        forward(state.jobId(), Codec.write(failed.event(context.currentSystemTimeMs())), ReducerTopology.JOBS_SINK);
        context.commit();
        metrics.jobEnded("FAILED", Duration.ofMillis(Math.max(0, context.currentSystemTimeMs() - state.submittedAt())));
        LOGGER.warn("job failed jobId={} reason={}", state.jobId(), reason);
    }

    private void checkStalled(long now) {
        List<JobState> stalled = new ArrayList<>();
        int active = 0;
        int pending = 0;
        try (KeyValueIterator<String, byte[]> it = jobs.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                JobState s = Codec.read(kv.value, JobState.class);
                if (!s.terminal()) {
                    active++;
                    pending += s.total() - s.done();
                    if (now - s.lastProgressAt() > stallTimeout.toMillis()) {
                        stalled.add(s);
                    }
                }
            }
        }
        metrics.jobsActive(context.taskId().toString(), active - stalled.size());
        metrics.piecesPending(context.taskId().toString(), pending);
        for (JobState s : stalled) {
            TreeSet<Integer> missing = new TreeSet<>();
            for (int i = 0; i < s.total(); i++) {
                missing.add(i);
            }
            loadPieces(s.jobId()).forEach(p -> missing.remove(p.piece()));
            fail(s, "STALLED: no progress for " + stallTimeout.toSeconds() + " s; missing pieces: " + ranges(missing));
        }
    }

    /** 0, 1, 2, 5 → "0-2, 5". */
    static String ranges(TreeSet<Integer> values) {
        StringBuilder sb = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int v : values) {
            if (start == null) {
                start = v;
            } else if (v != prev + 1) {
                append(sb, start, prev);
                start = v;
            }
            prev = v;
        }
        if (start != null) {
            append(sb, start, prev);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int start, int end) {
        if (sb.length() > 0) {
            sb.append(", ");
        }
        sb.append(start == end ? Integer.toString(start) : start + "-" + end);
    }

    private JobState state(String jobId) {
        JobState cached = running.get(jobId);
        if (cached != null) {
            return cached;
        }
        byte[] v = jobs.get(jobId);
        JobState state = v == null ? null : Codec.read(v, JobState.class);
        if (state != null && !state.terminal()) {
            running.put(jobId, state);
        }
        return state;
    }

    private void put(JobState state) {
        if (state.terminal()) {
            lastReported.remove(state.jobId());
            running.remove(state.jobId());
        } else {
            running.put(state.jobId(), state);
        }
        jobs.put(state.jobId(), Codec.write(state));
    }

    /** jobId/000000042: a job's pieces sort by index under one prefix. */
    static String pieceKey(String jobId, int index) {
        String digits = Integer.toString(index);
        StringBuilder sb = new StringBuilder(jobId.length() + 10).append(jobId).append('/');
        for (int i = digits.length(); i < 9; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    private List<PieceResult> loadPieces(String jobId) {
        List<PieceResult> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pieces.prefixScan(jobId + "/", new StringSerializer())) {
            while (it.hasNext()) {
                out.add(Codec.read(it.next().value, PieceResult.class));
            }
        }
        return out;
    }

    private int countPieces(String jobId) {
        int n = 0;
        try (KeyValueIterator<String, byte[]> it = pieces.prefixScan(jobId + "/", new StringSerializer())) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private void deletePieces(String jobId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pieces.prefixScan(jobId + "/", new StringSerializer())) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        keys.forEach(pieces::delete);
    }

    private void forward(String key, byte[] value, String sink) {
        context.forward(new Record<>(key, value, context.currentSystemTimeMs()), sink);
    }

    private void dlq(Record<String, byte[]> record, String topic, String error) {
        LOGGER.warn("unreadable record sent to the DLQ topic={} error={}", topic, error);
        dlqValue(record.key(), record.value(), error);
    }

    private void dlqValue(String key, byte[] value, String error) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("binfleet.error", error.getBytes(StandardCharsets.UTF_8));
        headers.add("binfleet.source", "reducer".getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(key, value, context.currentSystemTimeMs(), headers), ReducerTopology.DLQ_SINK);
    }
}
