package io.binfleet.kafka;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where each job's piece results start on the pieces topic, kept up by one background reader, so that a long-lived
 * process (the warm fleet answering {@code status JOB}) reads a job's pieces from its first one rather than the whole
 * topic from its start. Only offsets are kept, never the results. A job's pieces share its key and so a partition; a
 * job the index has not seen yet is looked for only past what the index has read, where anything new is.
 *
 * <p>Thread-safe: the background thread owns one consumer, {@link #pieces} another (one call at a time).
 */
public final class PieceIndex implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PieceIndex.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final KafkaConsumer<String, byte[]> follower;
    private final KafkaConsumer<String, byte[]> reader;
    private final List<TopicPartition> partitions;
    /** Per job, per partition: the offset of its first piece result there, or -1. */
    private final Map<String, long[]> first = new ConcurrentHashMap<>();
    /** Per partition: everything below this offset is in {@link #first}. */
    private final AtomicLongArray indexedTo;

    private final Thread thread;
    private volatile boolean running = true;

    public PieceIndex(KafkaSettings settings) {
        this.topic = settings.topics().pieces();
        Properties p = settings.committedReader();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "binfleet-piece-index-" + System.nanoTime());
        this.follower = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        Properties r = settings.committedReader();
        r.put(ConsumerConfig.CLIENT_ID_CONFIG, "binfleet-piece-reader-" + System.nanoTime());
        r.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        this.reader = new KafkaConsumer<>(r, new StringDeserializer(), new ByteArrayDeserializer());
        this.partitions = reader.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(pi -> new TopicPartition(topic, pi.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .toList();
        int highest =
                partitions.stream().mapToInt(TopicPartition::partition).max().orElse(-1);
        this.indexedTo = new AtomicLongArray(highest + 1);
        this.thread = new Thread(this::follow, "binfleet-piece-index");
        this.thread.setDaemon(true);
    }

    /** Starts following the topic; returns at once. */
    public PieceIndex start() {
        thread.start();
        return this;
    }

    private void follow() {
        try {
            follower.assign(partitions);
            follower.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : follower.poll(POLL)) {
                    if (r.key() != null) {
                        long[] starts = first.computeIfAbsent(r.key(), k -> unset(indexedTo.length()));
                        synchronized (starts) {
                            if (starts[r.partition()] < 0) {
                                starts[r.partition()] = r.offset();
                            }
                        }
                    }
                }
                // only once this poll's records are in the index does the index say it has read them
                for (TopicPartition tp : partitions) {
                    indexedTo.set(tp.partition(), follower.position(tp));
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            // the index then stops growing; pieces() still finds everything, reading from where it stopped
            LOGGER.warn("piece index stopped following {}: {}", topic, e.toString());
        }
    }

    private static long[] unset(int n) {
        long[] a = new long[n];
        Arrays.fill(a, -1);
        return a;
    }

    /**
     * Every piece result published for the job (duplicates included), as {@link ResultReader#pieces} gives them, up
     * to the topic's end as it is now.
     */
    public synchronized List<PieceResult> pieces(String jobId) {
        // read before the job's entry: the follower adds an entry before it moves these past the entry's records, so
        // a job without one (or without a partition in it) has nothing below them
        long[] read = new long[indexedTo.length()];
        for (int i = 0; i < read.length; i++) {
            read[i] = indexedTo.get(i);
        }
        long[] starts = first.get(jobId);
        reader.assign(partitions);
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long from = -1;
            if (starts != null) {
                synchronized (starts) {
                    from = starts[tp.partition()];
                }
            }
            reader.seek(tp, from >= 0 ? from : read[tp.partition()]);
        }
        List<PieceResult> out = new ArrayList<>();
        while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                if (jobId.equals(r.key()) && r.value() != null) {
                    try {
                        out.add(Codec.read(r.value(), PieceResult.class));
                    } catch (RuntimeException e) {
                        // not ours to judge here: the reducer sends unreadable records to the DLQ
                    }
                }
            }
        }
        return out;
    }

    /** Per partition, the offset of the job's first piece result there (-1: none), or null if the index has not seen it. */
    long[] firstOffsets(String jobId) {
        long[] starts = first.get(jobId);
        if (starts == null) {
            return null;
        }
        synchronized (starts) {
            return starts.clone();
        }
    }

    @Override
    public void close() {
        running = false;
        follower.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        follower.close(Duration.ofSeconds(5));
        synchronized (this) {
            reader.close(Duration.ofSeconds(5));
        }
    }
}
