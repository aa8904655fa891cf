package io.binfleet.worker;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.spec.Limits;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The real clients: share consumers in explicit acknowledgement mode, an idempotent acks=all producer, a job watcher. */
final class KafkaWorkerClients implements WorkerClients {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaWorkerClients.class);
    private final KafkaSettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final JobWatcher watcher;

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
        producer.close(Duration.ofSeconds(10));
        watcher.close();
    }
}
