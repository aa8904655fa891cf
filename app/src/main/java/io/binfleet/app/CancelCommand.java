package io.binfleet.app;

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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a job: workers skip or stop its remaining pieces and it ends CANCELLED.")
final class CancelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "JOB", description = "The job id.")
    String jobId;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        KafkaSettings settings = kafka.connect();
        return cancel(settings, jobId) ? 0 : 1;
    }

    /** Publishes a CANCELLED event for a job that exists and has not ended. */
    static boolean cancel(KafkaSettings settings, String jobId) throws InterruptedException {
        try (JobWatcher watcher = new JobWatcher(settings).start()) {
            watcher.awaitCaughtUp(Duration.ofSeconds(30));
            JobEvent e = watcher.latest(jobId).orElse(null);
            if (e == null) {
                System.err.println("no job " + jobId);
                return false;
            }
            if (e.state().terminal()) {
                System.err.println(jobId + " has already ended " + e.state());
                return false;
            }
            Properties p = settings.client();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                JobEvent cancelled = new JobEvent(Schema.VERSION, jobId, e.name(), JobEvent.State.CANCELLED, e.done(), e.total(),
                        "cancelled by user", null, e.submittedAt(), System.currentTimeMillis());
                producer.send(new ProducerRecord<>(settings.topics().jobs(), jobId, Codec.write(cancelled))).get();
            } catch (java.util.concurrent.ExecutionException ex) {
                System.err.println("cannot publish the cancel: " + ex.getCause());
                return false;
            }
            System.err.println(jobId + " CANCELLED");
            return true;
        }
    }
}
