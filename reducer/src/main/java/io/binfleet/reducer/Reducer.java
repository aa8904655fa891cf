package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private KafkaStreamsMetrics metricsBinder;

    public Reducer(KafkaSettings settings, Config config, SpecParser parser) {
        this(settings, config, parser, ReducerMetrics.none());
    }

    /** A reducer whose meters (and Kafka Streams') go into {@code registry}. */
    public Reducer(KafkaSettings settings, Config config, SpecParser parser, MeterRegistry registry) {
        this(settings, config, parser, new ReducerMetrics(registry));
    }

    private Reducer(KafkaSettings settings, Config config, SpecParser parser, ReducerMetrics metrics) {
        try (Admin admin = Admin.create(settings.client())) {
            settings.topics().ensure(admin);
        }
        Codec.prime(PieceResult.class, JobEvent.class, JobState.class, JobResult.class);
        Properties p = settings.client();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.topics().prefix() + "reducer");
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
        streams.setUncaughtExceptionHandler(e -> {
            LOGGER.error("reducer stream thread failed; shutting down the reducer", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            LOGGER.debug("reducer state {} -> {}", before, now);
        });
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

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (metricsBinder != null) {
            metricsBinder.close();
        }
        LOGGER.info("reducer stopped");
    }
}
