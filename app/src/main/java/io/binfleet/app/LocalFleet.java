package io.binfleet.app;

import io.binfleet.broker.EmbeddedBroker;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;
import io.binfleet.kafka.Topics;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.reducer.Reducer;
import io.binfleet.worker.Worker;
import io.binfleet.worker.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A whole fleet in this JVM: a broker (embedded, unless settings for an existing cluster are given) and binfleet's
 * topics on it, then a reducer, workers, a job watcher and a submitter, started side by side and closed in reverse. It
 * is how {@code binfleet run} runs a job, and what the warm-latency benchmark and the whole-fleet tests run on.
 */
public final class LocalFleet implements Fleet {
    private static final Logger LOGGER = LoggerFactory.getLogger(LocalFleet.class);
    /** How long start-up waits for the reducer to join its group before going on without waiting further. */
    private static final Duration REDUCER_START = Duration.ofSeconds(60);

    private final Closer closer = new Closer();
    private final KafkaSettings settings;
    private final boolean embedded;
    private final Reducer reducer;
    private final List<Worker> workers = new ArrayList<>();
    private final JobWatcher watcher;
    private final JobSubmitter submitter;
    private final SpecParser parser;
    /** Warm-up tombstones the submitter puts on the tasks topic per worker thread. */
    private static final int WARM_UPS_PER_THREAD = 2;
    /**
     * The warm-up tombstones on the tasks topic when nothing else is there: a throwaway embedded broker's. Zero when
     * other records may be before them (kept data, an existing cluster).
     */
    private final int freshWarmUps;

    private LocalFleet(Builder b) throws IOException, InterruptedException {
        parser = b.parser;
        int warmUps = WARM_UPS_PER_THREAD * b.workers * b.threads;
        freshWarmUps = b.settings == null && b.brokerData == null ? warmUps : 0;
        // threads made by the services' start inherit these threads' (non-daemon) kind, as they did the caller's
        ExecutorService starting = Executors.newFixedThreadPool(2, r -> new Thread(r, "binfleet-fleet-start"));
        List<Future<?>> started = new ArrayList<>();
        try {
            embedded = b.settings == null;
            settings = embedded
                    ? KafkaSettings.of(closer.add(EmbeddedBroker.start(b.brokerPort, b.brokerData))
                            .bootstrapServers())
                    : b.settings;
            Topics.Replication replication;
            try (Admin admin = Admin.create(settings.client())) {
                replication = settings.topics().ensure(admin);
            }
            Path state;
            if (b.reducerState != null) {
                state = Files.createDirectories(b.reducerState);
            } else {
                Path temporary = Files.createTempDirectory("binfleet-reducer-");
                closer.add(() -> Deletes.tree(temporary));
                state = temporary;
            }
            // the reducer, the submitter and the workers start side by side: none waits for another
            Future<Reducer> reducerStarted = starting.submit(() -> {
                Reducer r = closer.add(new Reducer(
                        settings, new Reducer.Config(state, b.stallTimeout, null), b.parser, b.registry, replication));
                r.start();
                return r;
            });
            started.add(reducerStarted);
            Future<JobWatcher> watcherStarted = starting.submit(() -> closer.add(new JobWatcher(settings).start()));
            started.add(watcherStarted);
            Future<JobSubmitter> submitterStarted = starting.submit(() -> {
                JobSubmitter s = closer.add(new JobSubmitter(settings, b.parser, b.registry));
                // the first job's submit then commits as fast as the next ones, and each worker thread's first
                // acknowledgement is recorded as fast as the next ones
                s.warmUp(warmUps);
                return s;
            });
            started.add(submitterStarted);
            for (int i = 0; i < b.workers; i++) {
                String id = b.workers == 1 ? b.workerId : b.workerId + i;
                Worker w = closer.add(new Worker(
                        settings,
                        new WorkerConfig(id, b.threads, b.renewEvery, b.allowedCommands, b.baseDir)
                                .withJobCode(true, b.codeCache),
                        b.parser,
                        b.registry));
                workers.add(w);
                w.start();
            }
            reducer = result(reducerStarted);
            watcher = result(watcherStarted);
            submitter = result(submitterStarted);
            if (b.awaitReducer && !reducer.awaitRunning(REDUCER_START)) {
                // a slow machine: jobs submitted meanwhile wait for it, nothing is lost
                LOGGER.warn("the reducer has not joined its group within {} s; going on", REDUCER_START.toSeconds());
            }
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            // what is still starting is added to the closer before it closes
            for (Future<?> f : started) {
                try {
                    f.get();
                } catch (ExecutionException | CancellationException | InterruptedException ignored) {
                    // its own error, if any, is not the first
                }
            }
            closer.close();
            throw e;
        } finally {
            starting.shutdown();
        }
    }

    /** What a start-up task made, or its error as it was thrown. */
    private static <T> T result(Future<T> task) throws IOException, InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public KafkaSettings settings() {
        return settings;
    }

    /** Whether this fleet runs its own embedded broker. */
    public boolean embedded() {
        return embedded;
    }

    public List<Worker> workers() {
        return List.copyOf(workers);
    }

    public Reducer reducer() {
        return reducer;
    }

    @Override
    public JobWatcher watcher() {
        return watcher;
    }

