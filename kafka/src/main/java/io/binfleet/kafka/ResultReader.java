package io.binfleet.kafka;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads jobs' records back from the results and pieces topics (committed records only), for clients: {@code result},
 * {@code status}, {@code run}, and tests. Unreadable records are skipped: they are not a client's to judge.
 */
public final class ResultReader {
    private ResultReader() {}

    /** The job's merged result, waiting up to {@code timeout} for it to appear. */
    public static Optional<JobResult> fetch(KafkaSettings settings, String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // a result just published sits at the end of the topic: look there first, then through the whole topic
        boolean tailFirst = true;
        do {
            List<byte[]> values = tailFirst
                    ? scan(settings, settings.topics().results(), jobId, TAIL)
                    : scan(settings, settings.topics().results(), jobId);
            // the newest readable result: anything else written under the job's key is not ours to trust
            for (int i = values.size() - 1; i >= 0; i--) {
                try {
                    JobResult r = Codec.read(values.get(i), JobResult.class);
                    if (jobId.equals(r.jobId())) {
                        return Optional.of(r);
                    }
                } catch (RuntimeException e) {
                    // unreadable: skip it
                }
            }
            if (tailFirst) {
                tailFirst = false;
                continue;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /** How many of the newest records of each partition a first look for a result reads. */
    static final int TAIL = 64;

    /** The newest readable result of every job on the results topic, read once. */
    public static Map<String, JobResult> all(KafkaSettings settings) {
        Map<String, JobResult> out = new HashMap<>();
        for (byte[] v : scan(settings, settings.topics().results(), null)) {
            try {
                JobResult r = Codec.read(v, JobResult.class);
                out.put(r.jobId(), r);
            } catch (RuntimeException e) {
                // unreadable: skip it
            }
        }
        return out;
    }

    /** Every piece result published for the job (duplicates included). */
    public static List<PieceResult> pieces(KafkaSettings settings, String jobId) {
        List<PieceResult> out = new ArrayList<>();
        for (byte[] v : scan(settings, settings.topics().pieces(), jobId)) {
            try {
                out.add(Codec.read(v, PieceResult.class));
            } catch (RuntimeException e) {
                // not ours to judge here: the reducer sends unreadable records to the DLQ
            }
        }
        return out;
    }

    /** Values keyed {@code key} (any key if null) on {@code topic}, from its start to its current end (committed records only). */
    public static List<byte[]> scan(KafkaSettings settings, String topic, String key) {
        return scan(settings, topic, key, Long.MAX_VALUE);
    }

    /** The values under {@code key} (null: every value) among the last {@code last} records of each partition. */
    static List<byte[]> scan(KafkaSettings settings, String topic, String key, long last) {
        Properties p = settings.committedReader();
        // a client on a cluster that lost a partition's leaders answers within this, not a minute
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition()))
                    .toList();
            c.assign(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            if (last == Long.MAX_VALUE) {
                c.seekToBeginning(tps);
            } else {
                Map<TopicPartition, Long> begin = c.beginningOffsets(tps);
                for (TopicPartition tp : tps) {
                    c.seek(tp, Math.max(begin.get(tp), end.get(tp) - last));
                }
            }
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if ((key == null || key.equals(r.key())) && r.value() != null) {
                        out.add(r.value());
                    }
                }
            }
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
