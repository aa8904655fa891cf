package io.binfleet.kafka;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Waits for the result of a job about to be submitted: made before the submit, it starts at the end of the results
 * topic, so it reads only what is published after it and hands the job's result over as soon as it is there, without
 * the new consumer and the read from the start that {@link ResultReader#fetch} costs. Not thread-safe.
 */
public final class ResultWaiter implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;

    public ResultWaiter(KafkaSettings settings) {
        Properties p = settings.committedReader();
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            String topic = settings.topics().results();
            List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition()))
                    .toList();
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            // the positions now, before the job is submitted, not lazily at the first poll
            tps.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /** The job's result, published since this waiter was made, or empty if none came within {@code timeout}. */
    public Optional<JobResult> await(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobResult found = null;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (jobId.equals(r.key()) && r.value() != null) {
                    try {
                        JobResult result = Codec.read(r.value(), JobResult.class);
                        if (jobId.equals(result.jobId())) {
                            found = result; // the newest of the batch wins
                        }
                    } catch (RuntimeException e) {
                        // unreadable: not ours to trust
                    }
                }
            }
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
