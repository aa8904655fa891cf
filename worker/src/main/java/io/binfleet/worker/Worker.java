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
 * record at a time, so that a worker holds locks only on the pieces it is executing. Per piece: reseed, run,
 * publish the result (idempotent, acks=all), then ACCEPT. A failure is RELEASEd for retry until the delivery
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
    private final KafkaSettings settings;
    private final Config config;
    private final SpecParser parser;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Thread> threads = new ArrayList<>();
    private final List<KafkaShareConsumer<String, byte[]>> consumers = new ArrayList<>();
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
            Properties p = settings.client();
            p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topics().workerGroup());
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-" + i);
            p.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
            p.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
            KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(p, new StringDeserializer(),
                    new ByteArrayDeserializer());
            consumers.add(consumer);
            String name = config.workerId() + "-" + i;
            Thread t = new Thread(() -> loop(consumer, name), "binfleet-worker-" + name);
            threads.add(t);
            t.start();
        }
        LOGGER.info("worker started worker={} threads={}", config.workerId(), config.threads());
    }

    private void loop(KafkaShareConsumer<String, byte[]> consumer, String name) {
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "binfleet-piece-" + name));
        ShareConsumerMetrics consumerMetrics = new ShareConsumerMetrics(consumer);
        long nextRefresh = 0;
        try {
            consumer.subscribe(List.of(settings.topics().tasks()));
            while (running.get()) {
                if (System.nanoTime() - nextRefresh > 0) {
                    // the share consumer is confined to this thread, so its metrics are picked up here
                    consumerMetrics.refresh(metrics.registry());
                    nextRefresh = System.nanoTime() + 30_000_000_000L;
                }
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        if (!running.get()) {
                            consumer.acknowledge(record, AcknowledgeType.RELEASE);
                            continue;
                        }
                        @SuppressWarnings("unchecked")
                        ConsumerRecord<String, byte[]>[] current = new ConsumerRecord[] {record};
                        AcknowledgeType ack = handle(consumer, runner, current, name);
                        try {
                            consumer.acknowledge(current[0], ack);
                        } catch (IllegalStateException e) {
                            LOGGER.warn("could not acknowledge; the piece will be delivered again worker={} offset={} error={}",
                                    name, current[0].offset(), e.getMessage());
                        }
                    }
                    consumer.commitSync();
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
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOGGER.debug("closing share consumer worker={}", name, e);
            }
        }
    }

    private AcknowledgeType handle(KafkaShareConsumer<String, byte[]> consumer, ExecutorService runner,
                                   ConsumerRecord<String, byte[]>[] current, String name) {
        ConsumerRecord<String, byte[]> record = current[0];
        int attempt = record.deliveryCount().map(Short::intValue).orElse(1);
        TaskMessage task;
        try {
            task = Codec.read(record.value(), TaskMessage.class);
        } catch (RuntimeException e) {
            LOGGER.warn("unreadable task sent to the DLQ topic={} partition={} offset={} error={}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            dlq(record.key(), record.value(), "unreadable task: " + e.getMessage());
            return AcknowledgeType.REJECT;
        }
        if (jobs.ended(task.jobId())) {
            LOGGER.debug("piece of an ended job skipped jobId={} piece={} worker={}", task.jobId(), task.piece(), name);
            metrics.pieceStarted();
            metrics.pieceEnded(task.simulation().path("name").asText("unknown"), "skipped", Duration.ZERO);
            return AcknowledgeType.ACCEPT;
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
            outcome = run(consumer, runner, current, name, task, effective, seed, attempt, start);
            return outcome;
        } finally {
            metrics.pieceEnded(simulationName, outcome == AcknowledgeType.ACCEPT ? "ok"
                    : outcome == AcknowledgeType.RELEASE ? "retry" : "failed", Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private AcknowledgeType run(KafkaShareConsumer<String, byte[]> consumer, ExecutorService runner,
                                ConsumerRecord<String, byte[]>[] current, String name, TaskMessage task, TaskMessage effective,
                                long seed, int attempt, long start) {
        try {
            SystemModel system = parser.system(task.system(), "system");
            Simulation simulation = parser.simulation(task.simulation(), system, "simulation");
            ObjectNode json = effective.toJson();
            Future<PieceOutput> future = runner.submit(() -> simulation.run(new Context(json, task.jobId()), Seeds.generator(seed)));
            PieceOutput output = await(consumer, current, future);
            double seconds = (System.nanoTime() - start) / 1e9;
            publish(PieceResult.ok(task.jobId(), task.piece(), task.pieces(), seed, name, seconds, attempt, output,
                    System.currentTimeMillis()));
            LOGGER.debug("piece done jobId={} piece={} worker={} seconds={}", task.jobId(), task.piece(), name, seconds);
            return AcknowledgeType.ACCEPT;
        } catch (SpecException | PieceFailedException e) {
            return failForGood(task, seed, name, start, attempt, e.getMessage());
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (jobs.ended(task.jobId())) {
                LOGGER.info("piece of an ended job stopped jobId={} piece={} worker={}", task.jobId(), task.piece(), name);
                return AcknowledgeType.ACCEPT;
            }
            if (!running.get()) {
                LOGGER.info("piece interrupted by shutdown, released jobId={} piece={} worker={}", task.jobId(), task.piece(), name);
                return AcknowledgeType.RELEASE;
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
            return AcknowledgeType.RELEASE;
        }
    }

    /**
     * Waits for the piece, renewing the record's lock while it runs. A renewed record is handed back by the next
     * poll (KAFKA-20458) and only then can be acknowledged again, so each renewal polls until it is back; anything
     * else a poll acquires meanwhile is released at once.
     */
    private PieceOutput await(KafkaShareConsumer<String, byte[]> consumer, ConsumerRecord<String, byte[]>[] current,
                              Future<PieceOutput> future) throws Exception {
        boolean inHand = true;
        try {
            while (true) {
                try {
                    return future.get(config.renewEvery().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (inHand) {
                        consumer.acknowledge(current[0], AcknowledgeType.RENEW);
                        // completes the renewal now, so that the poll below only hands the record back: a poll
                        // that returns renewed records fetches nothing new
                        consumer.commitSync();
                        inHand = false;
                    }
                    inHand = takeBack(consumer, current, Duration.ofMillis(100));
                }
            }
        } finally {
            if (!inHand && !takeBack(consumer, current, Duration.ofSeconds(30))) {
                LOGGER.warn("renewed record did not come back; it will be delivered again topic={} offset={}",
                        current[0].topic(), current[0].offset());
            }
        }
    }

    /** Polls until the renewed record is handed back (true) or {@code timeout} passes; releases anything else. */
    private static boolean takeBack(KafkaShareConsumer<String, byte[]> consumer, ConsumerRecord<String, byte[]>[] current,
                                    Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            boolean back = false;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ZERO)) {
                if (r.partition() == current[0].partition() && r.offset() == current[0].offset()
                        && r.topic().equals(current[0].topic())) {
                    current[0] = r;
                    back = true;
                } else {
                    LOGGER.warn("record acquired while renewing, released offset={} deliveryCount={}", r.offset(),
                            r.deliveryCount().orElse((short) 0));
                    consumer.acknowledge(r, AcknowledgeType.RELEASE);
                }
            }
            if (back) {
                return true;
            }
            sleep(10);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private AcknowledgeType failForGood(TaskMessage task, long seed, String name, long start, int attempt, String reason) {
        LOGGER.warn("piece failed for good jobId={} piece={} worker={} attempt={} error={}", task.jobId(), task.piece(), name,
                attempt, reason);
        publish(PieceResult.failed(task.jobId(), task.piece(), task.pieces(), seed, name, (System.nanoTime() - start) / 1e9,
                attempt, reason, System.currentTimeMillis()));
        dlq(task.jobId(), Codec.write(task), "piece " + task.piece() + " failed: " + reason);
        return AcknowledgeType.REJECT;
    }

    private void publish(PieceResult result) {
        try {
            producer.send(new ProducerRecord<>(settings.topics().pieces(), result.jobId(), Codec.write(result))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a piece result", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the piece result: " + e.getCause(), e);
        }
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
