package io.binfleet.worker;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.AcknowledgementCommitCallback;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.record.TimestampType;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A share group of one partition and the consumers on it, in memory, behaving as the broker does in the ways the
 * worker relies on: a poll acquires up to the consumer's max records (delivery count + 1 each); RELEASE hands a record
 * back to the group; RENEW keeps it, and a renewed record comes back from the next poll after the commit; ACCEPT and
 * REJECT end it. Every acknowledgement is logged with what {@code sentBefore} said at that moment (e.g. the results
 * the producer had written), so that tests can check the order "result sent, then ACCEPT".
 */
final class FakeShareConsumer implements ShareConsumer<String, byte[]> {
    /** The group's records, shared by every consumer made by one {@link Group}. */
    static final class Group {
        final Deque<ConsumerRecord<String, byte[]>> available = new ArrayDeque<>();
        final Map<Long, Short> deliveries = new HashMap<>();
        /** When each record was last acquired (ms, as {@link Ack#at}). */
        final Map<Long, Long> acquiredAt = new java.util.concurrent.ConcurrentHashMap<>();

        final List<Ack> acks = new ArrayList<>();
        final Map<Long, AcknowledgeType> finalAcks = new LinkedHashMap<>();
        final List<FakeShareConsumer> consumers = new ArrayList<>();
        Supplier<Integer> sentBefore = () -> 0;
        RuntimeException failPolls;
        /** Which consumers' polls {@link #failPolls} fails, by client id (all by default). */
        java.util.function.Predicate<String> failing = id -> true;

        long nextOffset;

        synchronized void add(String key, byte[] value) {
            available.add(record(nextOffset++, key, value, 0));
        }

        /** A record delivered {@code deliveries} times already (its worker died): the next delivery is one more. */
        synchronized void addDelivered(String key, byte[] value, int deliveries) {
            long offset = nextOffset++;
            deliveries().put(offset, (short) deliveries);
            available.add(record(offset, key, value, deliveries));
        }

        private Map<Long, Short> deliveries() {
            return deliveries;
        }

        synchronized FakeShareConsumer consumer(String clientId, int maxRecords) {
            FakeShareConsumer c = new FakeShareConsumer(this, clientId, maxRecords);
            consumers.add(c);
            return c;
        }

        synchronized List<Ack> acks(AcknowledgeType type) {
            return acks.stream().filter(a -> a.type() == type).toList();
        }

        private static ConsumerRecord<String, byte[]> record(long offset, String key, byte[] value, int deliveries) {
            return new ConsumerRecord<>(
                    TOPIC,
                    0,
                    offset,
                    0L,
                    TimestampType.CREATE_TIME,
                    -1,
                    -1,
                    key,
                    value,
                    new RecordHeaders(),
                    Optional.empty(),
                    Optional.of((short) deliveries));
        }
    }

    /** One acknowledgement: which record, how, by whom, what had been sent when it was given, and when (ms). */
    record Ack(long offset, AcknowledgeType type, String clientId, int sentBefore, long at) {}

    static final String TOPIC = "binfleet.tasks";
    private final Group group;
    private final String clientId;
    private final int maxRecords;
    private final Map<Long, ConsumerRecord<String, byte[]>> held = new LinkedHashMap<>();
    private final List<Long> renewing = new ArrayList<>();
    private final List<Long> renewed = new ArrayList<>();
    private boolean closed;
    int commits;

    private FakeShareConsumer(Group group, String clientId, int maxRecords) {
        this.group = group;
        this.clientId = clientId;
        this.maxRecords = maxRecords;
    }

    String clientId() {
        return clientId;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public ConsumerRecords<String, byte[]> poll(Duration timeout) {
        ConsumerRecords<String, byte[]> polled = take();
        if (polled.isEmpty()) {
            sleep(Math.min(timeout.toMillis(), 5)); // outside the lock, so that tests can look at the group meanwhile
        }
        return polled;
    }

    private ConsumerRecords<String, byte[]> take() {
        synchronized (group) {
            if (group.failPolls != null && group.failing.test(clientId)) {
                throw group.failPolls;
            }
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            if (!renewed.isEmpty()) {
                // renewed records come back, and nothing new is fetched with them
                for (long offset : renewed) {
                    ConsumerRecord<String, byte[]> r = held.get(offset);
                    ConsumerRecord<String, byte[]> again = Group.record(
                            offset, r.key(), r.value(), r.deliveryCount().orElse((short) 1));
                    held.put(offset, again);
                    out.add(again);
                }
                renewed.clear();
            } else {
                while (out.size() < maxRecords && !group.available.isEmpty()) {
                    ConsumerRecord<String, byte[]> r = group.available.poll();
                    short count = (short) (group.deliveries.getOrDefault(r.offset(), (short) 0) + 1);
                    group.deliveries.put(r.offset(), count);
                    group.acquiredAt.put(r.offset(), System.nanoTime() / 1_000_000);
                    ConsumerRecord<String, byte[]> acquired = Group.record(r.offset(), r.key(), r.value(), count);
                    held.put(r.offset(), acquired);
                    out.add(acquired);
                }
            }
            if (out.isEmpty()) {
                return ConsumerRecords.empty();
            }
            return new ConsumerRecords<>(Map.of(new TopicPartition(TOPIC, 0), out), Map.of());
        }
    }

    @Override
    public void acknowledge(ConsumerRecord<String, byte[]> record, AcknowledgeType type) {
        synchronized (group) {
            ConsumerRecord<String, byte[]> r = held.get(record.offset());
            if (r == null || r != record) {
                throw new IllegalStateException(
                        "record " + record.offset() + " is not held by " + clientId + " as this object");
            }
            group.acks.add(
                    new Ack(record.offset(), type, clientId, group.sentBefore.get(), System.nanoTime() / 1_000_000));
            switch (type) {
                case RENEW -> renewing.add(record.offset());
                case RELEASE -> {
                    held.remove(record.offset());
                    group.available.addFirst(Group.record(record.offset(), r.key(), r.value(), 0));
                }
                default -> {
                    held.remove(record.offset());
                    group.finalAcks.put(record.offset(), type);
                }
            }
        }
    }

    @Override
    public Map<TopicIdPartition, Optional<KafkaException>> commitSync() {
        synchronized (group) {
            commits++;
            renewed.addAll(renewing);
            renewing.clear();
            return Map.of();
        }
    }

    @Override
    public Map<TopicIdPartition, Optional<KafkaException>> commitSync(Duration timeout) {
        return commitSync();
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    @Override
    public void close(Duration timeout) {
        synchronized (group) {
            // anything still held goes back to the group
            for (ConsumerRecord<String, byte[]> r : held.values()) {
                group.available.addFirst(Group.record(r.offset(), r.key(), r.value(), 0));
            }
            held.clear();
            closed = true;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Set<String> subscription() {
        return Set.of(TOPIC);
    }

    @Override
    public void subscribe(Collection<String> topics) {}

    @Override
    public void unsubscribe() {}

    @Override
    public void acknowledge(ConsumerRecord<String, byte[]> record) {
        acknowledge(record, AcknowledgeType.ACCEPT);
    }

    @Override
    public void acknowledge(String topic, int partition, long offset, AcknowledgeType type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void commitAsync() {
        commitSync();
    }

    @Override
    public void setAcknowledgementCommitCallback(AcknowledgementCommitCallback callback) {}

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return Uuid.ZERO_UUID;
    }

    @Override
    public Optional<Integer> acquisitionLockTimeoutMs() {
        return Optional.of(30_000);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return Map.of();
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {}

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {}

    @Override
    public void wakeup() {}
}
