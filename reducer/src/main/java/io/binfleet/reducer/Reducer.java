package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reducer service: a Kafka Streams application ({@code exactly_once_v2}, persistent stores) running
 * {@link ReducerTopology}. With an out folder it writes every merged result as {@code OUT/<jobId>/result.json},
 * {@code result.csv}, {@code plot.png}.
 */
public final class Reducer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Reducer.class);

    /**
     * @param stateDir where the stores live (kept across restarts)
     * @param outDir   where to write result files, or {@code null} for none
     */
    public record Config(Path stateDir, Duration stallTimeout, Path outDir) {
        public static final Duration DEFAULT_STALL = Duration.ofMinutes(30);
    }

    /** How many stream threads that died of an error are replaced, in a row, before the reducer gives up. */
    static final int REPLACEMENTS = 3;

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger replaced = new AtomicInteger();
    private volatile boolean closing;
    private KafkaStreamsMetrics metricsBinder;

    public Reducer(KafkaSettings settings, Config config, SpecParser parser) {
        this(settings, config, parser, ReducerMetrics.none(), ensureTopics(settings));
    }

    /** A reducer whose meters (and Kafka Streams') go into {@code registry}. */
    public Reducer(KafkaSettings settings, Config config, SpecParser parser, MeterRegistry registry) {
        this(settings, config, parser, new ReducerMetrics(registry), ensureTopics(settings));
    }

    /**
     * A reducer on topics its caller has just made: {@code replication} is what {@link Topics#ensure} answered, and
     * this reducer does not ask again.
     */
    public Reducer(
            KafkaSettings settings,
            Config config,
            SpecParser parser,
            MeterRegistry registry,
            Topics.Replication replication) {
        this(settings, config, parser, new ReducerMetrics(registry), replication);
    }

    private static Topics.Replication ensureTopics(KafkaSettings settings) {
        try (Admin admin = Admin.create(settings.client())) {
            return settings.topics().ensure(admin);
        }
    }

    private Reducer(
            KafkaSettings settings,
            Config config,
            SpecParser parser,
            ReducerMetrics metrics,
            Topics.Replication replication) {
        // from the cache, before Kafka Streams copies it out of its jar by itself (20 ms against 0.26 s)
        RocksDbLibrary.loadOnce();
        Codec.prime(PieceResult.class, JobEvent.class, JobState.class, JobResult.class);
        Properties p = settings.client();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.topics().reducerGroup());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        // a merged result is visible only once its transaction commits: a job's end asks for a commit at once
        // (JobBook), progress waits for the interval; and no idle poll (100 ms by default) stands in between
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.POLL_MS_CONFIG, "10");
        p.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(Limits.MAX_MESSAGE_BYTES));
        p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), Integer.toString(Limits.MAX_MESSAGE_BYTES));
        p.put(StreamsConfig.consumerPrefix("fetch.max.wait.ms"), "50");
        // a reducer that died is replaced after 10 s, not the default 45 s
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "10000");
        p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), "3000");
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        // its changelogs and repartition topics as binfleet's own: as many copies, the same min.insync.replicas
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replication.factor());
        p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), replication.minInsyncReplicas());
        Path out = config.outDir();
        streams = new KafkaStreams(
                ReducerTopology.build(
                        settings.topics(),
                        parser,
                        config.stallTimeout(),
                        result -> write(out, result, parser),
                        metrics),
                p);
        try {
            metricsBinder = new KafkaStreamsMetrics(streams);
            metricsBinder.bindTo(metrics.registry());
        } catch (RuntimeException e) {
            LOGGER.warn("Kafka Streams metrics not bound: {}", e.toString());
        }
        streams.setUncaughtExceptionHandler(this::threadFailed);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
                replaced.set(0);
            }
            if (now == KafkaStreams.State.ERROR
                    || (now == KafkaStreams.State.NOT_RUNNING && !closing)
                    || (now == KafkaStreams.State.PENDING_ERROR)) {
                failure.compareAndSet(
                        null, new IllegalStateException("Kafka Streams went from " + before + " to " + now));
                stopped.countDown();
            }
            LOGGER.debug("reducer state {} -> {}", before, now);
        });
    }

    /**
     * A stream thread died: its tasks go to a new thread (exactly once survives that: the transaction in flight is
     * aborted and redone), unless threads keep dying before the reducer runs again, which a retry will not mend.
     */
    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse threadFailed(Throwable e) {
        if (replaced.incrementAndGet() <= REPLACEMENTS) {
            LOGGER.warn("reducer stream thread failed; replacing it error={}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOGGER.error("reducer stream thread failed {} times in a row; stopping the reducer", REPLACEMENTS + 1, e);
        failure.compareAndSet(null, e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static void write(Path out, JobResult result, SpecParser parser) {
        if (out == null) {
            return;
        }
        try {
            ResultFiles.write(ResultFiles.folder(out, result.jobId()), result, parser);
        } catch (RuntimeException e) {
            LOGGER.warn("cannot write result files jobId={} error={}", result.jobId(), e.getMessage());
        }
    }

    public void start() {
        streams.start();
    }

    /** Waits until the reducer has joined its group and is processing. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Why the reducer stopped by itself (not by {@link #close()}), if it did: it processes nothing any more. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /**
     * Waits until the reducer stops by itself (an error it could not recover from) or is closed.
     *
     * @return why it stopped by itself, or empty if it was closed or {@code timeout} passed first
     */
    public Optional<Throwable> awaitStopped(Duration timeout) throws InterruptedException {
        stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return failure();
    }

    @Override
    public void close() {
        closing = true;
        streams.close(Duration.ofSeconds(30));
        stopped.countDown();
        if (metricsBinder != null) {
            metricsBinder.close();
        }
        LOGGER.info("reducer stopped");
    }
}
