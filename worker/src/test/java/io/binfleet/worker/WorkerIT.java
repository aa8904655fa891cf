package io.binfleet.worker;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.EmbeddedBroker;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Workers on a real (embedded) broker take every piece of a job from the share group and publish its result. */
class WorkerIT {
    private static EmbeddedBroker broker;
    private static KafkaSettings settings;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start();
        settings = KafkaSettings.of(broker.bootstrapServers());
        try (Admin admin = Admin.create(settings.client())) {
            settings.topics().ensure(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoWorkers_runEveryPieceOfASixteenPieceJob_once() {
        String spec = "{\"name\": \"syn16\", \"system\": {\"Synthetic\": {\"points\": 4}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 16}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.3, \"seed\": 1}}";
        List<PieceResult> results;
        try (Worker a = new Worker(settings, new Worker.Config("a", 1, 5, Duration.ofSeconds(10)), SpecParser.builtin());
             Worker b = new Worker(settings, new Worker.Config("b", 1, 5, Duration.ofSeconds(10)), SpecParser.builtin())) {
            a.start();
            b.start();
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            results = readPieces(jobId, 16, Duration.ofSeconds(60));
        }
        assertThat(results).extracting(PieceResult::piece)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 16).boxed().toList());
        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(PieceResult.Outcome.OK));
        assertThat(results).extracting(PieceResult::worker).contains("a-0", "b-0");
    }

    private static List<PieceResult> readPieces(String jobId, int expected, Duration timeout) {
        Properties p = settings.client();
        p.put("group.id", "check-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        List<PieceResult> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(settings.topics().pieces()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (jobId.equals(r.key())) {
                        out.add(Codec.read(r.value(), PieceResult.class));
                    }
                });
            }
            // anything more within a second would be a duplicate
            long extra = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < extra) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (jobId.equals(r.key())) {
                        out.add(Codec.read(r.value(), PieceResult.class));
                    }
                });
            }
        }
        return out;
    }
}
