package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceProgress;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.DeadLetter;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The reducer's one Kafka Streams processor: routes each record by its topic, decodes it (an unreadable record, or one
 * keyed by another job, goes to the DLQ), and hands it to the task's {@link JobBook} (a running piece's progress
 * report, keyed {@code jobId/piece} on the jobs topic, only as a sign of life); schedules the stall check. All
 * decisions are the book's; this class only adapts the Streams context and stores to it.
 */
final class ReducerProcessor implements Processor<String, byte[], String, byte[]> {
    private final String piecesTopic;
    private final SpecParser parser;
    private final StallCheck stall;
    private final Consumer<JobResult> onResult;
    private final ReducerMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private JobBook book;

    ReducerProcessor(
            String piecesTopic,
            SpecParser parser,
            StallCheck stall,
            Consumer<JobResult> onResult,
            ReducerMetrics metrics) {
        this.piecesTopic = piecesTopic;
        this.parser = parser;
        this.stall = stall;
        this.onResult = onResult;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        JobStore jobs = new KeyValueJobStore(
                context.getStateStore(ReducerTopology.JOB_STORE), context.getStateStore(ReducerTopology.SPEC_STORE));
        PieceStore pieces = new KeyValuePieceStore(context.getStateStore(ReducerTopology.PIECE_STORE));
        book = new JobBook(
                jobs,
                pieces,
                new Outputs(),
                parser,
                stall,
                metrics,
                onResult,
                context.taskId().toString());
        context.schedule(stall.interval(), PunctuationType.WALL_CLOCK_TIME, book::checkStalled);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        boolean piece = topic.equals(piecesTopic);
        if (!piece && PieceProgress.isPieceKey(record.key())) {
            if (record.value() != null) { // a tombstone ends a piece's reports
                PieceProgress p = decode(
                        record,
                        topic,
                        PieceProgress.class,
                        "piece progress",
                        pp -> PieceProgress.key(pp.jobId(), pp.piece()));
                if (p != null) {
                    book.alive(p.jobId(), context.currentSystemTimeMs());
                }
            }
            return;
        }
        if (record.key() == null || record.value() == null) {
            if (!piece && record.value() == null) {
                return; // a tombstone on the compacted jobs topic
            }
            book.unreadable(record.key(), record.value(), topic, "record without a key or a value");
            return;
        }
        long now = context.currentSystemTimeMs();
        if (piece) {
            PieceResult p = decode(record, topic, PieceResult.class, "piece result", PieceResult::jobId);
            if (p != null) {
                book.piece(p, record.value(), now);
            }
            return;
        }
        JobEvent event = decode(record, topic, JobEvent.class, "job event", JobEvent::jobId);
        if (event == null) {
            return;
        }
        if (event.state() == JobEvent.State.SUBMITTED) {
            book.submitted(event, now);
        } else if (event.state() == JobEvent.State.CANCELLED) {
            book.cancelled(event);
        }
    }

    /** The record's value as {@code type}, or null after sending it to the DLQ (unreadable, or keyed by another job). */
    private <T> T decode(
            Record<String, byte[]> record, String topic, Class<T> type, String what, Function<T, String> jobIdOf) {
        try {
            T value = Codec.read(record.value(), type);
            if (!jobIdOf.apply(value).equals(record.key())) {
                throw new IllegalArgumentException(
                        "key " + record.key() + " is not the job id " + jobIdOf.apply(value));
            }
            return value;
        } catch (RuntimeException e) {
            book.unreadable(record.key(), record.value(), topic, "unreadable " + what + ": " + e.getMessage());
            return null;
        }
    }

    /** The book's outputs as the topology's sinks. */
    private final class Outputs implements JobOutputs {
        @Override
        public void event(JobEvent event) {
            forward(event.jobId(), Codec.write(event), ReducerTopology.JOBS_SINK);
        }

        @Override
        public void result(JobResult result) {
            forward(result.jobId(), Codec.write(result), ReducerTopology.RESULTS_SINK);
        }

        @Override
        public void deadLetter(DeadLetter letter) {
            context.forward(
                    new Record<>(letter.key(), letter.value(), context.currentSystemTimeMs(), letter.headers()),
                    ReducerTopology.DLQ_SINK);
        }

        @Override
        public void forget(String jobId, int piece) {
            String key = PieceProgress.key(jobId, piece);
            forward(key, null, ReducerTopology.JOBS_SINK);
            forward(key, null, ReducerTopology.CHECKPOINTS_SINK);
        }

        @Override
        public void commit() {
            context.commit();
        }

        private void forward(String key, byte[] value, String sink) {
            context.forward(new Record<>(key, value, context.currentSystemTimeMs()), sink);
        }
    }
}
