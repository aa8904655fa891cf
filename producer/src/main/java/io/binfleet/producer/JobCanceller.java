package io.binfleet.producer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.Schema;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** Cancels jobs: publishes a CANCELLED event, which workers and the reducer act on. */
public final class JobCanceller {
    private JobCanceller() {}

    /** What became of a cancel. */
    public enum Cancelled {
        /** The CANCELLED event was published. */
        CANCELLED,
        /** No such job on the jobs topic. */
        NO_SUCH_JOB,
        /** The job had already ended; nothing was published. */
        ALREADY_ENDED
    }

    /**
     * Publishes a CANCELLED event for {@code jobId} if it exists and has not ended.
     *
     * @throws IllegalStateException if the event could not be written
     */
    public static Cancelled cancel(KafkaSettings settings, String jobId, String reason) throws InterruptedException {
        try (JobWatcher watcher = new JobWatcher(settings).start()) {
            if (!watcher.awaitCaughtUp(Duration.ofSeconds(30))) {
                // without the whole topic read, "no such job" could be wrong
                throw new IllegalStateException(
                        "could not read " + settings.topics().jobs()
                                + " within 30 s, so the job's state is unknown; nothing was cancelled");
            }
            JobEvent e = watcher.latest(jobId).orElse(null);
            if (e == null) {
                return Cancelled.NO_SUCH_JOB;
            }
            if (e.state().terminal()) {
                return Cancelled.ALREADY_ENDED;
            }
            Properties p = settings.client();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            // a cluster that cannot take the write (too few replicas in sync) is reported within this, not 2 min
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
            try (KafkaProducer<String, byte[]> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                JobEvent cancelled = new JobEvent(
                        Schema.VERSION,
                        jobId,
                        e.name(),
                        JobEvent.State.CANCELLED,
                        e.done(),
                        e.total(),
                        reason,
                        null,
                        e.submittedAt(),
                        System.currentTimeMillis());
                producer.send(new ProducerRecord<>(settings.topics().jobs(), jobId, Codec.write(cancelled)))
                        .get();
            } catch (ExecutionException ex) {
                throw new IllegalStateException(
                        "could not publish the cancel of " + jobId + " (" + ex.getCause() + ")", ex.getCause());
            }
            return Cancelled.CANCELLED;
        }
    }
}
