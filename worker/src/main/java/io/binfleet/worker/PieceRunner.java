package io.binfleet.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.Checkpoint;
import io.binfleet.core.message.PieceProgress;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.Schema;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.CheckpointException;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SystemModel;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * Runs the piece of one task record and sorts how it ended: decode (an unreadable task goes to the DLQ), skip a
 * piece of an ended job, reseed (the task's seed or OS entropy, recorded either way), run the simulation on the
 * thread's piece executor while the caller waits (renewing the record's lock), publish the result, and pick the
 * acknowledgement: ACCEPT when done, RELEASE for a retry, REJECT with a failure result and a DLQ record when it can
 * never succeed or has used its last delivery. Shared by a worker's threads; holds no per-piece state.
 */
final class PieceRunner {
    private static final Logger LOGGER = LoggerFactory.getLogger(PieceRunner.class);

    /** How the caller waits for a running piece (renewing its lock meanwhile). */
    @FunctionalInterface
    interface Wait {
        /** @param remaining the seconds the piece has left by its own reports, NaN if it reports none */
        PieceOutput await(Future<PieceOutput> piece, DoubleSupplier remaining) throws Exception;
    }

    private final SpecParser parser;
    private final JobStatus jobs;
    private final BooleanSupplier running;
    private final WorkerConfig config;
    private final int deliveryLimit;
    private final ResultPublisher publisher;
    private final WorkerMetrics metrics;
    private final JobCode code;
    private final CheckpointStore checkpoints;
    private final ProgressBoard board;

