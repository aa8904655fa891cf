package io.binfleet.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.metrics.FleetMetrics;
import io.binfleet.kafka.metrics.ShareConsumerMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker service: {@code threads} share consumers in explicit acknowledgement mode, each acquiring one
 * record at a time, so that a worker holds locks only on the pieces it is executing; runs of very short pieces are
 * taken in batches instead (see {@link #loop}). Per piece: reseed, run, publish the result (idempotent, acks=all),
 * then ACCEPT once the result is written. A failure is RELEASEd for retry until the delivery
 * limit; a piece that can never succeed is REJECTed with a failure result and a DLQ record. While a piece
 * runs its record lock is renewed. {@link #close()} stops taking pieces, releases what it has not started and
 * waits for the running ones.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Worker.class);

    /**
     * Worker settings. {@code deliveryLimit} must match the group's {@code share.delivery.count.limit}.
     *
     * @param allowedCommands the external programs this worker may start ("*": any, for a user's own {@code run})
     * @param baseDir         the folder external programs run in
     */
    public record Config(String workerId, int threads, int deliveryLimit, Duration renewEvery, Set<String> allowedCommands,
                         Path baseDir) {
        public Config {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            allowedCommands = Set.copyOf(allowedCommands);
            baseDir = baseDir.toAbsolutePath();
        }

        public Config(String workerId, int threads, int deliveryLimit, Duration renewEvery) {
            this(workerId, threads, deliveryLimit, renewEvery, Set.of(), Path.of(""));
        }

        boolean allows(String program) {
            return allowedCommands.contains("*") || allowedCommands.contains(program);
        }
    }

    /**
     * How long one poll waits. Short on purpose: a share fetch that hands back only a transaction marker (every job's
     * tasks end with one) leaves the poll waiting for its whole timeout before the next fetch, which with 500 ms
     * put 130 ms on a warm job's first piece (measured; see BENCHMARKS.md).
     */
    private static final Duration POLL = Duration.ofMillis(50);
    /** The most pieces a thread's batch consumer takes at once. */
    static final int BATCH = 256;
    /** A piece that runs under this is very short: a run of them is better taken in batches. */
    static final Duration VERY_SHORT = Duration.ofMillis(2);
    /** Very short pieces in a row before a thread takes pieces in batches. */
    static final int SHORT_STREAK = 32;
    /** A piece in a batch that runs past this is long: the pieces behind it are released. */
    static final Duration SHORT = Duration.ofMillis(20);
    /** A batch that has run this long releases the pieces it has not started (a backstop: 256 very short pieces take less). */
    static final Duration BATCH_BUDGET = Duration.ofSeconds(1);
    private final KafkaSettings settings;
    private final Config config;
    private final SpecParser parser;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final JobWatcher jobs;
    private final FleetMetrics metrics;

    public Worker(KafkaSettings settings, Config config, SpecParser parser) {
        this(settings, config, parser, FleetMetrics.none());
    }

    public Worker(KafkaSettings settings, Config config, SpecParser parser, FleetMetrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.config = config;
        this.parser = parser;
        Properties p = settings.client();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // a result is awaited before its record is accepted: do not hold it back hoping for a batch
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(64 << 20));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Codec.prime(TaskMessage.class, PieceResult.class);
        this.jobs = new JobWatcher(settings);
        try {
            new KafkaClientMetrics(producer).bindTo(metrics.registry());
        } catch (RuntimeException e) {
            LOGGER.warn("producer metrics not bound: {}", e.toString());
        }
    }

    /** Starts the consumer threads. */
    public void start() {
        jobs.start();
        producer.partitionsFor(settings.topics().pieces()); // the metadata now, not inside the first piece
        for (int i = 0; i < config.threads(); i++) {
            String name = config.workerId() + "-" + i;
            KafkaShareConsumer<String, byte[]> single = shareConsumer(name, 1);
            Thread t = new Thread(() -> loop(single, name), "binfleet-worker-" + name);
            threads.add(t);
            t.start();
        }
        LOGGER.info("worker started worker={} threads={}", config.workerId(), config.threads());
    }

    private KafkaShareConsumer<String, byte[]> shareConsumer(String clientId, int maxRecords) {
        Properties p = settings.client();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topics().workerGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        p.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxRecords));
        // the single-piece consumer rests while its thread works in batches: after max.poll.interval.ms (5 min) of
        // rest it leaves the group, holding no records, and joins again when next used (its first polls come back empty)
        KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(settings.topics().tasks()));
        return consumer;
    }

    /**
     * One worker thread. It takes one piece at a time from its {@code single} consumer, so that it holds a lock
     * only on the piece it runs. After {@link #SHORT_STREAK} pieces in a row that each ran under {@link #VERY_SHORT}
     * it switches to its {@code batch} consumer, which takes up to {@link #BATCH} pieces per fetch: for pieces of
     * a millisecond the fetch, acknowledgement and result round trips, not the pieces, are the cost. It goes back
     * to single pieces as soon as a piece runs past {@link #SHORT} or the batch past {@link #BATCH_BUDGET}; the
     * pieces of the batch it has not started then go back to the group at once. It switches consumers only after a
     * poll that returned records (see the empty-poll case below).
     */
    private void loop(KafkaShareConsumer<String, byte[]> single, String name) {
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "binfleet-piece-" + name));
        ShareConsumerMetrics consumerMetrics = new ShareConsumerMetrics(single);
        KafkaShareConsumer<String, byte[]> batch = shareConsumer(name + "-batch", BATCH);
        long nextRefresh = 0;
        boolean batching = false;
        int shortStreak = 0;
        try {
            while (running.get()) {
                if (System.nanoTime() - nextRefresh > 0) {
                    // the share consumer is confined to this thread, so its metrics are picked up here
                    consumerMetrics.refresh(metrics.registry());
                    nextRefresh = System.nanoTime() + 30_000_000_000L;
                }
                KafkaShareConsumer<String, byte[]> consumer = batching ? batch : single;
                try {
                    var records = consumer.poll(POLL);
                    if (records.isEmpty()) {
                        // stay with this consumer: a poll that came back empty may leave a fetch in flight, and the
                        // records it acquires would sit unseen, locked, in a consumer that is not polled
                        continue;
                    }
                    LOGGER.debug("took {} pieces worker={} batch={}", records.count(), name, batching);
                    Batch b = new Batch(consumer, new ArrayList<>(records.count()), name, runner);
                    records.forEach(b.records::add);
                    if (batching) {
                        metrics.piecesBatched(records.count());
                    }
                    long batchStart = System.nanoTime();
                    boolean stop = false;
                    while (b.next < b.records.size()) {
                        ConsumerRecord<String, byte[]> record = b.records.get(b.next++);
                        if (!running.get() || (stop && releasable(record))) {
                            // not started: back to the group
                            consumer.acknowledge(record, AcknowledgeType.RELEASE);
                            metrics.piecesReleased(1);
                            continue;
                        }
                        @SuppressWarnings("unchecked")
                        ConsumerRecord<String, byte[]>[] current = new ConsumerRecord[] {record};
                        long start = System.nanoTime();
                        Outcome o = handle(b, current);
                        b.done.add(new Done(current[0], o));
                        long ran = System.nanoTime() - start;
                        shortStreak = ran < VERY_SHORT.toNanos() ? shortStreak + 1 : 0;
                        stop = ran >= SHORT.toNanos() || System.nanoTime() - batchStart > BATCH_BUDGET.toNanos();
                    }
                    settle(consumer, b.done, name);
                    // batches go on until a piece runs long; single pieces until a run of very short ones
                    boolean next = batching ? !stop : shortStreak >= SHORT_STREAK && !stop;
                    if (batching && !next) {
                        // A resting batch consumer can still hold a fetch in flight (seen: records it took sat
                        // locked for the whole lock timeout while it was not polled). Closing it commits its
                        // acknowledgements and gives back whatever it took; a fresh one, not polled until next
                        // needed, takes nothing.
                        closeQuietly(batch, name);
                        batch = shareConsumer(name + "-batch", BATCH);
                    } else if (next != batching || !running.get()) {
                        // this consumer rests now: its acknowledgements go out with it
                        consumer.commitSync();
                    }
                    // otherwise they ride on this consumer's next fetch: one round trip fewer per piece
                    batching = next;
                } catch (WakeupException | org.apache.kafka.common.errors.AuthorizationException
                         | org.apache.kafka.common.errors.AuthenticationException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // a retriable or unexpected client error: log it and go on polling
                    LOGGER.warn("worker poll loop error, continuing worker={} error={}", name, e.toString());
                    sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOGGER.error("worker thread stopped on a fatal error worker={}", name, e);
        } finally {
            runner.shutdownNow();
            closeQuietly(single, name);
            closeQuietly(batch, name);
        }
    }

    /** Commits the acknowledgements still pending, then leaves the group, giving back any record not acknowledged. */
    private static void closeQuietly(KafkaShareConsumer<String, byte[]> consumer, String name) {
        try {
            consumer.commitSync();
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOGGER.debug("closing share consumer worker={}", name, e);
        }
    }

    /** What a piece earned: its acknowledgement, given once the send of its result or failure record (if any) completed. */
    private record Outcome(AcknowledgeType ack, Future<RecordMetadata> sent) {
        static Outcome of(AcknowledgeType ack) {
            return new Outcome(ack, null);
        }
    }

    private record Done(ConsumerRecord<String, byte[]> record, Outcome outcome) {
    }

    /** The records of one poll: those handled so far ({@code done}) and the index of the next to start. */
    private final class Batch {
        final KafkaShareConsumer<String, byte[]> consumer;
        final List<ConsumerRecord<String, byte[]>> records;
        final List<Done> done = new ArrayList<>();
        final String name;
        final ExecutorService runner;
        int next;

        Batch(KafkaShareConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> records, String name,
              ExecutorService runner) {
            this.consumer = consumer;
            this.records = records;
            this.name = name;
            this.runner = runner;
        }

        /**
         * A long piece is running: settles the finished pieces and gives back the ones not started, so that other
         * workers run them meanwhile. A record that has used up all but one of its deliveries is kept (a release
         * would count as one more) and runs after the long piece.
         */
        void shed() {
            if (!holdsOthers()) {
                return;
            }
            settle(consumer, done, name);
            done.clear();
            int released = 0;
            for (int i = records.size() - 1; i >= next; i--) {
                if (releasable(records.get(i))) {
                    consumer.acknowledge(records.remove(i), AcknowledgeType.RELEASE);
                    released++;
                }
            }
            consumer.commitSync();
            if (released > 0) {
                metrics.piecesReleased(released);
                LOGGER.debug("a long piece in a batch: released the {} behind it worker={}", released, name);
            }
        }

        /** The records taken but not started (after {@link #shed()}: only those kept). */
        List<ConsumerRecord<String, byte[]>> waiting() {
            return records.subList(next, records.size());
        }

        boolean holdsOthers() {
            return !done.isEmpty() || next < records.size();
        }
    }

    /** Waits for the pieces' results to be written, then acknowledges each; a piece whose result was lost is released. */
    private void settle(KafkaShareConsumer<String, byte[]> consumer, List<Done> done, String name) {
        if (done.stream().anyMatch(d -> d.outcome().sent() != null)) {
            producer.flush();
        }
        for (Done d : done) {
            AcknowledgeType ack = d.outcome().ack();
            if (d.outcome().sent() != null) {
                try {
                    d.outcome().sent().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ack = AcknowledgeType.RELEASE;
                } catch (ExecutionException e) {
                    LOGGER.warn("piece result not written, piece released worker={} offset={} error={}", name,
                            d.record().offset(), String.valueOf(e.getCause()));
                    ack = AcknowledgeType.RELEASE;
                }
            }
            try {
                consumer.acknowledge(d.record(), ack);
            } catch (IllegalStateException e) {
                LOGGER.warn("could not acknowledge; the piece will be delivered again worker={} offset={} error={}",
                        name, d.record().offset(), e.getMessage());
            }
        }
    }

    private Outcome handle(Batch batch, ConsumerRecord<String, byte[]>[] current) {
        String name = batch.name;
        ConsumerRecord<String, byte[]> record = current[0];
        int attempt = record.deliveryCount().map(Short::intValue).orElse(1);
        TaskMessage task;
        try {
            task = Codec.read(record.value(), TaskMessage.class);
        } catch (RuntimeException e) {
            LOGGER.warn("unreadable task sent to the DLQ topic={} partition={} offset={} error={}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            dlq(record.key(), record.value(), "unreadable task: " + e.getMessage());
            return Outcome.of(AcknowledgeType.REJECT);
        }
        if (jobs.ended(task.jobId())) {
            LOGGER.debug("piece of an ended job skipped jobId={} piece={} worker={}", task.jobId(), task.piece(), name);
            metrics.pieceStarted();
            metrics.pieceEnded(task.simulation().path("name").asText("unknown"), "skipped", Duration.ZERO);
            return Outcome.of(AcknowledgeType.ACCEPT);
        }
        long seed = task.seed() != null ? task.seed() : Seeds.entropy();
        TaskMessage effective = task.withAttempt(attempt, seed);
        long start = System.nanoTime();
        String simulationName = task.simulation().path("name").asText("unknown");
        metrics.pieceStarted();
        AcknowledgeType outcome = AcknowledgeType.REJECT;
        try (var j = org.slf4j.MDC.putCloseable("jobId", task.jobId());
             var p = org.slf4j.MDC.putCloseable("piece", Integer.toString(task.piece()));
             var w = org.slf4j.MDC.putCloseable("worker", name)) {
            Outcome o = run(batch, current, task, effective, seed, attempt, start);
            outcome = o.ack();
            return o;
        } finally {
            metrics.pieceEnded(simulationName, outcome == AcknowledgeType.ACCEPT ? "ok"
                    : outcome == AcknowledgeType.RELEASE ? "retry" : "failed", Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Outcome run(Batch batch, ConsumerRecord<String, byte[]>[] current, TaskMessage task, TaskMessage effective,
                        long seed, int attempt, long start) {
        String name = batch.name;
        try {
            SystemModel system = parser.system(task.system(), "system");
            Simulation simulation = parser.simulation(task.simulation(), system, "simulation");
            ObjectNode json = effective.toJson();
            Future<PieceOutput> future = batch.runner.submit(() -> simulation.run(new Context(json, task.jobId()), Seeds.generator(seed)));
            PieceOutput output = await(batch, current, future);
            double seconds = (System.nanoTime() - start) / 1e9;
            Future<RecordMetadata> sent = publish(PieceResult.ok(task.jobId(), task.piece(), task.pieces(), seed, name, seconds,
                    attempt, output, System.currentTimeMillis()));
            LOGGER.debug("piece done jobId={} piece={} worker={} seconds={}", task.jobId(), task.piece(), name, seconds);
            return new Outcome(AcknowledgeType.ACCEPT, sent);
        } catch (SpecException | PieceFailedException e) {
            return failForGood(task, seed, name, start, attempt, e.getMessage());
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (jobs.ended(task.jobId())) {
                LOGGER.info("piece of an ended job stopped jobId={} piece={} worker={}", task.jobId(), task.piece(), name);
                return Outcome.of(AcknowledgeType.ACCEPT);
            }
            if (!running.get()) {
                LOGGER.info("piece interrupted by shutdown, released jobId={} piece={} worker={}", task.jobId(), task.piece(), name);
                return Outcome.of(AcknowledgeType.RELEASE);
            }
            if (cause instanceof PieceFailedException) {
                return failForGood(task, seed, name, start, attempt, cause.getMessage());
            }
            String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (attempt >= config.deliveryLimit()) {
                return failForGood(task, seed, name, start, attempt, "failed " + attempt + " times, last: " + reason);
            }
            LOGGER.info("piece failed, released for retry jobId={} piece={} worker={} attempt={} error={}", task.jobId(),
                    task.piece(), name, attempt, reason);
            return Outcome.of(AcknowledgeType.RELEASE);
        }
    }

    /**
     * Waits for the piece, renewing the record's lock while it runs. A renewed record is handed back by the next
     * poll (KAFKA-20458) and only then can be acknowledged again, so each renewal polls until it is back; anything
     * else a poll acquires meanwhile is released at once.
     */
    private PieceOutput await(Batch batch, ConsumerRecord<String, byte[]>[] current, Future<PieceOutput> future)
            throws Exception {
        KafkaShareConsumer<String, byte[]> consumer = batch.consumer;
        if (batch.holdsOthers()) {
            try {
                return future.get(SHORT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // a long piece in a batch: the pieces behind it go back to the group now, not after it
                batch.shed();
            }
        }
        Set<String> away = new java.util.HashSet<>();
        try {
            while (true) {
                try {
                    return future.get(config.renewEvery().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (away.isEmpty()) {
                        // renew the running piece and any kept behind it
                        consumer.acknowledge(current[0], AcknowledgeType.RENEW);
                        away.add(key(current[0]));
                        for (ConsumerRecord<String, byte[]> r : batch.waiting()) {
                            consumer.acknowledge(r, AcknowledgeType.RENEW);
                            away.add(key(r));
                        }
                        // completes the renewal now, so that the poll below only hands the records back: a poll
                        // that returns renewed records fetches nothing new
                        consumer.commitSync();
                    }
                    takeBack(batch, current, away, Duration.ofMillis(100));
                }
            }
        } finally {
            if (!away.isEmpty() && !takeBack(batch, current, away, Duration.ofSeconds(30))) {
                LOGGER.warn("renewed records did not come back; they will be delivered again topic={} offsets={}",
                        current[0].topic(), away);
            }
        }
    }

    private static String key(ConsumerRecord<?, ?> r) {
        return r.topic() + "/" + r.partition() + "/" + r.offset();
    }

    /** Whether a record may go back to the group unstarted: only while the release leaves it two deliveries. */
    private boolean releasable(ConsumerRecord<String, byte[]> record) {
        return record.deliveryCount().orElse((short) 1) <= config.deliveryLimit() - 2;
    }

    /**
     * Polls until the renewed records ({@code away}, by key) are handed back, or {@code timeout} passes; puts each
     * one back in its place (the running one in {@code current}) and releases anything else a poll acquires.
     *
     * @return whether all are back
     */
    private boolean takeBack(Batch batch, ConsumerRecord<String, byte[]>[] current, Set<String> away, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (ConsumerRecord<String, byte[]> r : batch.consumer.poll(Duration.ZERO)) {
                String key = key(r);
                if (!away.remove(key)) {
                    LOGGER.warn("record acquired while renewing, released offset={} deliveryCount={}", r.offset(),
                            r.deliveryCount().orElse((short) 0));
                    batch.consumer.acknowledge(r, AcknowledgeType.RELEASE);
                } else if (key.equals(key(current[0]))) {
                    current[0] = r;
                } else {
                    List<ConsumerRecord<String, byte[]>> waiting = batch.waiting();
                    for (int i = 0; i < waiting.size(); i++) {
                        if (key(waiting.get(i)).equals(key)) {
                            waiting.set(i, r);
                        }
                    }
                }
            }
            if (away.isEmpty()) {
                return true;
            }
            sleep(10);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private Outcome failForGood(TaskMessage task, long seed, String name, long start, int attempt, String reason) {
        LOGGER.warn("piece failed for good jobId={} piece={} worker={} attempt={} error={}", task.jobId(), task.piece(), name,
                attempt, reason);
        Future<RecordMetadata> sent = publish(PieceResult.failed(task.jobId(), task.piece(), task.pieces(), seed, name,
                (System.nanoTime() - start) / 1e9, attempt, reason, System.currentTimeMillis()));
        dlq(task.jobId(), Codec.write(task), "piece " + task.piece() + " failed: " + reason);
        return new Outcome(AcknowledgeType.REJECT, sent);
    }

    /** Sends a piece's result; the piece is acknowledged only once the send completed ({@link #settle}). */
    private Future<RecordMetadata> publish(PieceResult result) {
        return producer.send(new ProducerRecord<>(settings.topics().pieces(), result.jobId(), Codec.write(result)));
    }

    private void dlq(String key, byte[] value, String error) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(settings.topics().dlq(), key, value);
        r.headers().add("binfleet.error", error.getBytes(StandardCharsets.UTF_8));
        r.headers().add("binfleet.source", "worker".getBytes(StandardCharsets.UTF_8));
        producer.send(r);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every one of this worker's share consumers has joined the group and been assigned the tasks
     * topic, so that a job submitted next is picked up at once (joining takes a couple of heartbeats).
     *
     * @return false if that did not happen within {@code timeout}
     */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(settings.client())) {
            while (System.nanoTime() < deadline) {
                try {
                    String group = settings.topics().workerGroup();
                    long assigned = admin.describeShareGroups(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group).members()
                            .stream().filter(m -> m.clientId().startsWith(config.workerId() + "-"))
                            .filter(m -> !m.clientId().endsWith("-batch")) // batch consumers join on first use
                            .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                    if (assigned >= config.threads()) {
                        return true;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LOGGER.debug("share group not described yet: {}", e.toString());
                }
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** Stops taking pieces, waits for the threads, closes the clients. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(10));
        jobs.close();
        LOGGER.info("worker stopped worker={}", config.workerId());
    }

    private final class Context implements PieceContext {
        private final ObjectNode task;
        private final String jobId;

        Context(ObjectNode task, String jobId) {
            this.task = task;
            this.jobId = jobId;
        }

        @Override
        public ObjectNode task() {
            return task;
        }

        @Override
        public boolean cancelled() {
            return !running.get() || jobs.ended(jobId);
        }

        @Override
        public boolean allows(String program) {
            return config.allows(program);
        }

        @Override
        public java.nio.file.Path baseDir() {
            return config.baseDir();
        }
    }
}
