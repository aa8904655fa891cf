package io.binfleet.worker;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.CodeRef;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The real clients: share consumers in explicit acknowledgement mode, an idempotent acks=all producer, a job watcher. */
final class KafkaWorkerClients implements WorkerClients {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaWorkerClients.class);
    private final KafkaSettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final JobWatcher watcher;
    private static final Duration CODE_TIMEOUT = Duration.ofSeconds(60);
    private final Object codeLock = new Object();
    private KafkaConsumer<String, byte[]> codeConsumer;
    private final Object checkpointLock = new Object();
    private KafkaConsumer<String, byte[]> checkpointConsumer;
    private volatile int checkpointPartitions;

    KafkaWorkerClients(KafkaSettings settings, JobWatcher watcher) {
        this.settings = settings;
        this.watcher = watcher;
        Properties p = settings.client();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // a result is awaited before its record is accepted: do not hold it back hoping for a batch
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Limits.MAX_MESSAGE_BYTES));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Codec.prime(TaskMessage.class, PieceResult.class);
    }

    @Override
    public Topics topics() {
        return settings.topics();
    }

    @Override
    public void start() {
        watcher.start();
        producer.partitionsFor(settings.topics().pieces()); // the metadata now, not inside the first piece
    }

    @Override
    public ShareConsumers shareConsumers() {
        return this::shareConsumer;
    }

    private ShareConsumer<String, byte[]> shareConsumer(String clientId, int maxRecords) {
        Properties p = settings.client();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topics().workerGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // acquire only what this thread will run (KIP-1206): no hoarding behind a busy thread
        p.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxRecords));
        // the single-piece consumer rests while its thread works in batches: after max.poll.interval.ms (5 min) of
        // rest it leaves the group, holding no records, and joins again when next used
        KafkaShareConsumer<String, byte[]> consumer =
                new KafkaShareConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(settings.topics().tasks()));
        return consumer;
    }

    @Override
    public JobCode.Source code() {
        return this::fetchCode;
    }

    /**
     * A code bundle from the code topic: the record at its offset, or (compaction keeps the latest copy of a bundle)
     * the first one after it with its key. One fetch at a time, on one consumer of no group.
     */
    private byte[] fetchCode(CodeRef ref) throws Exception {
        synchronized (codeLock) {
            if (codeConsumer == null) {
                Properties p = readerProperties();
                p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "4");
                codeConsumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            }
            TopicPartition tp = new TopicPartition(settings.topics().code(), ref.partition());
            codeConsumer.assign(List.of(tp));
            codeConsumer.seek(tp, ref.offset());
            long deadline = System.nanoTime() + CODE_TIMEOUT.toNanos();
            while (true) {
                // committed records only: the commit marker of the job's transaction may reach the code topic a
                // moment after the task was handed out, so the bundle may not be readable yet
                long end = codeConsumer.endOffsets(List.of(tp), CODE_TIMEOUT).get(tp);
                while (codeConsumer.position(tp, CODE_TIMEOUT) < end) {
                    for (ConsumerRecord<String, byte[]> r : codeConsumer.poll(Duration.ofMillis(500))) {
                        if (ref.sha256().equals(r.key()) && r.value() != null) {
                            return r.value();
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("the job's code could not be read from " + tp + " in "
                                + CODE_TIMEOUT.toSeconds() + " s");
                    }
                }
                if (end > ref.offset()) {
                    break; // read past where it was published: not there any more
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the job's code at " + tp + " offset " + ref.offset()
                            + " was not committed within " + CODE_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
            throw new PieceFailedException("the job's code (bundle " + ref.sha256() + ") is no longer on "
                    + settings.topics().code() + " (kept " + Topics.CODE_RETENTION.toDays()
                    + " days after it was last shipped); submit the job again");
        }
    }

    /** A consumer of no group that reads assigned partitions, records up to the message limit. */
    private Properties readerProperties() {
        Properties p = settings.client();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Limits.MAX_MESSAGE_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(Limits.MAX_MESSAGE_BYTES));
        return p;
    }

    @Override
    public CheckpointStore checkpoints() {
        return new CheckpointStore() {
            @Override
            public Future<?> save(String key, byte[] value) {
                return producer.send(new ProducerRecord<>(settings.topics().checkpoints(), partition(key), key, value));
            }

            @Override
            public byte[] load(String key) throws Exception {
                return loadCheckpoint(key);
            }

            @Override
            public void remove(String key) {
                producer.send(new ProducerRecord<>(settings.topics().checkpoints(), partition(key), key, null));
            }
        };
    }

    /**
     * The partition of a checkpoint key, chosen here (as Kafka's default partitioner would) so that the reader knows
     * which one partition to read.
     */
    private int partition(String key) {
        if (checkpointPartitions == 0) {
            checkpointPartitions =
                    producer.partitionsFor(settings.topics().checkpoints()).size();
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % checkpointPartitions;
    }

    /**
     * The latest value of {@code key} on its checkpoints partition, read from the start to the end (the topic is
     * compacted and holds only running pieces' states, so that is short); null if the last word on it is a tombstone.
     */
    private byte[] loadCheckpoint(String key) throws Exception {
        synchronized (checkpointLock) {
            if (checkpointConsumer == null) {
                checkpointConsumer =
                        new KafkaConsumer<>(readerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
            }
            TopicPartition tp = new TopicPartition(settings.topics().checkpoints(), partition(key));
            checkpointConsumer.assign(List.of(tp));
            checkpointConsumer.seekToBeginning(List.of(tp));
            long end = checkpointConsumer.endOffsets(List.of(tp), CODE_TIMEOUT).get(tp);
            long deadline = System.nanoTime() + CODE_TIMEOUT.toNanos();
            byte[] latest = null;
            while (checkpointConsumer.position(tp, CODE_TIMEOUT) < end) {
                for (ConsumerRecord<String, byte[]> r : checkpointConsumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        latest = r.value();
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(
                            "checkpoints could not be read from " + tp + " in " + CODE_TIMEOUT.toSeconds() + " s");
                }
            }
            return latest;
        }
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        try {
            new KafkaClientMetrics(producer).bindTo(registry);
        } catch (RuntimeException e) {
            LOGGER.warn("producer metrics not bound: {}", e.toString());
        }
    }

    @Override
    public boolean awaitAssigned(String workerId, int threads, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String group = settings.topics().workerGroup();
        try (Admin admin = Admin.create(settings.client())) {
            while (System.nanoTime() < deadline) {
                try {
                    long assigned = admin
                            .describeShareGroups(List.of(group))
                            .all()
                            .get(5, TimeUnit.SECONDS)
                            .get(group)
                            .members()
                            .stream()
                            .filter(m -> m.clientId().startsWith(workerId + "-"))
                            .filter(m -> !m.clientId().endsWith("-batch")) // batch consumers join on first use
                            .filter(m -> !m.assignment().topicPartitions().isEmpty())
                            .count();
                    if (assigned >= threads) {
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

    @Override
    public Producer<String, byte[]> producer() {
        return producer;
    }

    @Override
    public JobStatus jobs() {
        return watcher::ended;
    }

    @Override
    public void close() {
        synchronized (codeLock) {
            if (codeConsumer != null) {
                codeConsumer.close(Duration.ofSeconds(5));
            }
        }
        synchronized (checkpointLock) {
            if (checkpointConsumer != null) {
                checkpointConsumer.close(Duration.ofSeconds(5));
            }
        }
        producer.close(Duration.ofSeconds(10));
        watcher.close();
    }
}