    /** @param deliveryLimit the share group's delivery count limit: the attempt that reaches it is the last */
    PieceRunner(
            SpecParser parser,
            JobStatus jobs,
            BooleanSupplier running,
            WorkerConfig config,
            int deliveryLimit,
            ResultPublisher publisher,
            WorkerMetrics metrics,
            JobCode code,
            CheckpointStore checkpoints,
            ProgressBoard board) {
        this.checkpoints = checkpoints;
        this.board = board;
        this.parser = parser;
        this.code = code;
        this.jobs = jobs;
        this.running = running;
        this.config = config;
        this.deliveryLimit = deliveryLimit;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * Reads a made-up task and writes a made-up result a few dozen times ({@link Codec#warmUp}), once per JVM, so that
     * a fresh worker's first pieces are read and their results written by code the JVM has begun to compile.
     */
    static void warmUp() {
        if (!WARMED_UP.compareAndSet(false, true)) {
            return;
        }
        ObjectNode simulation = Codec.object().put("name", WARM_UP).put("seconds", 0.5);
        TaskMessage task = new TaskMessage(
                Schema.VERSION,
                WARM_UP,
                0,
                1,
                Codec.object().put("points", 1),
                Codec.object().put("replica", 0),
                simulation,
                null,
                1,
                null);
        PieceResult result = PieceResult.ok(
                WARM_UP,
                0,
                1,
                1L,
                WARM_UP,
                0.5,
                1,
                new PieceOutput(new double[] {0, 1}, new double[] {0.5, 1.5}),
                System.currentTimeMillis());
        Codec.warmUp(task, WARM_UP_TIMES);
        Codec.warmUp(result, WARM_UP_TIMES);
    }

    private static final String WARM_UP = "binfleet-warm-up";
    private static final int WARM_UP_TIMES = 64;
    private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

    /** Runs {@code record}'s piece as {@code worker} on {@code executor}, waiting with {@code wait}. */
    Outcome run(ConsumerRecord<String, byte[]> record, String worker, ExecutorService executor, Wait wait) {
        if (record.value() == null) {
            // a tombstone carries no piece: a fleet's warm-up of the share group (JobSubmitter.warmUp)
            LOGGER.debug("tombstone on the tasks topic acknowledged key={} offset={}", record.key(), record.offset());
            return Outcome.of(AcknowledgeType.ACCEPT);
        }
        int attempt = record.deliveryCount().map(Short::intValue).orElse(1);
        TaskMessage task;
        try {
            task = Codec.read(record.value(), TaskMessage.class);
        } catch (RuntimeException e) {
            LOGGER.warn(
                    "unreadable task sent to the DLQ topic={} partition={} offset={} error={}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            publisher.deadLetter(record.key(), record.value(), "unreadable task: " + e.getMessage());
            return Outcome.of(AcknowledgeType.REJECT);
        }
        String simulation = task.simulation().path("name").asText("unknown");
        if (jobs.ended(task.jobId())) {
            LOGGER.debug(
                    "piece of an ended job skipped jobId={} piece={} worker={}", task.jobId(), task.piece(), worker);
            metrics.pieceStarted();
            metrics.pieceEnded(simulation, "skipped", Duration.ZERO);
            return Outcome.of(AcknowledgeType.ACCEPT);
        }
        long seed = task.seed() != null ? task.seed() : Seeds.entropy();
        long start = System.nanoTime();
        metrics.pieceStarted();
        Outcome outcome = Outcome.of(AcknowledgeType.REJECT);
        try (var j = MDC.putCloseable("jobId", task.jobId());
                var p = MDC.putCloseable("piece", Integer.toString(task.piece()));
                var w = MDC.putCloseable("worker", worker)) {
            Piece piece = new Piece(task, worker, seed, attempt, start);
            outcome = piece.run(executor, wait);
            return outcome;
        } finally {
            metrics.pieceEnded(simulation, outcome.label(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** One run of one piece. */
    private final class Piece {
        private final TaskMessage task;
        private final String worker;
        private final long seed;
        private final int attempt;
        private final long start;
        /** The running piece's context, once it runs. */
        private Context context;

        Piece(TaskMessage task, String worker, long seed, int attempt, long start) {
            this.task = task;
            this.worker = worker;
            this.seed = seed;
            this.attempt = attempt;
            this.start = start;
        }

        Outcome run(ExecutorService executor, Wait wait) {
            ProgressBoard.Entry entry = null;
            try {
                SystemModel system = parser.system(task.system(), "system", parser.runsUserCode(task.simulation()));
                Simulation simulation = parser.simulation(task.simulation(), system, "simulation");
                int interval = JobSpec.checkpointSeconds(task.simulation());
                // a piece delivered again may have saved its state in an earlier run (a first delivery cannot have)
                Checkpoint resume = attempt > 1 && interval > 0 ? loadCheckpoint() : null;
                long runSeed = resume != null ? resume.seed() : seed;
                ObjectNode json = task.withAttempt(attempt, runSeed).toJson();
                if (resume != null) {
                    json.set("checkpoint", resume.state());
                }
                // a job that ships its code runs in the folder it was unpacked into; any other in the worker's own
                Path dir = task.code() == null ? config.baseDir() : code.folder(task.code());
                entry = board.started(task.jobId(), task.piece(), worker, resume == null ? 0 : resume.seconds());
                context = new Context(json, task.jobId(), dir, entry, runSeed, interval);
                PieceOutput output;
                try {
                    output = execute(executor, wait, simulation, context, runSeed);
                } catch (ExecutionException e) {
                    if (resume == null || !(e.getCause() instanceof CheckpointException)) {
                        throw e;
                    }
                    metrics.checkpointDiscarded("incompatible");
                    LOGGER.warn(
                            "checkpoint not usable, piece starts from zero jobId={} piece={} error={}",
                            task.jobId(),
                            task.piece(),
                            e.getCause().getMessage());
                    resume = null;
                    json.remove("checkpoint");
                    board.ended(entry);
                    entry = board.started(task.jobId(), task.piece(), worker, 0);
                    context = new Context(json, task.jobId(), dir, entry, runSeed, interval);
                    output = execute(executor, wait, simulation, context, runSeed);
                }
                int gaps = output.gaps();
                if (gaps > 0) {
                    LOGGER.warn(
                            "piece returned values that are not numbers, kept as gaps jobId={} piece={} gaps={}",
                            task.jobId(),
                            task.piece(),
                            gaps);
                }
                double seconds = entry.seconds();
                PieceResult result = PieceResult.ok(
                        task.jobId(),
                        task.piece(),
                        task.pieces(),
                        runSeed,
                        worker,
                        seconds,
                        attempt,
                        output,
                        System.currentTimeMillis());
                if (resume != null) {
                    result = result.resumedFrom(new PieceResult.Resumed(resume.seconds(), resume.fraction()));
                }
                Future<RecordMetadata> sent = publisher.publish(result);
                if (resume != null || context.saved) {
                    checkpoints.remove(PieceProgress.key(task.jobId(), task.piece()));
                }
                LOGGER.debug(
                        "piece done jobId={} piece={} worker={} seconds={}",
                        task.jobId(),
                        task.piece(),
                        worker,
                        seconds);
                return new Outcome(AcknowledgeType.ACCEPT, sent);
            } catch (SpecException | PieceFailedException e) {
                return failForGood(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.of(AcknowledgeType.RELEASE);
            } catch (Exception e) {
                return failed(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
            } finally {
                if (entry != null) {
                    board.ended(entry);
                }
            }
        }

        private PieceOutput execute(
                ExecutorService executor, Wait wait, Simulation simulation, Context context, long runSeed)
                throws Exception {
            Future<PieceOutput> future = executor.submit(() -> simulation.run(context, Seeds.generator(runSeed)));
            return wait.await(future, context.entry::remainingSeconds);
        }

        /** This piece's checkpoint, if an earlier run saved one that can be read; null otherwise (logged, counted). */
        private Checkpoint loadCheckpoint() {
            String key = PieceProgress.key(task.jobId(), task.piece());
            byte[] bytes;
            try {
                bytes = checkpoints.load(key);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                metrics.checkpointDiscarded("unavailable");
                LOGGER.warn("checkpoints not readable, piece starts from zero key={} error={}", key, e.toString());
                return null;
            }
            if (bytes == null) {
                return null;
            }
            try {
                Checkpoint c = Codec.read(bytes, Checkpoint.class);
                if (!c.jobId().equals(task.jobId()) || c.piece() != task.piece()) {
                    throw new IllegalArgumentException("it is of " + PieceProgress.key(c.jobId(), c.piece()));
                }
                metrics.checkpointRestored();
                LOGGER.info(
                        "piece resumes from its checkpoint jobId={} piece={} worker={} fromSeconds={} fromFraction={}",
                        task.jobId(),
                        task.piece(),
                        worker,
                        c.seconds(),
                        c.fraction());
                return c;
            } catch (RuntimeException e) {
                metrics.checkpointDiscarded("unreadable");
                LOGGER.warn("checkpoint unreadable, piece starts from zero key={} error={}", key, e.getMessage());
                return null;
            }
        }

        private Outcome failed(Throwable cause) {
            if (jobs.ended(task.jobId())) {
                if (context != null && context.saved) {
                    // the reducer removed the checkpoints of the job's missing pieces as it ended: one saved after
                    // that would stay
                    checkpoints.remove(PieceProgress.key(task.jobId(), task.piece()));
                }
                LOGGER.info(
                        "piece of an ended job stopped jobId={} piece={} worker={}",
                        task.jobId(),
                        task.piece(),
                        worker);
                return Outcome.of(AcknowledgeType.ACCEPT);
            }
            if (!running.getAsBoolean()) {
                LOGGER.info(
                        "piece interrupted by shutdown, released jobId={} piece={} worker={}",
                        task.jobId(),
                        task.piece(),
                        worker);
                return Outcome.of(AcknowledgeType.RELEASE);
            }
            if (cause instanceof PieceFailedException) {
                return failForGood(cause.getMessage());
            }
            String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            // the job's retries, within the group's delivery limit (a run lost with its worker counts as one too)
            if (attempt > JobSpec.retries(task.simulation()) || attempt >= deliveryLimit) {
                return failForGood(
                        (attempt == 1 ? "failed once" : "failed " + attempt + " times") + ", last: " + reason);
            }
            LOGGER.info(
                    "piece failed, released for retry jobId={} piece={} worker={} attempt={} error={}",
                    task.jobId(),
                    task.piece(),
                    worker,
                    attempt,
                    reason);
            return Outcome.of(AcknowledgeType.RELEASE);
        }

        private Outcome failForGood(String reason) {
            LOGGER.warn(
                    "piece failed for good jobId={} piece={} worker={} attempt={} error={}",
                    task.jobId(),
                    task.piece(),
                    worker,
                    attempt,
                    reason);
            Future<RecordMetadata> sent = publisher.publish(PieceResult.failed(
                    task.jobId(),
                    task.piece(),
                    task.pieces(),
                    seed,
                    worker,
                    (System.nanoTime() - start) / 1e9,
                    attempt,
                    reason,
                    System.currentTimeMillis()));
            publisher.deadLetter(task.jobId(), Codec.write(task), "piece " + task.piece() + " failed: " + reason);
            return new Outcome(AcknowledgeType.REJECT, sent);
        }
    }

    /** What a running piece sees: its task, cancellation, progress and checkpoints. */
    private final class Context implements PieceContext {
        /** How long a stopping worker waits for a piece's last checkpoint to be written before it releases the piece. */
        private static final long STOP_SAVE_SECONDS = 10;

        private final ObjectNode task;
        private final String jobId;
        private final Path dir;
        private final ProgressBoard.Entry entry;
        private final long seed;
        private final long intervalNanos;
        private long nextSave;
        private boolean savedOnStop;
        private boolean warnedTooBig;
        /** Whether this run saved a checkpoint (so it is removed once the result is in). */
        volatile boolean saved;

        Context(ObjectNode task, String jobId, Path dir, ProgressBoard.Entry entry, long seed, int intervalSeconds) {
            this.task = task;
            this.jobId = jobId;
            this.dir = dir;
            this.entry = entry;
            this.seed = seed;
            this.intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
            this.nextSave = System.nanoTime() + intervalNanos;
        }

        @Override
        public ObjectNode task() {
            return task;
        }

        @Override
        public boolean cancelled() {
            return !running.getAsBoolean() || jobs.ended(jobId);
        }

        @Override
        public boolean allows(String program) {
            return config.allows(program);
        }

        @Override
        public Path baseDir() {
            return dir;
        }

        @Override
        public void progress(double fraction) {
            entry.progress(fraction);
        }

        @Override
        public boolean checkpointDue() {
            if (intervalNanos == 0) {
                return false;
            }
            if (!running.getAsBoolean()) {
                return !savedOnStop; // the worker is stopping: save once before the piece is given back
            }
            return System.nanoTime() - nextSave >= 0;
        }

        @Override
        public void checkpoint(JsonNode state) {
            if (intervalNanos == 0 || state == null || state.isNull() || jobs.ended(jobId)) {
                return;
            }
            boolean stopping = !running.getAsBoolean();
            nextSave = System.nanoTime() + intervalNanos;
            Checkpoint c = new Checkpoint(
                    Schema.VERSION,
                    jobId,
                    entry.piece,
                    seed,
                    entry.seconds(),
                    entry.fractionOrZero(),
                    entry.worker,
                    state,
                    System.currentTimeMillis());
            byte[] bytes = Codec.write(c);
            if (bytes.length > Limits.MAX_CHECKPOINT_BYTES) {
                metrics.checkpointDiscarded("too-big");
                if (!warnedTooBig) {
                    warnedTooBig = true;
                    LOGGER.warn(
                            "checkpoint not saved: {} bytes is more than the limit of {} jobId={} piece={}",
                            bytes.length,
                            Limits.MAX_CHECKPOINT_BYTES,
                            jobId,
                            entry.piece);
                }
                return;
            }
            Future<?> write = checkpoints.save(PieceProgress.key(jobId, entry.piece), bytes);
            saved = true;
            metrics.checkpointWritten();
            if (stopping) {
                savedOnStop = true;
                try {
                    write.get(STOP_SAVE_SECONDS, TimeUnit.SECONDS);
                    LOGGER.info(
                            "checkpoint saved before the piece is given back jobId={} piece={} seconds={}",
                            jobId,
                            entry.piece,
                            c.seconds());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOGGER.warn(
                            "checkpoint not written before stopping jobId={} piece={} error={}",
                            jobId,
                            entry.piece,
                            e.toString());
                }
            }
        }
    }
}
