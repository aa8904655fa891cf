package io.binfleet.worker;

import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker service's lifecycle: starts one {@link PieceLoop} thread per configured thread, and stops them all. Per
 * piece, a loop skips a cancelled job's piece, reseeds, runs, publishes the result (idempotent, acks=all) and only
 * then ACCEPTs; a failure is RELEASEd for retry until the delivery limit; a piece that can never succeed is REJECTed
 * with a failure result and a DLQ record; a long piece keeps its lock by renewal.
 *
 * <p>A fatal error in any thread (authentication, authorization, an {@link Error}) stops the whole worker: the other
 * threads finish or release their pieces, {@link #awaitStopped} returns the error, and the {@code worker} command
 * exits non-zero so that a supervisor restarts it. A worker never goes on silently with fewer threads.
 * {@link #close()} stops taking pieces, releases what it has not started and waits for the running ones.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Worker.class);
    /** How long {@link #close()} waits for a thread's running piece. */
    private static final Duration JOIN = Duration.ofSeconds(30);

    private final WorkerClients clients;
    private final WorkerConfig config;
    private final SpecParser parser;
    private final WorkerMetrics metrics;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Warm-up tombstones of the tasks topic this worker's threads acknowledged (and the broker recorded). */
    private final AtomicInteger warmUps = new AtomicInteger();

    private final BatchPolicy.Thresholds thresholds;
    private ProgressBoard board;

    public Worker(KafkaSettings settings, WorkerConfig config, SpecParser parser) {
        this(WorkerClients.kafka(settings), config, parser, WorkerMetrics.none());
    }

    /** A worker whose meters (and its producer's) go into {@code registry}. */
    public Worker(KafkaSettings settings, WorkerConfig config, SpecParser parser, MeterRegistry registry) {
        this(WorkerClients.kafka(settings), config, parser, new WorkerMetrics(registry));
    }

    Worker(WorkerClients clients, WorkerConfig config, SpecParser parser, WorkerMetrics metrics) {
        this(clients, config, parser, metrics, BatchPolicy.Thresholds.DEFAULT);
    }

    Worker(
            WorkerClients clients,
            WorkerConfig config,
            SpecParser parser,
            WorkerMetrics metrics,
            BatchPolicy.Thresholds thresholds) {
        this.thresholds = thresholds;
        this.clients = clients;
        this.config = config;
        this.parser = parser;
        this.metrics = metrics;
        clients.bindMetrics(metrics.registry());
    }

    /** Starts the threads. */
    public void start() {
        clients.start();
        int deliveryLimit = clients.topics().deliveryLimit();
        ResultPublisher publisher = new ResultPublisher(clients.producer(), clients.topics());
        board = new ProgressBoard(
                (key, value) -> clients.producer()
                        .send(new ProducerRecord<>(clients.topics().jobs(), key, value), (m, e) -> {
                            if (e != null) {
                                LOGGER.debug("progress report not written key={} error={}", key, e.toString());
                            }
                        }),
                metrics.registry());
        board.start();
        PieceRunner runner = new PieceRunner(
                parser,
                clients.jobs(),
                running::get,
                config,
                deliveryLimit,
                publisher,
                metrics,
                new JobCode(config, clients.code()),
                clients.checkpoints(),
                board);
        LockRenewer renewer = new LockRenewer(config.renewEvery(), thresholds.shortPiece());
        for (int i = 0; i < config.threads(); i++) {
            String name = config.workerId() + "-" + i;
            PieceLoop loop = new PieceLoop(
                    name,
                    clients.shareConsumers(),
                    runner,
                    publisher,
                    renewer,
                    new BatchPolicy(deliveryLimit, thresholds),
                    metrics,
                    running::get,
                    this::fatal,
                    config.rejoinTimeout(),
                    clients.topics().workerGroup(),
                    config.takeAhead(),
                    warmUps::addAndGet);
            Thread t = new Thread(
                    () -> {
                        loop.run();
                        if (running.get()) {
                            fatal(new IllegalStateException("worker thread " + name + " ended"));
                        }
                    },
                    "binfleet-worker-" + name);
            threads.add(t);
            t.start();
        }
        // while the threads join the share group
        PieceRunner.warmUp();
        LOGGER.info(
                "worker started worker={} threads={} deliveryLimit={}",
                config.workerId(),
                config.threads(),
                deliveryLimit);
    }

    private void fatal(Throwable e) {
        if (failure.compareAndSet(null, e)) {
            LOGGER.error("worker stopping on a fatal error worker={} error={}", config.workerId(), e.toString());
        }
        running.set(false);
        stopped.countDown();
    }

    /**
     * Waits until every thread's share consumer has joined the group and been assigned the tasks topic, so that a job
     * submitted next is picked up at once (joining takes a couple of heartbeats).
     *
     * @return false if that did not happen within {@code timeout}
     */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return clients.awaitAssigned(config.workerId(), config.threads(), timeout);
    }

    /**
     * How many warm-up tombstones of the tasks topic ({@code JobSubmitter.warmUp}) this worker's threads took and
     * acknowledged, the acknowledgement recorded by the broker: a thread that did has been through the share group's
     * join, its first fetch and its first acknowledgement, and takes the next piece at once.
     */
    public int warmUpsAcknowledged() {
        return warmUps.get();
    }

    /**
     * Blocks until the worker stops: {@link #close()} was called, or a thread hit a fatal error.
     *
     * @return the fatal error, if that is why it stopped
     */
    public Optional<Throwable> awaitStopped() throws InterruptedException {
        stopped.await();
        return failure();
    }

    /** The fatal error that stopped this worker, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Stops taking pieces, waits for the threads, closes the clients. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(JOIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (board != null) {
            board.close();
        }
        clients.close();
        stopped.countDown();
        LOGGER.info("worker stopped worker={}", config.workerId());
    }

    boolean awaitThreads(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
