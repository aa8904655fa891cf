package io.binfleet.producer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.code.CodeBundle;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.CodeRef;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.Schema;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JsonSerde;
import io.binfleet.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Validates a spec, splits it, and publishes its tasks and its SUBMITTED event in one Kafka transaction: a job
 * is submitted whole or not at all. A spec that does not validate publishes nothing. Not thread-safe: one
 * submitter per thread.
 */
public final class JobSubmitter implements AutoCloseable {
    /** How long {@link #close()} waits for requests in flight. */
    private static final Duration CLOSE = Duration.ofSeconds(10);
    /** How long a new submitter waits in all for the broker to register its transactional id. */
    private static final Duration INIT_DEADLINE = Duration.ofMinutes(3);
    /** How long a job's commit is retried in all after timeouts (each try waits up to {@code max.block.ms}). */
    static final Duration COMMIT_DEADLINE = Duration.ofMinutes(2);

    private static final Logger LOGGER = LoggerFactory.getLogger(JobSubmitter.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KafkaSettings settings;
    private final SpecParser parser;
    private final KafkaProducer<String, Object> producer;
    private final ProducerMetrics metrics;

    public JobSubmitter(KafkaSettings settings, SpecParser parser) {
        this(settings, parser, ProducerMetrics.none());
    }

    /** A submitter whose meters (and its producer's) go into {@code registry}. */
    public JobSubmitter(KafkaSettings settings, SpecParser parser, MeterRegistry registry) {
        this(settings, parser, new ProducerMetrics(registry));
    }

    private JobSubmitter(KafkaSettings settings, SpecParser parser, ProducerMetrics metrics) {
        this.settings = settings;
        this.parser = parser;
        this.metrics = metrics;
        Properties p = settings.client();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "binfleet-producer-" + UUID.randomUUID());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Limits.MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        // a job's tasks go in one transaction: 20,000 of them took 1.3-1.5 s to send and commit in batches of 16 KiB
        // (Kafka's default), 0.4-0.45 s in batches of 256 KiB; a small job's commit sends what it has at once anyway
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new AnySerializer());
        initTransactions();
        // the topics' metadata and the messages' writers now, not inside the first submit
        Codec.prime(TaskMessage.class, JobEvent.class);
        producer.partitionsFor(settings.topics().tasks());
        producer.partitionsFor(settings.topics().jobs());
        bindQuietly(new KafkaClientMetrics(producer));
    }

    /**
     * Registers the transactional id, waiting up to {@link #INIT_DEADLINE} in all: a broker that has just started
     * (or a machine short of CPU) may take more than one {@code max.block.ms} to create its transaction log and
     * elect a coordinator, and Kafka allows {@code initTransactions} to be called again after a timeout.
     */
    private void initTransactions() {
        long deadline = System.nanoTime() + INIT_DEADLINE.toNanos();
        while (true) {
            try {
                producer.initTransactions();
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() >= deadline) {
                    producer.close(Duration.ZERO);
                    throw e;
                }
                LOGGER.warn("the broker has not registered this submitter yet ({}); still waiting", e.getMessage());
            }
        }
    }

    /**
     * Commits one transaction that carries a tombstone under a key no job has ({@link #WARM_UP_KEY}) on the jobs topic,
     * which every reader skips: in a fresh JVM the first commit costs ~0.1 s more than the next ones, and a fleet that
     * starts this submitter beside its other services pays it then rather than in the first job's submit.
     */
    public void warmUp() {
        warmUp(0);
    }

    /**
     * {@link #warmUp()}, with {@code tasks} tombstones on the tasks topic as well (spread over its partitions), which
     * workers acknowledge without running anything: a fresh broker's first acknowledgements in the workers' share group
     * take 20-30 ms each to record (its share-group state's first writes), and a fleet that starts its workers beside
     * this submitter pays them before its first job instead of in the gaps between that job's first pieces.
     */
    public void warmUp(int tasks) {
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(settings.topics().jobs(), WARM_UP_KEY, null));
            if (tasks > 0) {
                int partitions =
                        producer.partitionsFor(settings.topics().tasks()).size();
                for (int i = 0; i < tasks; i++) {
                    producer.send(new ProducerRecord<>(settings.topics().tasks(), i % partitions, WARM_UP_KEY, null));
                }
            }
            commit(WARM_UP_KEY);
            warmUpWrites();
        } catch (KafkaException e) {
            // only a warm-up: the first job will say what is wrong, if anything still is
            LOGGER.debug("submitter warm-up failed: {}", e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // the producer may be fenced or closed: the first submit reports it
            }
        }
    }

    /**
     * Writes and reads a made-up task and job event (sent nowhere; {@link Codec#warmUp}): in a fresh JVM the first
     * job's transaction would otherwise spend 10-30 ms of its time between its stamp and its pieces' arrival writing
     * its messages with code not compiled yet.
     */
    private void warmUpWrites() {
        ObjectNode system = Codec.object().put("warmUp", 1);
        ObjectNode args = Codec.object().put("replica", 0).put("seed", 1L);
        ObjectNode simulation = Codec.object().put("name", WARM_UP_KEY).put("seconds", 0.5);
        TaskMessage task = new TaskMessage(Schema.VERSION, WARM_UP_KEY, 0, 1, system, args, simulation, null, 1, null);
        ObjectNode spec = Codec.object().put("name", WARM_UP_KEY);
        spec.set("system", system);
        spec.set("simulation", simulation);
        JobEvent event = JobEvent.submitted(WARM_UP_KEY, WARM_UP_KEY, 1, spec, System.currentTimeMillis());
        Codec.warmUp(task, WARM_UP_WRITES);
        Codec.warmUp(event, WARM_UP_WRITES / 8);
    }

    /** The key of {@link #warmUp}'s tombstone. */
    public static final String WARM_UP_KEY = "binfleet-warm-up";

    /** How many made-up tasks {@link #warmUp} writes and reads. */
    static final int WARM_UP_WRITES = 64;

    private void bindQuietly(KafkaClientMetrics binder) {
        try {
            binder.bindTo(metrics.registry());
        } catch (RuntimeException e) {
            LOGGER.warn("producer metrics not bound: {}", e.toString());
        }
    }

    /** A new job id: the spec's name and a random suffix, safe as a file name. */
    public static String newJobId(String name) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return name + "-" + HexFormat.of().formatHex(b);
    }

    /**
     * Validates and publishes a spec document.
     *
     * @return the submitted job
     * @throws SpecException if the spec is invalid (nothing is published)
     */
    public Submitted submit(byte[] specJson) {
        return submit(parser.parse(specJson));
    }

    /** Publishes a validated spec under a new job id. */
    public Submitted submit(JobSpec spec) {
        return submit(spec, null);
    }

    /**
     * Publishes a validated spec under a new job id, with the code it needs from {@code folder} (the job file's) if
     * its simulation uses files there ({@link io.binfleet.core.spi.Simulation#usesJobFolder}): the folder is packed
     * into a bundle on the code topic in the same transaction, and every task names it.
     *
     * @param folder the job file's folder, or {@code null} to ship no code
     * @throws SpecException if the folder is too big to ship (nothing is published)
     */
    public Submitted submit(JobSpec spec, Path folder) {
        CodeBundle code = folder != null && spec.simulation().usesJobFolder(folder)
                ? CodeBundle.pack(folder, Limits.MAX_CODE_BYTES)
                : null;
        String jobId = newJobId(spec.name());
        List<TaskMessage> tasks = Plan.tasks(spec, jobId);
        long now = System.currentTimeMillis();
        JobEvent submitted = JobEvent.submitted(jobId, spec.name(), tasks.size(), spec.toJson(), now);
        try {
            producer.beginTransaction();
            if (code != null) {
                RecordMetadata at = producer.send(
                                new ProducerRecord<>(settings.topics().code(), code.sha256(), code.zip()))
                        .get(2, TimeUnit.MINUTES);
                CodeRef ref = new CodeRef(code.sha256(), at.partition(), at.offset());
                tasks = tasks.stream().map(t -> t.withCode(ref)).toList();
                LOGGER.info(
                        "job code packed jobId={} folder={} files={} bytes={} sha256={}",
                        jobId,
                        folder,
                        code.files(),
                        code.zip().length,
                        code.sha256());
            }
            // longest first on every partition: the job's pieces dealt round the task partitions in their order,
            // starting at a partition of the job's own so that small jobs do not all start on the first
            int partitions = producer.partitionsFor(settings.topics().tasks()).size();
            int first = Math.floorMod(jobId.hashCode(), partitions);
            for (int i = 0; i < tasks.size(); i++) {
                producer.send(new ProducerRecord<>(
                        settings.topics().tasks(), (first + i) % partitions, jobId, (Object) tasks.get(i)));
            }
            producer.send(new ProducerRecord<>(settings.topics().jobs(), jobId, submitted));
            commit(jobId);
        } catch (SubmitException e) {
            throw e;
        } catch (KafkaException e) {
            throw notSubmitted(jobId, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw notSubmitted(
                    jobId,
                    new KafkaException(
                            "cannot publish the job's code: " + (e.getCause() == null ? e : e.getCause()), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notSubmitted(jobId, new KafkaException("interrupted while publishing the job's code", e));
        }
        metrics.tasksPublished(tasks.size());
        LOGGER.info("job submitted jobId={} name={} pieces={}", jobId, spec.name(), tasks.size());
        return new Submitted(jobId, spec, tasks.size(), now);
    }

    /**
     * Commits the job's transaction. A commit that timed out must be retried (Kafka refuses anything else after it):
     * it is, until {@link #COMMIT_DEADLINE}; then the job's fate is unknown, since the broker may still complete it.
     */
    private void commit(String jobId) {
        long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() >= deadline) {
                    throw new SubmitException(
                            jobId,
                            SubmitException.Submitted.UNKNOWN,
                            "the commit of job " + jobId + " was not confirmed within " + COMMIT_DEADLINE.toSeconds()
                                    + " s (" + e.getMessage() + ")",
                            e);
                }
                LOGGER.warn("the commit of job {} timed out ({}); trying it again", jobId, e.getMessage());
            }
        }
    }

    /** Aborts the job's transaction: nothing of it reaches the fleet. */
    private SubmitException notSubmitted(String jobId, KafkaException e) {
        try {
            producer.abortTransaction();
        } catch (KafkaException abort) {
            e.addSuppressed(abort);
        }
        return new SubmitException(
                jobId,
                SubmitException.Submitted.NO,
                "job " + jobId + " was not submitted: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                e);
    }

    /** A job that was published. */
    public record Submitted(String jobId, JobSpec spec, int pieces, long submittedAt) {}

    /** Closes the producer, waiting at most {@link #CLOSE} for anything in flight (never for ever on a lost broker). */
    @Override
    public void close() {
        producer.close(CLOSE);
    }

    /** Serializes any message record through the strict codec. */
    static final class AnySerializer implements Serializer<Object> {
        private final JsonSerde<Object> serde = new JsonSerde<>(Object.class);

        @Override
        public byte[] serialize(String topic, Object data) {
            if (data instanceof byte[] raw) {
                return raw; // a code bundle, as it is
            }
            return serde.serialize(topic, data);
        }
    }
}