    /**
     * Waits until every worker thread has joined the share group, so that a job submitted next is picked up at once. On
     * a throwaway embedded broker, until the workers have taken and acknowledged every warm-up tombstone (two per
     * thread, so that each thread almost always has one): a thread that did has been through its join, first fetch
     * and first acknowledgement, and takes the next piece in one fetch (one only assigned was still 0.05-0.1 s from
     * its first piece), and nothing of the warm-up lies before the job's pieces. Elsewhere, until the group shows
     * every thread assigned.
     *
     * @return false if some had not within {@code timeout}
     */
    public boolean awaitWorkers(Duration timeout) throws InterruptedException {
        if (freshWarmUps > 0) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (workers.stream().mapToInt(Worker::warmUpsAcknowledged).sum() < freshWarmUps) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.sleep(2);
            }
            return true;
        }
        for (Worker w : workers) {
            if (!w.awaitAssigned(timeout)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why this fleet can no longer finish a job, if it cannot: its reducer or one of its workers stopped on an error
     * it could not recover from (the service logged it in full).
     */
    @Override
    public Optional<String> problem() {
        Optional<Throwable> reducerFailure = reducer.failure();
        if (reducerFailure.isPresent()) {
            return Optional.of("the reducer stopped: " + reducerFailure.get());
        }
        for (Worker w : workers) {
            Optional<Throwable> workerFailure = w.failure();
            if (workerFailure.isPresent()) {
                return Optional.of("a worker stopped: " + workerFailure.get());
            }
        }
        return Optional.empty();
    }

    @Override
    public JobSubmitter.Submitted submit(JobSpec spec) {
        return submitter.submit(spec);
    }

    /** Submits {@code spec} with the code it needs from {@code folder} (see {@link JobSubmitter#submit(JobSpec, Path)}). */
    @Override
    public JobSubmitter.Submitted submit(JobSpec spec, Path folder) {
        return submitter.submit(spec, folder);
    }

    /** Validates and submits a spec document with the code it needs from {@code folder} (null: none). */
    public JobSubmitter.Submitted submit(byte[] spec, Path folder) {
        return submitter.submit(parser.parse(spec), folder);
    }

    /** Validates and submits a spec document; returns the job id. */
    public String submit(String spec) {
        return submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
    }

    /** The job's end (DONE, FAILED or CANCELLED), or empty if it has not ended within {@code timeout}. */
    public Optional<JobEvent> awaitEnd(String jobId, Duration timeout) throws InterruptedException {
        return watcher.await(jobId, e -> e.state().terminal(), timeout);
    }

    /** The job's merged result, waiting up to {@code timeout} for it. */
    @Override
    public Optional<JobResult> result(String jobId, Duration timeout) {
        return ResultReader.fetch(settings, jobId, timeout);
    }

    @Override
    public void close() {
        closer.close();
    }

    /** What fleet to start; every setting has a default. */
    public static final class Builder {
        private KafkaSettings settings;
        private int brokerPort;
        private Path brokerData;
        private Path reducerState;
        private int workers = 1;
        private int threads = Runtime.getRuntime().availableProcessors();
        private String workerId = "local-" + ProcessHandle.current().pid();
        private Duration renewEvery = Duration.ofSeconds(10);
        private Duration stallTimeout = Reducer.Config.DEFAULT_STALL;
        private Set<String> allowedCommands = Set.of();
        private Path baseDir = Path.of("");
        private Path codeCache = WorkerConfig.defaultCodeCache();
        private SpecParser parser = SpecParser.builtin();
        private MeterRegistry registry = new SimpleMeterRegistry();
        private boolean awaitReducer = true;

        private Builder() {}

        /**
         * Whether start-up waits for the reducer to join its group (the default); a fleet that does not wait takes
         * jobs a second sooner, and the reducer merges their pieces once it runs.
         */
        public Builder awaitReducer(boolean value) {
            awaitReducer = value;
            return this;
        }

        /** Run on this cluster instead of an embedded broker. */
        public Builder settings(KafkaSettings value) {
            settings = value;
            return this;
        }

        /**
         * The embedded broker's client port (0: any free one) and the folder its data is kept in across restarts
         * (null: a temporary one, deleted on close).
         */
        public Builder embeddedBroker(int port, Path dataDir) {
            brokerPort = port;
            brokerData = dataDir;
            return this;
        }

        /** Where the reducer keeps its state across restarts (default: a temporary folder, deleted on close). */
        public Builder reducerState(Path dir) {
            reducerState = dir;
            return this;
        }

        /** {@code count} worker processes' worth of workers, each with {@code threadsEach} threads. */
        public Builder workers(int count, int threadsEach) {
            if (count < 1 || threadsEach < 1) {
                throw new IllegalArgumentException(
                        "workers and threads must be >= 1, got " + count + " and " + threadsEach);
            }
            workers = count;
            threads = threadsEach;
            return this;
        }

        /** The worker's name (with one worker), or the prefix of {@code NAME0}, {@code NAME1}, ... */
        public Builder workerId(String value) {
            workerId = value;
            return this;
        }

        public Builder renewEvery(Duration value) {
            renewEvery = value;
            return this;
        }

        public Builder stallTimeout(Duration value) {
            stallTimeout = value;
            return this;
        }

        /** The programs the workers may start, and the folder they run in (the job file's, for {@code run}). */
        public Builder commands(Set<String> programs, Path folder) {
            allowedCommands = Set.copyOf(programs);
            baseDir = folder;
            return this;
        }

        public Builder parser(SpecParser value) {
            parser = value;
            return this;
        }

        /** Where every service's meters go. */
        public Builder registry(MeterRegistry value) {
            registry = value;
            return this;
        }

        public LocalFleet start() throws IOException, InterruptedException {
            return new LocalFleet(this);
        }
    }
}
