package io.binfleet.worker;

import io.binfleet.core.spi.ThreadResources;
import io.binfleet.kafka.metrics.ShareConsumerMetrics;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One worker thread's poll loop: takes pieces from its single-piece share consumer, or from its batch consumer while
 * {@link BatchPolicy} says so, runs each with {@link PieceRunner} (waiting through {@link LockRenewer}), and
 * acknowledges each record once its result is written. A piece that reports its pace has the next one asked for
 * shortly before its end on a second single-piece consumer ({@link Prefetch}); the two then swap places. It switches
 * consumers only after a poll that returned records: a poll that came back empty may leave a fetch in flight, whose
 * records would sit unseen, locked, in a consumer that is no longer polled.
 *
 * <p>Errors are sorted as the Kafka client sorts them: a retriable or unexpected error in the loop is logged and the
 * loop goes on after a pause; a consumer that failed for good (the share group full, the member fenced) is closed and
 * built again with backoff ({@link Rejoin}), and after the rejoin timeout of that the loop gives up; authentication,
 * authorization and any {@link Error} are fatal at once. Giving up is fatal: the loop closes its consumers and tells
 * {@code onFatal}, which stops the whole worker.
 */
final class PieceLoop implements Runnable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PieceLoop.class);
    /**
     * How long one poll waits. Short on purpose: a share fetch that hands back only a transaction marker (every job's
     * tasks end with one) leaves the poll waiting for its whole timeout before the next fetch.
     */
    static final Duration POLL = Duration.ofMillis(50);
    /** How often the share consumers' own metrics are looked at for new ones. */
    private static final long METRICS_REFRESH_NANOS = Duration.ofSeconds(30).toNanos();
    /** The pause after a client error, before polling again. */
    static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
    /** How long a thread whose batch consumer found the group full takes one piece at a time before it tries again. */
    static final Duration NO_BATCHES = Duration.ofMinutes(5);
    /** How long before the running piece's end (by its pace) the next piece is taken. */
    static final Duration LEAD = Duration.ofMillis(40);
    /** {@link #LEAD} for a spare consumer that has taken nothing yet (its first fetch opens its share session). */
    static final Duration FIRST_LEAD = Duration.ofMillis(120);
    /** How long past its expected end the running piece may go on before the piece taken ahead goes back to the group. */
    static final Duration OVERDUE = Duration.ofMillis(110);
    /** How often a running piece that reports no pace is looked at again. */
    private static final Duration PACE_UNKNOWN = Duration.ofMillis(50);
    /** The longest wait between looks at a running piece's pace. */
    private static final Duration PACE_LOOK = Duration.ofSeconds(1);
    /** How long a stopping loop waits for its piece thread to end. */
    private static final Duration PIECE_THREAD_END = Duration.ofSeconds(10);

    private final String name;
    private final ShareConsumers consumers;
    private final PieceRunner runner;
    private final ResultPublisher publisher;
    private final LockRenewer renewer;
    private final BatchPolicy policy;
    private final WorkerMetrics metrics;
    private final BooleanSupplier running;
    private final Consumer<Throwable> onFatal;
    private final Rejoin rejoin;
    private final String group;
    private final boolean takeAhead;
    /** Told how many warm-up tombstones this thread acknowledged, once the broker recorded them. */
    private final IntConsumer warmUps;
    /**
     * The single-piece consumer polled next, and the spare one that takes the next piece shortly before the running
     * one ends ({@link Prefetch}). They swap places whenever the spare was polled: a consumer that was polled is the
     * one polled next, so that a fetch it may have in flight is never left to acquire a record nobody looks at.
     */
    private ShareConsumer<String, byte[]> current;

    private ShareConsumer<String, byte[]> spare;
    /** The spare has taken nothing yet: its first fetch (a new share session) is slower than the next ones. */
    private boolean spareFresh = true;

    private boolean currentFresh = true;
    private ShareConsumerMetrics spareMetrics;
    /** What the spare took before the running piece ended, run next. */
    private ConsumerRecords<String, byte[]> prefetched;
    /** The current consumer was polled as the spare and took nothing yet: it is polled until it does. */
    private boolean currentArmed;
    /** Until when (nanoTime) no piece is taken ahead: the spare could not join the group. */
    private long noPrefetchUntil;

    private boolean prefetchRefused;
    /**
     * The piece that ran before the one taken ahead, its result sent and not yet confirmed: it is settled (its write
     * waited for, then acknowledged) as soon as the next piece has started, so that the next piece does not wait for
     * the write. Still acknowledged only once its result is durable.
     */
    private Taken unsettled;

    PieceLoop(
            String name,
            ShareConsumers consumers,
            PieceRunner runner,
            ResultPublisher publisher,
            LockRenewer renewer,
            BatchPolicy policy,
            WorkerMetrics metrics,
            BooleanSupplier running,
            Consumer<Throwable> onFatal,
            Duration rejoinTimeout,
            String group,
            boolean takeAhead,
            IntConsumer warmUps) {
        this.name = name;
        this.consumers = consumers;
        this.runner = runner;
        this.publisher = publisher;
        this.renewer = renewer;
        this.policy = policy;
        this.metrics = metrics;
        this.running = running;
        this.onFatal = onFatal;
        this.rejoin = new Rejoin(rejoinTimeout);
        this.group = group;
        this.takeAhead = takeAhead;
        this.warmUps = warmUps;
    }

    /** A worker thread could not join the share group within its rejoin timeout. */
    static final class GroupJoinException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        GroupJoinException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void run() {
        // what a simulation keeps open on the piece thread (a persistent interpreter) is closed as the thread ends
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(
                () -> {
                    try {
                        r.run();
                    } finally {
                        ThreadResources.closeAll();
                    }
                },
                "binfleet-piece-" + name));
        ShareConsumer<String, byte[]> batch = null;
        try {
            current = open(name, 1);
            ShareConsumerMetrics singleMetrics = new ShareConsumerMetrics(current);
            ShareConsumerMetrics batchMetrics = null;
            boolean polled = false;
            long nextRefresh = System.nanoTime();
            while (running.getAsBoolean()) {
                if (batch == null && polled) {
                    // made once the thread's first poll (at its start, or after a rejoin) has begun its join: the
                    // single-piece consumer is the one that takes pieces first
                    if (takeAhead && spare == null) {
                        // made now, so that it has joined the group by the time it takes a piece ahead; not polled
                        // till then
                        openSpare();
                    }
                    batch = open(name + "-batch", BatchPolicy.BATCH);
                    batchMetrics = new ShareConsumerMetrics(batch);
                }
                if (batchMetrics != null && System.nanoTime() - nextRefresh >= 0) {
                    // the share consumers are confined to this thread, so their metrics are picked up here
                    singleMetrics.refresh(metrics.registry());
                    batchMetrics.refresh(metrics.registry());
                    if (spareMetrics != null) {
                        spareMetrics.refresh(metrics.registry());
                    }
                    nextRefresh = System.nanoTime() + METRICS_REFRESH_NANOS;
                }
                ShareConsumer<String, byte[]> consumer =
                        prefetched != null || currentArmed || !policy.batching() ? current : batch;
                try {
                    BatchPolicy.Next next = pollOnce(consumer, executor);
                    polled = true;
                    if (next == BatchPolicy.Next.LEAVE_BATCHES) {
                        // A resting batch consumer can still hold a fetch in flight (seen: records it took sat locked
                        // for the whole lock timeout while it was not polled). Closing it commits its acknowledgements
                        // and gives back whatever it took; a fresh one, not polled until next needed, takes nothing.
                        closeQuietly(batch);
                        batch = open(name + "-batch", BatchPolicy.BATCH);
                        batchMetrics = new ShareConsumerMetrics(batch);
                    }
                } catch (WakeupException | InterruptException | AuthenticationException | AuthorizationException e) {
                    throw e;
                } catch (KafkaException e) {
                    if (e instanceof RetriableException) {
                        LOGGER.warn("worker poll loop error, continuing worker={} error={}", name, e.toString());
                        sleep(ERROR_PAUSE);
                        continue;
                    }
                    if (consumer == batch && e instanceof GroupMaxSizeReachedException) {
                        // the thread is a member through its single-piece consumer: it goes on without batches
                        LOGGER.warn(
                                "share group {} is full (group.share.max.size): no room for this thread's batch"
                                        + " consumer, so it takes one piece at a time for the next {} min worker={}",
                                group,
                                NO_BATCHES.toMinutes(),
                                name);
                        closeQuietly(batch);
                        batch = open(name + "-batch", BatchPolicy.BATCH);
                        batchMetrics = new ShareConsumerMetrics(batch);
                        policy.refuseBatches(NO_BATCHES);
                        continue;
                    }
                    // a consumer that failed for good polls nothing from now on: only a new one can join again
                    Duration pause = rejoin.failed(System.nanoTime());
                    if (rejoin.givenUp(System.nanoTime())) {
                        throw new GroupJoinException(
                                "could not join the share group " + group + " for "
                                        + rejoin.failingFor(System.nanoTime()).toSeconds() + " s: " + e.getMessage(),
                                e);
                    }
                    logMembershipFailure(e, pause);
                    settleQuietly();
                    closeQuietly(current);
                    dropSpare();
                    closeQuietly(batch);
                    current = null;
                    prefetched = null;
                    currentArmed = false;
                    batch = null;
                    sleepWhileRunning(pause);
                    if (!running.getAsBoolean()) {
                        break;
                    }
                    current = open(name, 1);
                    currentFresh = true;
                    singleMetrics = new ShareConsumerMetrics(current);
                    batchMetrics = null;
                    polled = false; // the spare and batch consumers follow its first poll, as at the start
                } catch (RuntimeException e) {
                    LOGGER.warn("worker poll loop error, continuing worker={} error={}", name, e.toString());
                    sleep(ERROR_PAUSE);
                }
            }
        } catch (WakeupException | InterruptException e) {
            LOGGER.debug("worker thread interrupted, stopping worker={}", name);
        } catch (RuntimeException | Error e) {
            LOGGER.error("worker thread stopped on a fatal error worker={} error={}", name, e.toString(), e);
            onFatal.accept(e);
        } finally {
            executor.shutdownNow();
            awaitQuietly(executor);
            settleQuietly();
            closeQuietly(current);
            closeQuietly(spare);
            closeQuietly(batch);
        }
    }

    /** A new spare consumer (not polled until it takes a piece ahead). */
    private void openSpare() {
        spare = open(name + "-next", 1);
        spareFresh = true;
        spareMetrics = new ShareConsumerMetrics(spare);
    }

    /** Closes the spare consumer, which gives back anything it took. */
    private void dropSpare() {
        closeQuietly(spare);
        spare = null;
        spareMetrics = null;
    }

    /** One clear line for a consumer that failed for good; the full share group gets its setting named. */
    private void logMembershipFailure(KafkaException e, Duration pause) {
        if (e instanceof GroupMaxSizeReachedException) {
            LOGGER.error(
                    "share group {} is full, this worker thread cannot join it: {} Every worker thread is a member;"
                            + " raise the brokers' group.share.max.size (at most 1000) or run fewer worker threads."
                            + " Trying again in {} s worker={}",
                    group,
                    e.getMessage(),
                    pause.toSeconds(),
                    name);
        } else {
            LOGGER.error(
                    "share consumer failed, building a new one in {} s worker={} error={}",
                    pause.toSeconds(),
                    name,
                    e.toString());
        }
    }

    /** Sleeps {@code pause}, waking early when the worker stops. */
    private void sleepWhileRunning(Duration pause) {
        long end = System.nanoTime() + pause.toNanos();
        while (running.getAsBoolean() && System.nanoTime() < end) {
            sleep(Duration.ofMillis(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000))));
        }
    }

    /** A share consumer whose acknowledgements report back: one the broker did not take is logged and counted. */
    private ShareConsumer<String, byte[]> open(String clientId, int maxRecords) {
        ShareConsumer<String, byte[]> consumer = consumers.create(clientId, maxRecords);
        consumer.setAcknowledgementCommitCallback((offsets, error) -> {
            if (error != null) {
                int count =
                        offsets.values().stream().mapToInt(java.util.Set::size).sum();
                metrics.acksFailed(count);
                LOGGER.warn(
                        "acknowledgements failed, those pieces will be delivered again worker={} offsets={} error={}",
                        name,
                        offsets,
                        error.toString());
            }
        });
        return consumer;
    }

    /** One poll (or the piece taken ahead) and the pieces it took; what the thread does next. */
    BatchPolicy.Next pollOnce(ShareConsumer<String, byte[]> consumer, ExecutorService executor) {
        ConsumerRecords<String, byte[]> records;
        boolean ahead = consumer == current && (prefetched != null || currentArmed);
        if (prefetched != null && consumer == current) {
            records = prefetched;
            prefetched = null;
        } else {
            settleUnsettled(); // only after an error: the piece taken ahead settles it as it starts
            records = consumer.poll(POLL);
        }
        if (records.isEmpty()) {
            // stay with this consumer (see the class comment)
            return BatchPolicy.Next.STAY;
        }
        if (consumer == current) {
            currentArmed = false;
            currentFresh = false;
        }
        if (ahead) {
            metrics.piecesTakenAhead(records.count());
        }
        rejoin.joined();
        LOGGER.debug("took {} pieces worker={} batch={}", records.count(), name, policy.batching());
        if (policy.batching()) {
            metrics.piecesBatched(records.count());
        }
        Taken taken = new Taken(consumer, records);
        int tombstones = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            tombstones += r.value() == null ? 1 : 0;
        }
        // one piece at a time: the next one may be taken shortly before this one ends
        Prefetch prefetch = takeAhead && consumer == current && taken.size() == 1 ? new Prefetch() : null;
        policy.pollStarted();
        long batchStart = System.nanoTime();
        while (taken.hasNext()) {
            ConsumerRecord<String, byte[]> record = taken.next();
            if (!running.getAsBoolean() || (policy.stopping() && policy.releasable(record.deliveryCount()))) {
                // not started: back to the group
                consumer.acknowledge(record, AcknowledgeType.RELEASE);
                metrics.piecesReleased(1);
                taken.released();
                continue;
            }
            long start = System.nanoTime();
            Outcome outcome = runner.run(record, name, executor, (piece, remaining) -> {
                settleUnsettled(); // the piece before this one, now that this one runs
                return renewer.await(
                        taken,
                        piece,
                        () -> shed(taken),
                        prefetch == null ? () -> LockRenewer.Look.NEVER : () -> prefetch.look(remaining));
            });
            settleUnsettled(); // a piece that ran nothing (skipped, unreadable) does not wait for it either
            taken.finished(outcome);
            long now = System.nanoTime();
            policy.pieceRan(now - start, now - batchStart);
        }
        BatchPolicy.Next next = policy.pollEnded();
        if (prefetch != null && prefetch.armed && prefetch.records != null && running.getAsBoolean()) {
            // the next piece is in hand: it starts before this one's write is waited for (settled once it runs)
            unsettled = taken;
        } else {
            settle(taken);
        }
        if (prefetch != null && prefetch.armed) {
            // the spare was polled, so it is polled next (for what it took, or for what its fetch in flight takes):
            // this consumer's acknowledgements go out now instead of with its next poll (once settled, if not yet)
            if (unsettled == null) {
                consumer.commitAsync();
            }
            ShareConsumer<String, byte[]> polled = spare;
            spare = current;
            current = polled;
            boolean fresh = spareFresh;
            spareFresh = currentFresh;
            currentFresh = fresh && prefetch.records == null;
            prefetched = prefetch.records;
            currentArmed = prefetched == null;
            return next;
        }
        if (tombstones > 0) {
            // a fleet's warm-up (JobSubmitter.warmUp): its acknowledgement is recorded now, before the first job
            consumer.commitSync();
            warmUps.accept(tombstones);
        } else if (next == BatchPolicy.Next.ENTER_BATCHES || !running.getAsBoolean()) {
            // this consumer rests now: its acknowledgements go out with it
            consumer.commitSync();
        }
        // otherwise they ride on this consumer's next fetch (or on the close of a batch consumer that is left)
        return next;
    }

    /**
     * Takes the next piece on the spare consumer {@link #LEAD} before the running piece ends by the pace it reports,
     * so that it starts as soon as the running one's result is written instead of after a fetch of its own. A piece that
     * reports no pace takes nothing ahead. If the running piece is still running {@link #OVERDUE} after the next one
     * was taken (its pace misled), the next one goes back to the group, so that an idle worker does not wait for it.
     */
    private final class Prefetch {
        /** The spare was polled: it is the consumer polled next. */
        boolean armed;
        /** What it took. */
        ConsumerRecords<String, byte[]> records;

        /** When the running piece should end by its pace, as it was when the next one was asked for. */
        private long expectedEnd;

        private boolean done;

        /** Called while the piece runs; returns the nanoseconds until it wants to look again. */
        long look(java.util.function.DoubleSupplier remaining) {
            if (done || !running.getAsBoolean()) {
                return LockRenewer.Look.NEVER;
            }
            try {
                long now = System.nanoTime();
                if (!armed) {
                    double left = remaining.getAsDouble();
                    if (Double.isNaN(left)) {
                        return PACE_UNKNOWN.toNanos(); // it may report a fraction later
                    }
                    Duration lead = spareFresh ? FIRST_LEAD : LEAD;
                    long untilDue = (long) (left * 1e9) - lead.toNanos();
                    if (untilDue > 0) {
                        // a pace reported early (or while the machine was busy) may be off: far from the end, look
                        // again halfway there rather than trusting it for the whole way
                        long wait = untilDue > 2 * PACE_UNKNOWN.toNanos() ? untilDue / 2 : untilDue;
                        return Math.min(wait, PACE_LOOK.toNanos());
                    }
                    if (prefetchRefused && now - noPrefetchUntil < 0) {
                        done = true;
                        return LockRenewer.Look.NEVER;
                    }
                    if (spare == null) {
                        openSpare();
                    }
                    armed = true;
                    expectedEnd = now + (long) (left * 1e9);
                    // one poll that lasts as long as its fetch takes: a second poll while that fetch is in flight
                    // could have the consumer fetch again as soon as the first one is answered, and take a piece
                    // that nobody looks at until this consumer is polled again
                    ConsumerRecords<String, byte[]> r = spare.poll(lead);
                    records = r.isEmpty() ? null : r;
                    LOGGER.debug("taking the next piece ahead worker={} left={} took={}", name, left, r.count());
                    return Math.max(0, expectedEnd + OVERDUE.toNanos() - System.nanoTime());
                }
                if (records == null) {
                    // it may have come meanwhile (then this poll hands it over and fetches nothing new)
                    ConsumerRecords<String, byte[]> r = spare.poll(Duration.ZERO);
                    records = r.isEmpty() ? null : r;
                }
                if (records != null && records.count() == 1) {
                    ConsumerRecord<String, byte[]> r = records.iterator().next();
                    // as for a batch: never a release that would leave the piece fewer than two deliveries (it then
                    // runs here, after the running one)
                    if (policy.releasable(r.deliveryCount())) {
                        spare.acknowledge(r, AcknowledgeType.RELEASE);
                        spare.commitAsync();
                        metrics.piecesReleased(1);
                        LOGGER.debug(
                                "the running piece outlived its pace: the piece taken ahead goes back worker={}", name);
                        records = null;
                        armed = false; // its poll returned a record: it has no fetch in flight
                    }
                }
                done = true;
                return LockRenewer.Look.NEVER;
            } catch (RuntimeException e) {
                if (e instanceof WakeupException || e instanceof InterruptException) {
                    // the worker is stopping; what the spare holds goes back as it closes
                    done = true;
                    return LockRenewer.Look.NEVER;
                }
                // taking ahead is only a saving: without a spare the thread takes its pieces one after another
                LOGGER.warn(
                        "cannot take the next piece ahead; going on without for {} min worker={} error={}",
                        NO_BATCHES.toMinutes(),
                        name,
                        e.toString());
                dropSpare();
                records = null;
                armed = false;
                done = true;
                prefetchRefused = true;
                noPrefetchUntil = System.nanoTime() + NO_BATCHES.toNanos();
                return LockRenewer.Look.NEVER;
            }
        }
    }

    /**
     * A long piece is running in a poll that holds others: settles the finished pieces and gives back the ones not
     * started, so that other workers run them meanwhile. A record that a release would leave with fewer than two
     * deliveries is kept and runs after the long piece.
     */
    private void shed(Taken taken) {
        settle(taken);
        int released = 0;
        var waiting = taken.waiting();
        for (int i = waiting.size() - 1; i >= 0; i--) {
            if (policy.releasable(waiting.get(i).deliveryCount())) {
                taken.consumer().acknowledge(waiting.remove(i), AcknowledgeType.RELEASE);
                released++;
            }
        }
        taken.consumer().commitSync();
        if (released > 0) {
            metrics.piecesReleased(released);
            LOGGER.debug("a long piece in a batch: released the {} behind it worker={}", released, name);
        }
    }

    /**
     * Settles the piece whose next one was taken ahead (its write waited for, its acknowledgement sent at once, as its
     * consumer is not the one polled next).
     */
    private void settleUnsettled() {
        if (unsettled == null) {
            return;
        }
        Taken t = unsettled;
        unsettled = null;
        settle(t);
        t.consumer().commitAsync();
    }

    /** {@link #settleUnsettled} before its consumer closes: a failure leaves the piece to be delivered again. */
    private void settleQuietly() {
        try {
            settleUnsettled();
        } catch (RuntimeException e) {
            LOGGER.debug("could not settle the last piece before closing worker={}", name, e);
        }
    }

    /** Waits for the handled pieces' results to be written, then acknowledges each (a piece whose result was lost is released). */
    private void settle(Taken taken) {
        if (taken.done().stream().anyMatch(d -> d.outcome().sent() != null)) {
            publisher.flush();
        }
        for (Taken.Settled d : taken.done()) {
            AcknowledgeType ack =
                    publisher.confirm(d.outcome(), name, d.record().offset());
            try {
                taken.consumer().acknowledge(d.record(), ack);
            } catch (IllegalStateException e) {
                LOGGER.warn(
                        "could not acknowledge; the piece will be delivered again worker={} offset={} error={}",
                        name,
                        d.record().offset(),
                        e.getMessage());
            }
        }
        taken.clearDone();
    }

    /** Commits the acknowledgements still pending, then leaves the group, giving back any record not acknowledged. */
    private void closeQuietly(ShareConsumer<String, byte[]> consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.commitSync();
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOGGER.debug("closing share consumer worker={}", name, e);
        }
    }

    /** Waits a little for the piece thread to end (and close what it kept open); a piece that ignores interrupts is left. */
    private void awaitQuietly(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(PIECE_THREAD_END.toMillis(), TimeUnit.MILLISECONDS)) {
                LOGGER.warn("a piece did not stop within {} s worker={}", PIECE_THREAD_END.toSeconds(), name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
